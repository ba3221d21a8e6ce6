import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn, InstantColumn } from './columns.js';
import type { Role } from './person.js';

/**
 * One signed-in browser on the progress board. The cookie carries a random token; the database keeps
 * only its SHA-256, so a copy of the table signs nobody in. Deleting a person's rows ends every one
 * of their sessions at once (logout, deactivation, a role change).
 */
@Entity('board_session')
export class BoardSession {
  /** SHA-256 (hex) of the token in the cookie. */
  @PrimaryColumn('varchar', { length: 64 })
  tokenHash!: string;

  @Index()
  @Column('varchar', { length: 64 })
  userid!: string;

  /** The role the member had at sign-in: a session does not survive a change of role. */
  @Column('varchar', { length: 16 })
  role!: Role;

  @Index()
  @InstantColumn()
  expiresAt!: Date;

  @CreatedAtColumn()
  createdAt!: Date;
}
