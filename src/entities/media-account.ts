import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from './columns.js';

export type MediaPlatform = 'wechat' | 'weibo' | 'toutiao' | 'douyin' | 'other';

export const MEDIA_PLATFORM_LABELS: Record<MediaPlatform, string> = {
  wechat: '微信公众号',
  weibo: '新浪微博',
  toutiao: '今日头条',
  douyin: '抖音',
  other: '其他',
};

/** 运行 | 已关停 | 已注销 */
export type MediaAccountStatus = 'running' | 'closed' | 'cancelled';

export const MEDIA_ACCOUNT_STATUS_LABELS: Record<MediaAccountStatus, string> = {
  running: '运行',
  closed: '已关停',
  cancelled: '已注销',
};

/** A government new-media account (政务新媒体), unique by platform and name. */
@Entity('media_account')
@Index(['platform', 'name'], { unique: true })
export class MediaAccount {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 16 })
  platform!: MediaPlatform;

  @Column('varchar', { length: 100 })
  name!: string;

  @Index()
  @Column('int')
  unitId!: number;

  @Column('varchar', { length: 16, default: 'running' })
  status!: MediaAccountStatus;

  /** Marked by a supervisor as a low-activity candidate for consolidation (标记整合). */
  @Column('boolean', { default: false })
  consolidationCandidate!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
