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

  /** The host the site answers on (www.zibo.gov.cn, or 10.12.3.4:8080 on the extranet). */
  @Column('varchar', { length: 200 })
  domain!: string;

  /**
   * The address to read the site from when it is not simply the domain's root: a full URL, IP
   * address, port and path included (政务外网 sites are often reached as http://10.12.3.4:8080/).
   * Null: https://<domain>/ (then http://).
   */
  @Column('varchar', { length: 300, nullable: true })
  homeUrl!: string | null;

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
