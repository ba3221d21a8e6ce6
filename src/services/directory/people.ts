// Changing people in chat (设置联络员, 停用): the lookups, what a change would do, and the writes with
// their audit rows. The rules of who may do it are in services/shared/permissions.ts.
import type { EntityManager } from 'typeorm';
import { ConversationState } from '../../entities/conversation-state.js';
import { Person, ROLE_LABELS } from '../../entities/person.js';
import { Unit } from '../../entities/unit.js';
import type { AuditEntry } from '../shared/audit.js';
import { endBoardSessions } from '../shared/board-sessions.js';
import { liaisonsByTopUnit, maskName, topUnitIndex } from './lookup.js';

/** WeCom userids are case-insensitive; SQLite compares case-sensitively, so compare lower-cased. */
export async function findPersonByUserid(tx: EntityManager, userid: string): Promise<Person | null> {
  return tx
    .getRepository(Person)
    .createQueryBuilder('p')
    .where('LOWER(p.userid) = :userid', { userid: userid.toLowerCase() })
    .getOne();
}

export interface LiaisonChange {
  /** Null when the userid is new. */
  existing: Person | null;
  /** What changes, in words (empty when nothing would change). */
  changes: string[];
  /** The same with names masked, for the audit row. */
  masked: string[];
}

/** What registering `userid` as liaison of `unit` under `name` would change. */
export async function describeLiaisonChange(
  tx: EntityManager,
  existing: Person | null,
  unit: Unit,
  name: string,
): Promise<LiaisonChange> {
  const result: LiaisonChange = { existing, changes: [], masked: [] };
  if (!existing) return result;
  const both = (line: string, masked = line) => {
    result.changes.push(line);
    result.masked.push(masked);
  };
  if (existing.unitId !== unit.id) {
    const before =
      existing.unitId === null ? null : await tx.getRepository(Unit).findOneBy({ id: existing.unitId });
    both(`单位 ${before?.name ?? '无'}→${unit.name}`);
  }
  if (existing.name !== name) {
    both(`姓名 ${existing.name}→${name}`, `姓名 ${maskName(existing.name)}→${maskName(name)}`);
  }
  if (existing.role !== 'liaison') both(`角色 ${ROLE_LABELS[existing.role]}→联络员`);
  if (!existing.active) both('重新启用');
  return result;
}

/** Creates or updates the person as liaison of the unit; returns the audit entry to write. */
export async function saveLiaison(
  tx: EntityManager,
  actor: string,
  change: LiaisonChange,
  wanted: { userid: string; name: string; unit: Unit },
): Promise<AuditEntry> {
  const people = tx.getRepository(Person);
  if (!change.existing) {
    await people.insert({
      userid: wanted.userid,
      name: wanted.name,
      unitId: wanted.unit.id,
      role: 'liaison',
      mobile: null,
      active: true,
    });
    return {
      actor,
      action: 'person.set-liaison',
      target: `person:${wanted.userid}`,
      detail: `新登记：${maskName(wanted.name)}，${wanted.unit.name} 联络员`,
    };
  }
  await people.update(
    { id: change.existing.id },
    { unitId: wanted.unit.id, name: wanted.name, role: 'liaison', active: true },
  );
  // A new role or unit decides what the board shows: sessions opened before it end.
  await endBoardSessions(tx, change.existing.userid);
  return {
    actor,
    action: 'person.set-liaison',
    target: `person:${change.existing.userid}`,
    detail: change.masked.join('；'),
  };
}

/**
 * Whether deactivating this liaison leaves their top-level unit without an active liaison (the unit's
 * tasks stay with the unit; someone must be named to receive them).
 */
export async function leavesUnitWithoutLiaison(tx: EntityManager, person: Person): Promise<Unit | null> {
  if (person.role !== 'liaison' || person.unitId === null) return null;
  const top = (await topUnitIndex(tx)).get(person.unitId);
  if (top === undefined) return null;
  const liaisons = (await liaisonsByTopUnit(tx, [top])).get(top) ?? [];
  if (liaisons.some((other) => other.id !== person.id)) return null;
  return tx.getRepository(Unit).findOneBy({ id: top });
}

/** Deactivates the person and drops any dialog they had open; returns the audit entry to write. */
export async function deactivate(tx: EntityManager, actor: string, person: Person): Promise<AuditEntry> {
  await tx.getRepository(Person).update({ id: person.id }, { active: false });
  await tx.getRepository(ConversationState).delete({ userid: person.userid });
  // Signed out of the board everywhere, so that a later reactivation revives no old cookie.
  await endBoardSessions(tx, person.userid);
  const unit = person.unitId === null ? null : await tx.getRepository(Unit).findOneBy({ id: person.unitId });
  return {
    actor,
    action: 'person.deactivate',
    target: `person:${person.userid}`,
    detail: `停用：${maskName(person.name)}，${unit?.name ?? '无单位'} ${ROLE_LABELS[person.role]}`,
  };
}
