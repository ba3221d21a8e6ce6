import type { EntityManager } from 'typeorm';
import { AuditLog } from '../../entities/audit-log.js';
import { maskPiiForLog } from '../pii/detector.js';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  result?: 'ok' | 'denied' | 'failed';
  /** Human detail; personal information in it is masked again here, whatever the caller did. */
  detail?: string;
}

/**
 * Appends one audit row in the caller's transaction (so it commits or rolls back with the change).
 * The detail goes through the PII detector: an audit row never holds a raw ID or mobile number.
 */
export async function writeAudit(manager: EntityManager, at: Date, entry: AuditEntry): Promise<void> {
  await manager.getRepository(AuditLog).insert(auditRow(at, entry));
}

/** The row for an entry (for a batch insert): cut to the columns, the detail masked. */
export function auditRow(at: Date, entry: AuditEntry): Omit<AuditLog, 'id' | 'count'> {
  return {
    at,
    actor: entry.actor.slice(0, 64),
    action: entry.action.slice(0, 64),
    target: entry.target.slice(0, 128),
    result: entry.result ?? 'ok',
    detail: entry.detail === undefined ? null : maskPiiForLog(entry.detail),
  };
}
