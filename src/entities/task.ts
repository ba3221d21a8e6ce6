import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, UpdatedAtColumn } from './columns.js';

/** 整改 | 落实情况 | 案例征集 | 自定义 */
export type TaskKind = 'rectification' | 'report' | 'cases' | 'custom';

export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  rectification: '整改',
  report: '落实情况',
  cases: '案例征集',
  custom: '自定义',
};

/**
 * 待办 → 已提交 → 已办结. A return (退回) puts the task back to pending and records why on the task
 * (returnReason/returnedAt); 逾期 is derived from the deadline and never stored.
 */
export type TaskStatus = 'pending' | 'submitted' | 'done';

/** One unit's share of a piece of work; members refer to it as `T<id>`. */
@Entity('task')
@Index(['unitId', 'status'])
@Index(['status', 'deadline'])
// Covers the status board's per-batch counts (GROUP BY batch) without reading the rows.
@Index(['batch', 'status', 'deadline', 'submittedAt'])
export class Task {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 16 })
  kind!: TaskKind;

  @Column('varchar', { length: 200 })
  title!: string;

  @Column('text')
  detail!: string;

  /** The responsible top-level unit. */
  @Column('int')
  unitId!: number;

  @Index()
  @Column('int', { nullable: true })
  noticeId!: number | null;

  /**
   * The tasks created together (one 下发任务, or one proposed task of a notice, for its units) share
   * the id of the first of them. 0 only for rows written before batches were recorded; the status
   * service groups those by (notice, kind, title, creator, assignment time) instead.
   */
  @Column('int', { default: 0 })
  batch!: number;

  @InstantColumn()
  deadline!: Date;

  /**
   * The deadline was counted on the provisional calendar of a year not yet published (预估); rows
   * from before the provisional calendar were counted in natural days.
   */
  @Column('boolean', { default: false })
  deadlineEstimated!: boolean;

  /**
   * For a deadline of "N个工作日": N, counted from {@link Task.deadlineCountedFrom}, so that a
   * provisional (预估) deadline can be recomputed when the year's schedule is imported. Null for a
   * deadline given as a date.
   */
  @Column('int', { nullable: true })
  deadlineWorkingDays!: number | null;

  /** The instant the working days are counted from (assignment, or the approved extension request). */
  @InstantColumn({ nullable: true })
  deadlineCountedFrom!: Date | null;

  @Column('varchar', { length: 16 })
  status!: TaskStatus;

  /** Who assigned it (a supervisor's userid); they receive its review cards. */
  @Column('varchar', { length: 64 })
  createdBy!: string;

  @InstantColumn()
  assignedAt!: Date;

  @InstantColumn({ nullable: true })
  submittedAt!: Date | null;

  @InstantColumn({ nullable: true })
  doneAt!: Date | null;

  /** The reason of the last return (退回); kept after a resubmission, history is in task_review. */
  @Column('text', { nullable: true })
  returnReason!: string | null;

  @InstantColumn({ nullable: true })
  returnedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
