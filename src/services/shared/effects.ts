// The one shape of a service that changes something: `(effects, …, actor)` returning an outcome
// union. Effects are what the change needs (the transaction, the business time, the audit writer
// bound to both); the actor is who acts.
import type { EntityManager } from 'typeorm';
import type { Role } from '../../entities/person.js';
import type { AuditEntry } from './audit.js';

/** What a state change needs: the transaction, the business time and the audit writer bound to both. */
export interface Effects {
  tx: EntityManager;
  now: Date;
  audit: (entry: AuditEntry) => Promise<void>;
}

/** Someone acting: a member (userid, role, top-level unit) or the command line (`cli:<user>`). */
export interface Actor {
  userid: string;
  role: Role;
  topUnitId: number | null;
}
