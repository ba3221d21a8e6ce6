import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, UpdatedAtColumn } from './columns.js';

/** 已核验 | 未通过 | 待人工确认 */
export type RepostOutcome = 'verified' | 'failed' | 'manual';

/** Why a link did not pass, or why a person must look (see services/reposts/rules.ts). */
export type RepostReason =
  | 'title'
  | 'title-close'
  | 'unreachable'
  | 'refused'
  | 'too-large'
  | 'not-page'
  | 'other-unit'
  | 'unknown-site'
  | 'channel'
  | 'rejected';

/** Where a repost was published: one of the unit's websites, or a new-media account (any other host). */
export type RepostLinkChannel = 'website' | 'media';

/** liaison: sent with 转载 Z3; discovery: found on the unit's site (自动发现). */
export type RepostLinkSource = 'liaison' | 'discovery';

/** One link offered as a unit's repost of an item, with the outcome of its check. */
@Entity('repost_link')
@Index(['assignmentId'])
@Index(['outcome'])
export class RepostLink {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  assignmentId!: number;

  @Column('int')
  itemId!: number;

  @Column('int')
  unitId!: number;

  @Column('varchar', { length: 1000 })
  url!: string;

  /** Where the page was read after redirects (null when it could not be read). */
  @Column('varchar', { length: 1000, nullable: true })
  finalUrl!: string | null;

  /** The page's title or heading that matched best (as read, cut to 200). */
  @Column('varchar', { length: 200, nullable: true })
  pageTitle!: string | null;

  /** Title similarity 0–100 (null when the page was not read). */
  @Column('int', { nullable: true })
  similarity!: number | null;

  @Column('varchar', { length: 16 })
  outcome!: RepostOutcome;

  @Column('varchar', { length: 16, nullable: true })
  reason!: RepostReason | null;

  /** The fetcher's own words when the page could not be read. */
  @Column('varchar', { length: 200, nullable: true })
  detail!: string | null;

  /** Null when the page was not read. */
  @Column('varchar', { length: 16, nullable: true })
  channel!: RepostLinkChannel | null;

  @Column('varchar', { length: 16 })
  source!: RepostLinkSource;

  /** userid of the liaison, or `discovery`. */
  @Column('varchar', { length: 64 })
  submittedBy!: string;

  @InstantColumn()
  submittedAt!: Date;

  /** A supervisor's decision on a link 待人工确认. */
  @Column('varchar', { length: 64, nullable: true })
  decidedBy!: string | null;

  @InstantColumn({ nullable: true })
  decidedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
