import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from './columns.js';

/** Append-only record of every state change made through the bot or the CLI. */
@Entity('audit_log')
@Index(['target', 'at'])
export class AuditLog {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index()
  @InstantColumn()
  at!: Date;

  /** A WeCom userid, or `cli:<os user>` / `system`. */
  @Column('varchar', { length: 64 })
  actor!: string;

  @Column('varchar', { length: 64 })
  action!: string;

  @Column('varchar', { length: 128 })
  target!: string;

  /** ok | denied | failed */
  @Column('varchar', { length: 16 })
  result!: string;

  /** Human detail with personal information masked. */
  @Column('text', { nullable: true })
  detail!: string | null;
}
