import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, UpdatedAtColumn } from './columns.js';

/** Where the item must be reposted: the unit's websites, its 政务新媒体 accounts, or both. */
export type RepostChannels = 'website' | 'media' | 'both';

export const REPOST_CHANNEL_LABELS: Record<RepostChannels, string> = {
  website: '网站',
  media: '政务新媒体',
  both: '网站和政务新媒体',
};

/**
 * An important item (State Council, provincial government) every assigned unit must repost
 * (members call it Z<id>). The items of one 转载任务 share `batch` (the first item's id).
 */
@Entity('repost_item')
@Index(['batch'])
export class RepostItem {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int', { default: 0 })
  batch!: number;

  /** The source's title: what a reposted page's title or heading must match. */
  @Column('varchar', { length: 200 })
  title!: string;

  @Column('varchar', { length: 1000 })
  sourceUrl!: string;

  /** 发布机构 (国务院办公厅, 山东省人民政府 …), read from the page or typed; null when unknown. */
  @Column('varchar', { length: 100, nullable: true })
  publisher!: string | null;

  @Column('varchar', { length: 16 })
  channels!: RepostChannels;

  @InstantColumn()
  deadline!: Date;

  /** Counted on the provisional calendar of an unpublished year (预估). */
  @Column('boolean', { default: false })
  deadlineEstimated!: boolean;

  @Column('varchar', { length: 64 })
  createdBy!: string;

  @InstantColumn()
  assignedAt!: Date;

  /** `转载核查 Z3` asked for a discovery run (the discovery job takes it): who asked and when. */
  @InstantColumn({ nullable: true })
  discoveryRequestedAt!: Date | null;

  @Column('varchar', { length: 64, nullable: true })
  discoveryRequestedBy!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
