// Small pieces the guestbook, filing and domain duties share: who may act for a unit, references
// such as L5/F3/D4, short quotes of stored text.
import type { EntityManager } from 'typeorm';
import type { Role } from '../../entities/person.js';
import type { Actor } from './effects.js';
import { Unit } from '../../entities/unit.js';

/** The name of the unit holding something (a domain, an account); 其他单位 if it is gone. */
export async function unitNameOf(tx: EntityManager, unitId: number): Promise<string> {
  return (await tx.getRepository(Unit).findOneBy({ id: unitId }))?.name ?? '其他单位';
}

export function isSupervisorRole(role: Role): boolean {
  return role === 'supervisor' || role === 'admin';
}

/** Supervisors and admins act for every unit; a liaison only for their own top-level unit. */
export function mayActFor(actor: Actor, topUnitId: number): boolean {
  return isSupervisorRole(actor.role) || actor.topUnitId === topUnitId;
}

/** `L5`, `l5`, `Ｌ５` or `5` → 5 for prefix L; null for anything else. */
export function parseRef(prefix: string, text: string): number | null {
  const match = new RegExp(`^${prefix}?(\\d{1,9})$`, 'i').exec(text.normalize('NFKC').trim());
  const id = Number(match?.[1]);
  return match && id > 0 ? id : null;
}

/** The first `max` characters of a text on one line, with … when cut. */
export function clip(text: string, max = 30): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat;
}

/** Splits `F3 理由…` into the reference word and the rest. */
/**
 * `D4 拒绝 理由…` / `L5 通过`: the number after `prefix`, one of `verdicts`, and the rest (may be
 * empty); null when either is missing or unknown.
 */
export function parseDecision<V extends string>(
  text: string,
  prefix: string,
  verdicts: readonly V[],
): { id: number; verdict: V; note: string } | null {
  const { first, rest } = splitFirstWord(text);
  const id = parseRef(prefix, first);
  const { first: verdict, rest: note } = splitFirstWord(rest);
  if (id === null || !(verdicts as readonly string[]).includes(verdict)) return null;
  return { id, verdict: verdict as V, note };
}

export function splitFirstWord(text: string): { first: string; rest: string } {
  const trimmed = text.trim();
  const index = trimmed.search(/\s/);
  return index < 0
    ? { first: trimmed, rest: '' }
    : { first: trimmed.slice(0, index), rest: trimmed.slice(index + 1).trim() };
}
