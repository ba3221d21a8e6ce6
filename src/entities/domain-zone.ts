import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from './columns.js';

/**
 * A domain zone a 区县 allocates names in (zhangdian.gov.cn → *.zhangdian.gov.cn), owned by a
 * top-level unit whose own approvers decide its requests. The city's zone (zibo.gov.cn) is not a
 * row: it is always there and the city's supervisors approve it. Set with 设置域名区.
 */
@Entity('domain_zone')
export class DomainZone {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** Lower case, no trailing dot: zhangdian.gov.cn. */
  @Index({ unique: true })
  @Column('varchar', { length: 190 })
  zone!: string;

  @Index()
  @Column('int')
  topUnitId!: number;

  @Column('varchar', { length: 64 })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}

/** A member who approves (and takes back) names in the zones of a top-level unit. */
@Entity('domain_approver')
@Index(['topUnitId', 'userid'], { unique: true })
export class DomainApprover {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  topUnitId!: number;

  @Index()
  @Column('varchar', { length: 64 })
  userid!: string;

  @Column('varchar', { length: 64 })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
