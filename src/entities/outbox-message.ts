import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from './columns.js';

/** app: message/send to a member; card_update: update_template_card; robot: group webhook. */
export type OutboxChannel = 'app' | 'card_update' | 'robot';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

/**
 * One outbound message to one recipient, written in the same transaction as the change that
 * caused it. The dispatcher claims rows, merges identical payloads into one API call and records
 * the outcome; see src/bot/outbox.ts.
 */
@Entity('outbox_message')
@Index(['status', 'nextAttemptAt'])
@Index(['recipient', 'claimedAt'])
@Index(['orderGroup', 'orderIndex'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column('varchar', { length: 160 })
  idempotencyKey!: string;

  @Column('varchar', { length: 16 })
  channel!: OutboxChannel;

  /** A WeCom userid, or the group-robot id for channel robot. */
  @Column('varchar', { length: 64 })
  recipient!: string;

  /** The message body without touser/agentid, exactly as it will be sent. */
  @Column('text')
  payload!: string;

  /** sha1 of payload: rows with the same hash and class are merged into one call. */
  @Column('varchar', { length: 40 })
  payloadHash!: string;

  /** What caused it: reply, task, reminder, broadcast:12 … (for progress counts and reports). */
  @Index()
  @Column('varchar', { length: 64 })
  source!: string;

  /** Parts of one long reply share a group and go out strictly in index order. */
  @Column('varchar', { length: 64, nullable: true })
  orderGroup!: string | null;

  @Column('int', { default: 0 })
  orderIndex!: number;

  /** Seconds WeCom should suppress an identical request (enable_duplicate_check). */
  @Column('int', { default: 1800 })
  duplicateCheckInterval!: number;

  @Column('varchar', { length: 16, default: 'pending' })
  status!: OutboxStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  @InstantColumn()
  nextAttemptAt!: Date;

  @InstantColumn({ nullable: true })
  claimedAt!: Date | null;

  @InstantColumn({ nullable: true })
  leaseUntil!: Date | null;

  /** Rows sent in one merged call share a batch id; a re-send repeats the identical request. */
  @Column('varchar', { length: 40, nullable: true })
  batchId!: string | null;

  @InstantColumn({ nullable: true })
  sentAt!: Date | null;

  @Column('varchar', { length: 128, nullable: true })
  msgid!: string | null;

  /** For interactive cards: lets the bot update the card once (72 h). */
  @Column('varchar', { length: 256, nullable: true })
  responseCode!: string | null;

  @Column('int', { nullable: true })
  lastErrcode!: number | null;

  @Column('varchar', { length: 500, nullable: true })
  lastError!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
