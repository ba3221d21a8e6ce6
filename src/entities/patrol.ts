// The site patrol (网站巡检): runs, the sites of a run as units of work claimed across instances,
// the page validators kept for conditional GET, and the findings kept per site across runs.
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, JsonColumn } from './columns.js';

export type PatrolRunStatus = 'running' | 'done';

/** One patrol: the weekly one, or one a supervisor asked for (巡检 …). */
@Entity('patrol_run')
export class PatrolRun {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** `schedule` or the userid of the supervisor who asked. */
  @Column('varchar', { length: 64 })
  requestedBy!: string;

  /** What was asked for (全部, a unit's or a site's name), as shown. */
  @Column('varchar', { length: 100 })
  scope!: string;

  @Index()
  @Column('varchar', { length: 16 })
  status!: PatrolRunStatus;

  @InstantColumn()
  startedAt!: Date;

  /** When the run stops taking new pages (its global time budget). */
  @InstantColumn()
  deadline!: Date;

  @InstantColumn({ nullable: true })
  finishedAt!: Date | null;
}

/** pending → claimed (leased to an instance) → done. An expired lease is claimed again. */
export type PatrolSiteStatus = 'pending' | 'claimed' | 'done';

/** One site of a run: claimed with SELECT … FOR UPDATE SKIP LOCKED and a lease, like the outbox. */
@Entity('patrol_site')
@Index(['runId', 'websiteId'], { unique: true })
@Index(['status', 'leaseUntil'])
export class PatrolSite {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  runId!: number;

  @Index()
  @Column('int')
  websiteId!: number;

  @Column('varchar', { length: 16 })
  status!: PatrolSiteStatus;

  @Column('varchar', { length: 128, nullable: true })
  leaseOwner!: string | null;

  @InstantColumn({ nullable: true })
  leaseUntil!: Date | null;

  /** Claims so far: a site that crashed its instance twice is finished as not read. */
  @Column('int', { default: 0 })
  attempts!: number;

  /** Pages and attachments read (304 included), requests made, bytes received. */
  @Column('int', { default: 0 })
  pages!: number;

  @Column('int', { default: 0 })
  requests!: number;

  @Column('int', { default: 0 })
  bytes!: number;

  /** The home page did not answer (the site is unreachable this run). */
  @Column('boolean', { default: false })
  unreachable!: boolean;

  /** The page budget or the run's time budget cut the site short. */
  @Column('boolean', { default: false })
  truncated!: boolean;

  @InstantColumn({ nullable: true })
  finishedAt!: Date | null;
}

/** What a page said last time, so that a 304 costs nothing more: validators and what was found. */
export interface PatrolPageSummary {
  /** HTML: links followed from it (same host) and links to check (home and column pages). */
  links?: { href: string; text: string }[];
  /** A column page's newest dated item and how many dated items it lists. */
  newest?: string;
  dated?: number;
  title?: string;
}

@Entity('patrol_page')
@Index(['websiteId', 'urlKey'], { unique: true })
export class PatrolPage {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  websiteId!: number;

  /** sha1 of the URL (URLs are too long for a unique index). */
  @Column('varchar', { length: 40 })
  urlKey!: string;

  @Column('varchar', { length: 1000 })
  url!: string;

  @Column('varchar', { length: 200, nullable: true })
  etag!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  lastModified!: string | null;

  @JsonColumn()
  summary!: PatrolPageSummary;

  @InstantColumn()
  readAt!: Date;
}

/** 个人信息 | 死链 | 外部链接 | 栏目不更新 | 网站无法访问 */
export type PatrolFindingKind = 'pii' | 'dead-link' | 'external' | 'stale' | 'unreachable';

/**
 * What the patrol found on a site, kept across runs: the same site, kind and URL is the same
 * finding (first and last seen); one not seen again where it was looked for is 已消除 (resolved).
 * Members refer to it as `X<id>`.
 */
@Entity('patrol_finding')
@Index(['websiteId', 'kind', 'urlKey'], { unique: true })
@Index(['unitId', 'resolvedAt'])
export class PatrolFinding {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  websiteId!: number;

  /** The site's owning unit (at the time it was found). */
  @Column('int')
  unitId!: number;

  @Column('varchar', { length: 16 })
  kind!: PatrolFindingKind;

  /** sha1 of `url`. */
  @Column('varchar', { length: 40 })
  urlKey!: string;

  /** The page (PII, stale column, unreachable home) or the link (dead, external). */
  @Column('varchar', { length: 1000 })
  url!: string;

  /** Where a link was found; null for a finding about the page itself. */
  @Column('varchar', { length: 1000, nullable: true })
  pageUrl!: string | null;

  /** Kind-specific detail: PII kinds, HTTP status or failure, newest date, the link's text. */
  @Column('varchar', { length: 300 })
  detail!: string;

  /** A masked snippet (PII never stored raw). */
  @Column('varchar', { length: 500 })
  snippet!: string;

  @InstantColumn()
  firstSeenAt!: Date;

  @InstantColumn()
  lastSeenAt!: Date;

  @Column('int')
  lastRunId!: number;

  /** 已消除: not seen again where it was looked for. Null while open. */
  @InstantColumn({ nullable: true })
  resolvedAt!: Date | null;

  /** The rectification task it was turned into (巡检下发). */
  @Index()
  @Column('int', { nullable: true })
  taskId!: number | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
