import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from './columns.js';

/**
 * Who was reminded by 催办, about what, on which day: the once-a-day rule and the history read
 * this, not the outbox (a queue that is purged).
 */
@Entity('urge_log')
@Index(['target', 'day'])
export class UrgeLog {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** The reminder and its recipient, unique: `urge:unit:3:2026-12-07` + `:` + userid. */
  @Index({ unique: true })
  @Column('varchar', { length: 191 })
  reminderKey!: string;

  /** What was urged: `unit:3`, `task:12`, `L5`, `征集2:unit:3`. */
  @Column('varchar', { length: 128 })
  target!: string;

  @Column('int')
  unitId!: number;

  /** The Shanghai day of the reminder, YYYY-MM-DD. */
  @Column('varchar', { length: 10 })
  day!: string;

  @Column('varchar', { length: 64 })
  recipient!: string;

  @Column('varchar', { length: 64 })
  urgedBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
