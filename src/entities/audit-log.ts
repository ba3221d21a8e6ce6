import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from './columns.js';

/**
 * Append-only record of every change and every refusal made through the bot, the board or the CLI.
 * Kept AUDIT_RETENTION_DAYS (at least 180 days, 等保 2.0), then purged by housekeeping.
 */
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

  /** Human detail with personal information masked (writeAudit masks it again). */
  @Column('text', { nullable: true })
  detail!: string | null;

  /**
   * How many times this happened: 1, except for rows that stand for repeated attempts in one window
   * (a stranger writing to the bot is recorded once per hour, with the count).
   */
  @Column('int', { default: 1 })
  count!: number;
}
