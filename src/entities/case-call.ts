import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, JsonColumn, UpdatedAtColumn } from './columns.js';

/** 征集中 | 已结束 */
export type CaseCallStatus = 'open' | 'closed';

export const CASE_CALL_STATUS_LABELS: Record<CaseCallStatus, string> = {
  open: '征集中',
  closed: '已结束',
};

/**
 * A typical-case collection (典型案例征集): how many cases each kind of top-level unit owes, by
 * when, how long each may be and which themes they cover. Members refer to it as 征集<id>.
 */
@Entity('case_call')
@Index(['status', 'deadline'])
export class CaseCall {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** Up to 60 characters as a reader counts them; room for emoji made of several code points. */
  @Column('varchar', { length: 200 })
  title!: string;

  @InstantColumn()
  deadline!: Date;

  /** The deadline was counted on the provisional calendar of a year not yet published (预估). */
  @Column('boolean', { default: false })
  deadlineEstimated!: boolean;

  /**
   * For a deadline of "N个工作日": N, counted from {@link CaseCall.deadlineCountedFrom}, so that a
   * provisional (预估) deadline can be recomputed when the year's schedule is imported. Null for a
   * deadline given as a date.
   */
  @Column('int', { nullable: true })
  deadlineWorkingDays!: number | null;

  /** The instant the working days are counted from (the call's opening). */
  @InstantColumn({ nullable: true })
  deadlineCountedFrom!: Date | null;

  /** Minimum number of cases per top-level unit, by unit kind (区县 / 功能区 / 市直部门 / 其他). */
  @Column('int')
  quotaDistrict!: number;

  @Column('int')
  quotaZone!: number;

  @Column('int')
  quotaDepartment!: number;

  @Column('int')
  quotaOther!: number;

  /** Longest case text, in characters as a reader counts them. */
  @Column('int', { default: 150 })
  maxLength!: number;

  @JsonColumn()
  themes!: string[];

  @Column('varchar', { length: 16, default: 'open' })
  status!: CaseCallStatus;

  /** The notice this call was opened with, when a notice opened it. */
  @Column('int', { nullable: true })
  noticeId!: number | null;

  @Column('varchar', { length: 64 })
  createdBy!: string;

  @InstantColumn({ nullable: true })
  closedAt!: Date | null;

  @Column('varchar', { length: 64, nullable: true })
  closedBy!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
