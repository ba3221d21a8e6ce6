import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from './columns.js';

/**
 * One row per (job, scheduled fire time): inserting it is how an instance claims a fire, so each
 * fire runs exactly once however many instances run the scheduler.
 */
@Entity('job_run')
export class JobRun {
  @PrimaryColumn('varchar', { length: 64 })
  job!: string;

  @PrimaryColumn({ type: 'datetime', precision: 3 })
  fireTime!: Date;

  @Column('varchar', { length: 128 })
  instance!: string;

  /** running | done | failed | skipped */
  @Column('varchar', { length: 16 })
  status!: string;

  @InstantColumn()
  startedAt!: Date;

  @InstantColumn({ nullable: true })
  finishedAt!: Date | null;

  /** A short summary (counts) or the error. */
  @Column('varchar', { length: 500, nullable: true })
  result!: string | null;
}
