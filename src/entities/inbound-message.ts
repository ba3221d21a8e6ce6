import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn, JsonColumn } from './columns.js';

/**
 * received → done | ignored | quarantined (→ received again when an admin retries it, or dropped);
 * throttled when the member was over the rate limit (kept, not handled). A row stuck in `received`
 * is re-run by the recovery sweep, at most once after a crash (see src/app/quarantine.ts). `failed`
 * is what older versions wrote for a handler that threw.
 */
export type InboundStatus =
  'received' | 'done' | 'failed' | 'ignored' | 'quarantined' | 'dropped' | 'throttled';

/**
 * Every decrypted callback, stored before it is handled. The unique dedupe key (MsgId, or a hash
 * of the decrypted XML for events) is what stops a WeCom retry from having a second effect.
 */
@Entity('inbound_message')
@Index(['status', 'receivedAt'])
export class InboundMessage {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column('varchar', { length: 80 })
  dedupeKey!: string;

  @Column('varchar', { length: 64 })
  fromUser!: string;

  @Column('varchar', { length: 32 })
  msgType!: string;

  @Column('varchar', { length: 64, nullable: true })
  event!: string | null;

  /**
   * The decrypted XML exactly as received, kept only while the delivery is unfinished (the recovery
   * sweep re-runs it: nothing a user sent is lost). Once handled it is dropped (null): the dedupe
   * key is what stops a retry, not the text. See src/app/retention.ts.
   */
  @Column('text', { nullable: true })
  xml!: string | null;

  @Column('varchar', { length: 16, default: 'received' })
  status!: InboundStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('varchar', { length: 500, nullable: true })
  error!: string | null;

  /**
   * The passive reply given in the HTTP response, kept so that a WeCom retry (sent because our
   * response did not arrive) gets the same answer instead of none.
   */
  @JsonColumn({ nullable: true })
  passiveReply!: Record<string, string> | null;

  @InstantColumn()
  receivedAt!: Date;

  @InstantColumn({ nullable: true })
  handledAt!: Date | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
