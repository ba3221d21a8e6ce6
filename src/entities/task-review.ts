import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { InstantColumn } from './columns.js';

/** 通过 | 退回 */
export type ReviewDecision = 'approve' | 'return';

export const REVIEW_DECISION_LABELS: Record<ReviewDecision, string> = {
  approve: '通过',
  return: '退回',
};

/** A supervisor's decision on a submitted reply. */
@Entity('task_review')
export class TaskReview {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index()
  @Column('int')
  taskId!: number;

  @Column('int')
  replyId!: number;

  @Column('varchar', { length: 64 })
  reviewer!: string;

  @Column('varchar', { length: 16 })
  decision!: ReviewDecision;

  @Column('text', { nullable: true })
  reason!: string | null;

  @InstantColumn()
  reviewedAt!: Date;
}
