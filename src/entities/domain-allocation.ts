import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PiiFindingSummary } from '../services/pii/report.js';
import { CreatedAtColumn, InstantColumn, JsonColumn, UpdatedAtColumn } from './columns.js';

/** 待审批 | 在用 | 已拒绝 | 已收回 */
export type DomainStatus = 'pending' | 'active' | 'rejected' | 'revoked';

export const DOMAIN_STATUS_LABELS: Record<DomainStatus, string> = {
  pending: '待审批',
  active: '在用',
  rejected: '已拒绝',
  revoked: '已收回',
};

/**
 * A second-level domain (二级域名) under the government portal's domain, requested by a unit and
 * allocated or refused by a supervisor (国办函〔2018〕55号); members call a request D<id>.
 */
@Entity('domain_allocation')
@Index(['status', 'subdomain'])
export class DomainAllocation {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** The label under its zone, lower case (`jyj` for jyj.zibo.gov.cn). */
  @Column('varchar', { length: 63 })
  subdomain!: string;

  /** The zone the label is under: zibo.gov.cn (the city's) or a 区县's, e.g. zhangdian.gov.cn. */
  @Column('varchar', { length: 190, default: 'zibo.gov.cn' })
  zone!: string;

  /**
   * The full name while the request is 待审批 or the name 在用, NULL otherwise: the unique index
   * makes the database itself refuse a second request or allocation of one name (NULLs do not
   * collide), so two requests sent at the same moment cannot both be taken.
   */
  @Index({ unique: true })
  @Column('varchar', { length: 254, nullable: true })
  reservedKey!: string | null;

  @Column('int')
  unitId!: number;

  @Index()
  @Column('int')
  topUnitId!: number;

  @Column('int', { nullable: true })
  websiteId!: number | null;

  @Column('text')
  purpose!: string;

  @Column('varchar', { length: 16, default: 'pending' })
  status!: DomainStatus;

  @Column('varchar', { length: 64 })
  requestedBy!: string;

  @InstantColumn()
  requestedAt!: Date;

  @Column('varchar', { length: 64, nullable: true })
  decidedBy!: string | null;

  @InstantColumn({ nullable: true })
  decidedAt!: Date | null;

  /** Reason given with a refusal (or a note with an approval). */
  @Column('text', { nullable: true })
  decisionNote!: string | null;

  @InstantColumn({ nullable: true })
  allocatedAt!: Date | null;

  @Column('varchar', { length: 64, nullable: true })
  revokedBy!: string | null;

  @InstantColumn({ nullable: true })
  revokedAt!: Date | null;

  @Column('text', { nullable: true })
  revokeReason!: string | null;

  /** Warn findings the member accepted in the purpose: masked values only. */
  @JsonColumn({ nullable: true })
  piiAccepted!: PiiFindingSummary[] | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
