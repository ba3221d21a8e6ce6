import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PiiFindingSummary } from '../services/pii/report.js';
import { CreatedAtColumn, InstantColumn, JsonColumn, UpdatedAtColumn } from './columns.js';

/** 政府网站 | 政务新媒体 */
export type CaseChannel = 'website' | 'media';

export const CASE_CHANNEL_LABELS: Record<CaseChannel, string> = {
  website: '政府网站',
  media: '政务新媒体',
};

/**
 * 已提交 | 已采纳 | 已退回 | 已撤回. A withdrawn case keeps its row (and text) for the record but no
 * longer counts or shows; a returned one counts again once it is modified and resubmitted.
 */
export type CaseStatus = 'submitted' | 'accepted' | 'returned' | 'withdrawn';

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  submitted: '已提交',
  accepted: '已采纳',
  returned: '已退回',
  withdrawn: '已撤回',
};

/** Statuses that count towards a unit's quota. */
export const COUNTED_CASE_STATUSES: readonly CaseStatus[] = ['submitted', 'accepted'];

/** One typical case (典型案例) a unit submitted to a call; members refer to it as C<id>. */
@Entity('typical_case')
@Index(['callId', 'topUnitId', 'status'])
export class TypicalCase {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  callId!: number;

  /** The top-level unit the case counts for (a sub-unit's case rolls up to it). */
  @Column('int')
  topUnitId!: number;

  /** The submitter's own unit (may be a sub-unit of topUnitId). */
  @Column('int', { nullable: true })
  unitId!: number | null;

  @Column('varchar', { length: 32 })
  theme!: string;

  @Column('varchar', { length: 16 })
  channel!: CaseChannel;

  @Column('int', { nullable: true })
  websiteId!: number | null;

  @Column('int', { nullable: true })
  mediaAccountId!: number | null;

  /** Up to 40 characters as a reader counts them; room for emoji made of several code points. */
  @Column('varchar', { length: 200 })
  title!: string;

  @Column('text')
  text!: string;

  /** Characters as a reader counts them (grapheme clusters of the trimmed text). */
  @Column('int')
  textLength!: number;

  @Column('varchar', { length: 64 })
  submittedBy!: string;

  /** First submission, or the latest resubmission after a change. */
  @InstantColumn()
  submittedAt!: Date;

  @Column('varchar', { length: 16, default: 'submitted' })
  status!: CaseStatus;

  @Column('varchar', { length: 500, nullable: true })
  returnReason!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  reviewedBy!: string | null;

  @InstantColumn({ nullable: true })
  reviewedAt!: Date | null;

  /**
   * When the supervisors' review card for this submission was queued (null: not yet). Cards go out
   * from a job, one per case or one digest per call for several (services/cases/review.ts).
   */
  @InstantColumn({ nullable: true })
  reviewCardAt!: Date | null;

  /** Warn-level personal-information findings the submitter confirmed (masked values only). */
  @JsonColumn()
  piiAccepted!: PiiFindingSummary[];

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
