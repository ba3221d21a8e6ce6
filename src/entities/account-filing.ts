import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PiiFindingSummary } from '../services/pii/report.js';
import type { LocalDate } from '../services/calendar/time.js';
import { CreatedAtColumn, InstantColumn, JsonColumn, UpdatedAtColumn } from './columns.js';
import type { MediaPlatform } from './media-account.js';

/** 开设 | 变更 | 关停 | 注销 */
export type FilingAction = 'open' | 'change' | 'close' | 'cancel';

export const FILING_ACTION_LABELS: Record<FilingAction, string> = {
  open: '开设',
  change: '变更',
  close: '关停',
  cancel: '注销',
};

/** 待确认 | 已确认 | 已退回 */
export type FilingStatus = 'submitted' | 'confirmed' | 'rejected';

export const FILING_STATUS_LABELS: Record<FilingStatus, string> = {
  submitted: '待确认',
  confirmed: '已确认',
  rejected: '已退回',
};

/**
 * A unit's report of a new-media account opened, changed, suspended or closed (members call it
 * F<id>). The notice requires the filing in the national system within 3 working days; the
 * directory changes only when a supervisor confirms that it was done.
 */
@Entity('account_filing')
@Index(['status', 'deadline'])
@Index(['topUnitId', 'status'])
export class AccountFiling {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 16 })
  action!: FilingAction;

  @Column('varchar', { length: 16 })
  platform!: MediaPlatform;

  /** The account's name; for 变更 the name after the change. */
  @Column('varchar', { length: 100 })
  accountName!: string;

  /** For 变更: the name before the change (null when unchanged or for other actions). */
  @Column('varchar', { length: 100, nullable: true })
  previousName!: string | null;

  /** The directory's account, when it exists (a 开设 gets one on confirmation). */
  @Index()
  @Column('int', { nullable: true })
  mediaAccountId!: number | null;

  /** The unit that owns the account (for 开设, the filer's unit). */
  @Column('int')
  unitId!: number;

  @Column('int')
  topUnitId!: number;

  /** The Shanghai day of the change, YYYY-MM-DD. */
  @Column('varchar', { length: 10 })
  changeDate!: LocalDate;

  /** For 关停/注销: the public closure announcement (a link or its text). */
  @Column('text', { nullable: true })
  announcement!: string | null;

  @InstantColumn()
  deadline!: Date;

  @Column('boolean', { default: false })
  deadlineEstimated!: boolean;

  @Column('varchar', { length: 16, default: 'submitted' })
  status!: FilingStatus;

  @Column('varchar', { length: 64 })
  submittedBy!: string;

  @InstantColumn()
  submittedAt!: Date;

  @Column('varchar', { length: 64, nullable: true })
  decidedBy!: string | null;

  @InstantColumn({ nullable: true })
  decidedAt!: Date | null;

  /** Why a supervisor sent it back. */
  @Column('text', { nullable: true })
  rejectReason!: string | null;

  /** Warn findings the member accepted in the announcement: masked values only. */
  @JsonColumn({ nullable: true })
  piiAccepted!: PiiFindingSummary[] | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
