import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from './columns.js';

/**
 * Whether `留言办结` answers go to a supervisor's review before the message is closed: city-wide
 * (`scope_key` city) or for one top-level unit (`unit:<id>`, which wins over the city's). Set by
 * supervisors with 留言审核.
 */
@Entity('guestbook_review_setting')
export class GuestbookReviewSetting {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column('varchar', { length: 32 })
  scopeKey!: string;

  /** The unit, or null for the city-wide setting. */
  @Column('int', { nullable: true })
  topUnitId!: number | null;

  @Column('boolean')
  enabled!: boolean;

  @Column('varchar', { length: 64 })
  setBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
