import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, UpdatedAtColumn } from './columns.js';

/**
 * pending: no verified link yet (the unit's move; a link 待人工确认 makes it `review`, the
 * supervisors' move); done: a link is verified (by the check, by discovery or by a supervisor).
 */
export type RepostStatus = 'pending' | 'review' | 'done';

/** One unit's duty to repost one item (Z3 for 高青县). */
@Entity('repost_assignment')
@Index(['itemId', 'unitId'], { unique: true })
@Index(['unitId', 'status'])
@Index(['status', 'deadline'])
export class RepostAssignment {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  itemId!: number;

  /** The top-level unit that must repost. */
  @Column('int')
  unitId!: number;

  @Column('varchar', { length: 16, default: 'pending' })
  status!: RepostStatus;

  /** The item's deadline, kept here so that status lists count by unit in one query. */
  @InstantColumn()
  deadline!: Date;

  @Column('boolean', { default: false })
  deadlineEstimated!: boolean;

  /** When a link was verified, and how: `discovery`, or the userid of who sent or confirmed it. */
  @InstantColumn({ nullable: true })
  doneAt!: Date | null;

  @Column('varchar', { length: 64, nullable: true })
  doneBy!: string | null;

  /** When discovery last read this unit's sites for the item. */
  @InstantColumn({ nullable: true })
  checkedAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
