import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from './columns.js';

/** The access token per app, shared by every instance; `refreshingUntil` is the refresh lock. */
@Entity('wecom_token')
export class WecomToken {
  @PrimaryColumn('varchar', { length: 64 })
  appKey!: string;

  /** WeCom asks for at least 512 bytes of room. */
  @Column('varchar', { length: 1024, nullable: true })
  accessToken!: string | null;

  @InstantColumn({ nullable: true })
  expiresAt!: Date | null;

  @InstantColumn({ nullable: true })
  refreshingUntil!: Date | null;
}
