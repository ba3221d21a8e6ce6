import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PiiFindingSummary } from '../services/pii/report.js';
import { CreatedAtColumn, InstantColumn, JsonColumn, UpdatedAtColumn } from './columns.js';

/** 待办结 | 已办结 */
export type GuestbookStatus = 'open' | 'answered';

export const GUESTBOOK_STATUS_LABELS: Record<GuestbookStatus, string> = {
  open: '待办结',
  answered: '已办结',
};

/**
 * An answer waiting for a supervisor's review (the unit's or the city's 留言审核 setting is on):
 * the message stays 待办结 (its clock runs on) until the answer is approved.
 */
export type GuestbookReviewStatus = 'pending' | 'approved';

/** chat: registered by a member in the bot; import: from the platform's export (bot or CLI). */
export type GuestbookSource = 'chat' | 'import';

/**
 * A "我为政府网站找错" message about one of our websites (members call it L<id>). The deadline is
 * the notice's rule (2 working days after the day of receipt), stored so that a later calendar
 * change does not move a deadline already announced.
 */
@Entity('guestbook_message')
@Index(['status', 'deadline'])
@Index(['topUnitId', 'status'])
export class GuestbookMessage {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** 留言编号 on the national platform; the key for skipping duplicates on import. */
  @Index({ unique: true })
  @Column('varchar', { length: 64, nullable: true })
  platformNo!: string | null;

  @Index()
  @Column('int')
  websiteId!: number;

  /** The top-level unit of the website's owner: the unit that must answer. */
  @Column('int')
  topUnitId!: number;

  @InstantColumn()
  receivedAt!: Date;

  /** What the message says (as registered or imported; personal information masked on import). */
  @Column('text')
  summary!: string;

  @InstantColumn()
  deadline!: Date;

  /** The calendar lacked a year: the deadline was counted in natural days. */
  @Column('boolean', { default: false })
  deadlineEstimated!: boolean;

  @Column('varchar', { length: 16, default: 'open' })
  status!: GuestbookStatus;

  @Column('text', { nullable: true })
  answerSummary!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  answeredBy!: string | null;

  /**
   * When the answer was submitted (for an answer that went to review, the submission of the one
   * approved): the instant that decides whether the message was answered on time.
   */
  @InstantColumn({ nullable: true })
  answeredAt!: Date | null;

  /** pending: the answer above waits for review; approved: it was reviewed; null: no review. */
  @Column('varchar', { length: 16, nullable: true })
  reviewStatus!: GuestbookReviewStatus | null;

  @Column('varchar', { length: 64, nullable: true })
  reviewedBy!: string | null;

  @InstantColumn({ nullable: true })
  reviewedAt!: Date | null;

  /** Why the last answer was sent back (the unit was told). */
  @Column('text', { nullable: true })
  returnReason!: string | null;

  @Column('varchar', { length: 16 })
  source!: GuestbookSource;

  /** A userid, or `cli:<os user>` for an import from the command line. */
  @Column('varchar', { length: 64 })
  registeredBy!: string;

  /** Warn findings the member accepted (or masked on import) in the summary: masked values only. */
  @JsonColumn({ nullable: true })
  summaryPii!: PiiFindingSummary[] | null;

  /** Warn findings the member accepted in the answer: masked values only. */
  @JsonColumn({ nullable: true })
  answerPii!: PiiFindingSummary[] | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
