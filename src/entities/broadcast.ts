import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, JsonColumn } from './columns.js';
import type { UnitKind } from './unit.js';

/** Who a broadcast goes to. */
export type BroadcastAudience =
  | { kind: 'all-liaisons' }
  | { kind: 'unit-kinds'; unitKinds: UnitKind[] }
  | { kind: 'units'; unitIds: number[] }
  | { kind: 'robot'; robotId: number };

export type BroadcastStatus = 'active' | 'done' | 'cancelled';

/** A notice supervisors schedule (定时通知): once at `runAt`, or on a cron with a working-day flag. */
@Entity('broadcast')
@Index(['status', 'runAt'])
export class Broadcast {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('text')
  content!: string;

  @JsonColumn()
  audience!: BroadcastAudience;

  /** One-off: when to send. Null for recurring broadcasts. */
  @InstantColumn({ nullable: true })
  runAt!: Date | null;

  /** Recurring: a node-cron expression in Asia/Shanghai (minute resolution). */
  @Column('varchar', { length: 64, nullable: true })
  cron!: string | null;

  /** Recurring and only on working days (the calendar decides, so 调休 Saturdays count). */
  @Column('boolean', { default: false })
  workingDaysOnly!: boolean;

  /** How the schedule was described to the supervisor, e.g. 每个工作日 9:00. */
  @Column('varchar', { length: 64 })
  scheduleText!: string;

  @Column('varchar', { length: 16, default: 'active' })
  status!: BroadcastStatus;

  @Column('varchar', { length: 64 })
  createdBy!: string;

  @InstantColumn({ nullable: true })
  lastRunAt!: Date | null;

  /**
   * Recurring: occurrences up to this instant have been examined. The job looks at the minutes
   * after it, so a fire missed during downtime is still found (and sent once, if still today).
   */
  @InstantColumn()
  checkedThrough!: Date;

  @Column('int', { default: 0 })
  runCount!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
