import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn, JsonColumn, UpdatedAtColumn } from './columns.js';

/** The open multi-step dialog of one user (at most one), with the flow's version and an expiry. */
@Entity('conversation_state')
export class ConversationState {
  @PrimaryColumn('varchar', { length: 64 })
  userid!: string;

  @Column('varchar', { length: 48 })
  flow!: string;

  @Column('varchar', { length: 48 })
  step!: string;

  @JsonColumn()
  data!: unknown;

  /** The flow definition's version when the state was written; a mismatch drops the state. */
  @Column('int')
  version!: number;

  /** Who started the dialog: a change of role or top-level unit ends it (null on older rows). */
  @Column('varchar', { length: 16, nullable: true })
  role!: string | null;

  @Column('int', { nullable: true })
  unitId!: number | null;

  @InstantColumn()
  expiresAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
