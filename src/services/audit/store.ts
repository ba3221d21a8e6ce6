// Reading the audit log for 审计: the rows of the last days, for one account or the people of one
// top-level unit, newest first.
import { In, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { AuditLog } from '../../entities/audit-log.js';
import { Person } from '../../entities/person.js';
import { unitIdsUnder } from '../directory/lookup.js';

/** Most rows one 审计 reads (a file of this many rows is still a small spreadsheet). */
export const MAX_AUDIT_ROWS = 20_000;

export interface AuditQuery {
  /** Only rows by these accounts; undefined: everyone's. */
  actors?: readonly string[];
  since: Date;
}

export interface AuditRows {
  rows: AuditLog[];
  /** Rows in the window (may exceed rows.length when capped). */
  total: number;
  denied: number;
}

export async function findAuditRows(tx: EntityManager, query: AuditQuery): Promise<AuditRows> {
  if (query.actors && query.actors.length === 0) return { rows: [], total: 0, denied: 0 };
  const where = {
    at: MoreThanOrEqual(query.since),
    ...(query.actors ? { actor: In([...query.actors]) } : {}),
  };
  const repo = tx.getRepository(AuditLog);
  const [rows, total, denied] = await Promise.all([
    repo.find({ where, order: { at: 'DESC', id: 'DESC' }, take: MAX_AUDIT_ROWS }),
    repo.count({ where }),
    repo.count({ where: { ...where, result: 'denied' } }),
  ]);
  return { rows, total, denied };
}

/** Everyone registered under a top-level unit (active or not: a departed member's rows count). */
export async function accountsOfUnit(tx: EntityManager, topUnitId: number): Promise<string[]> {
  const unitIds = await unitIdsUnder(tx, topUnitId);
  const people = await tx
    .getRepository(Person)
    .find({ where: { unitId: In(unitIds) }, select: { userid: true } });
  return people.map((person) => person.userid);
}
