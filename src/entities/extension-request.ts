import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PiiFindingSummary } from '../services/pii/report.js';
import { InstantColumn, JsonColumn } from './columns.js';

/** 待审批 | 已同意 | 已拒绝 */
export type ExtensionStatus = 'pending' | 'approved' | 'rejected';

export const EXTENSION_STATUS_LABELS: Record<ExtensionStatus, string> = {
  pending: '待审批',
  approved: '已同意',
  rejected: '已拒绝',
};

/** A unit asks for a later deadline; a supervisor approves or rejects it. */
@Entity('extension_request')
@Index(['taskId', 'status'])
export class ExtensionRequest {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  taskId!: number;

  @Column('varchar', { length: 64 })
  requestedBy!: string;

  @Column('text')
  reason!: string;

  @JsonColumn()
  piiFindings!: PiiFindingSummary[];

  @InstantColumn()
  previousDeadline!: Date;

  @InstantColumn()
  requestedDeadline!: Date;

  /** The requested deadline was counted on the provisional calendar of a year not yet published (预估). */
  @Column('boolean', { default: false })
  requestedEstimated!: boolean;

  /** For "N个工作日" from the request: N (counted from requestedAt); null for a date. */
  @Column('int', { nullable: true })
  requestedWorkingDays!: number | null;

  @Column('varchar', { length: 16 })
  status!: ExtensionStatus;

  @InstantColumn()
  requestedAt!: Date;

  @Column('varchar', { length: 64, nullable: true })
  decidedBy!: string | null;

  @Column('text', { nullable: true })
  decisionReason!: string | null;

  @InstantColumn({ nullable: true })
  decidedAt!: Date | null;
}
