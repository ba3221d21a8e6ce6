import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from './columns.js';

/**
 * One occurrence of a broadcast that was sent: how many messages it queued and to how many
 * members. The outbox is a queue that is purged; what a notice reached stays here (通知列表).
 */
@Entity('broadcast_run')
@Index(['broadcastId', 'occurrence'], { unique: true })
export class BroadcastRun {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int')
  broadcastId!: number;

  /** The scheduled instant this run is for (the now of an immediate broadcast). */
  @InstantColumn()
  occurrence!: Date;

  /** Members (or the one group robot) the occurrence went to. */
  @Column('int')
  recipients!: number;

  /** Outbox messages queued for it (long notices are split into parts). */
  @Column('int')
  messages!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
