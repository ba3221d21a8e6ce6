import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from './columns.js';

/** A named row to lock (SELECT … FOR UPDATE) when a step must run one instance at a time. */
@Entity('lease')
export class Lease {
  @PrimaryColumn('varchar', { length: 64 })
  name!: string;

  @Column('varchar', { length: 128, nullable: true })
  owner!: string | null;

  @InstantColumn({ nullable: true })
  until!: Date | null;
}
