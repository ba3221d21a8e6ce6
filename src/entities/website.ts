import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from './columns.js';

/** 运行 | 关停 (a site taken down or merged). */
export type WebsiteStatus = 'active' | 'closed';

/** A government website (政府网站) in the national reporting system, owned by a unit. */
@Entity('website')
export class Website {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 100 })
  name!: string;

  /** 网站标识码, e.g. 3703000001. */
  @Index({ unique: true })
  @Column('varchar', { length: 32 })
  siteCode!: string;

  @Column('varchar', { length: 200 })
  domain!: string;

  @Index()
  @Column('int')
  unitId!: number;

  @Column('varchar', { length: 16, default: 'active' })
  status!: WebsiteStatus;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
