import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { PiiFindingSummary } from '../services/pii/report.js';
import { InstantColumn, JsonColumn } from './columns.js';

/** A liaison's 办理情况 for a task: text plus the files and images they sent, kept by the bot. */
@Entity('task_reply')
export class TaskReply {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index()
  @Column('int')
  taskId!: number;

  @Column('varchar', { length: 64 })
  userid!: string;

  @Column('text')
  text!: string;

  /** stored_file ids (downloaded from WeCom at once: its media ids live only 3 days). */
  @JsonColumn()
  fileIds!: number[];

  /** Personal-information findings the liaison confirmed (masked values only). */
  @JsonColumn()
  piiFindings!: PiiFindingSummary[];

  @InstantColumn()
  submittedAt!: Date;
}
