// Who is who: lookups over units and people that every feature needs. Tasks, quotas and status
// belong to top-level units; a unit's liaisons include those of its sub-units.
import { In, type EntityManager } from 'typeorm';
import { Person, type Role } from '../entities/person.js';
import { Unit, type UnitKind } from '../entities/unit.js';

export async function activeTopUnits(tx: EntityManager, kinds?: UnitKind[]): Promise<Unit[]> {
  const units = await tx.getRepository(Unit).find({ where: { active: true }, order: { id: 'ASC' } });
  return units.filter((unit) => unit.parentId === null && (!kinds || kinds.includes(unit.kind)));
}

/** Maps every unit id to its top-level unit id (following parents). */
export async function topUnitIndex(tx: EntityManager): Promise<Map<number, number>> {
  const units = await tx.getRepository(Unit).find({ select: { id: true, parentId: true } });
  const parent = new Map(units.map((unit) => [unit.id, unit.parentId]));
  const top = new Map<number, number>();
  for (const unit of units) {
    let current = unit.id;
    for (let depth = 0; depth < 10; depth++) {
      const next = parent.get(current);
      if (!next) break;
      current = next;
    }
    top.set(unit.id, current);
  }
  return top;
}

/** Active liaisons per top-level unit (including liaisons registered on its sub-units). */
export async function liaisonsByTopUnit(
  tx: EntityManager,
  topUnitIds?: number[],
): Promise<Map<number, Person[]>> {
  const index = await topUnitIndex(tx);
  const people = await tx
    .getRepository(Person)
    .find({ where: { role: 'liaison', active: true }, order: { id: 'ASC' } });
  const result = new Map<number, Person[]>();
  for (const person of people) {
    if (person.unitId === null) continue;
    const top = index.get(person.unitId);
    if (top === undefined || (topUnitIds && !topUnitIds.includes(top))) continue;
    result.set(top, [...(result.get(top) ?? []), person]);
  }
  return result;
}

/** Active supervisors (督办员) and admins: the people who receive review cards and digests. */
export async function supervisors(
  tx: EntityManager,
  roles: Role[] = ['supervisor', 'admin'],
): Promise<Person[]> {
  return tx.getRepository(Person).find({ where: { role: In(roles), active: true }, order: { id: 'ASC' } });
}

export const UNIT_GROUPS: Record<string, UnitKind[] | 'all'> = {
  全部区县: ['district'],
  全部功能区: ['zone'],
  全部市直部门: ['department'],
  全部单位: 'all',
};

export interface UnitResolution {
  units: Unit[];
  /** Names that matched nothing, with the closest unit names. */
  unknown: { name: string; suggestions: string[] }[];
}

/**
 * Reads a list of unit names as a supervisor types it (separated by 、，, ; or spaces, or a group
 * such as 全部区县) into top-level units, reporting unknown names with the closest matches.
 */
export async function resolveUnitNames(tx: EntityManager, text: string): Promise<UnitResolution> {
  const tops = await activeTopUnits(tx);
  const names = text
    .split(/[、，,；;\s]+/)
    .map((name) => name.trim())
    .filter(Boolean);
  const picked = new Map<number, Unit>();
  const unknown: UnitResolution['unknown'] = [];
  for (const name of names) {
    const group = UNIT_GROUPS[name];
    if (group) {
      for (const unit of tops) if (group === 'all' || group.includes(unit.kind)) picked.set(unit.id, unit);
      continue;
    }
    const exact = tops.find((unit) => unit.name === name);
    const partial = exact
      ? [exact]
      : tops.filter((unit) => unit.name.includes(name) || name.includes(unit.name));
    if (partial.length === 1) {
      picked.set(partial[0]!.id, partial[0]!);
      continue;
    }
    unknown.push({
      name,
      suggestions: closestNames(
        name,
        tops.map((unit) => unit.name),
      ),
    });
  }
  return { units: [...picked.values()], unknown };
}

/** Up to three names closest to `name` (shared characters, then length difference). */
export function closestNames(name: string, candidates: string[], limit = 3): string[] {
  const chars = new Set(name);
  return candidates
    .map((candidate) => ({
      candidate,
      shared: [...new Set(candidate)].filter((char) => chars.has(char)).length,
      diff: Math.abs(candidate.length - name.length),
    }))
    .filter((entry) => entry.shared > 0)
    .sort((a, b) => b.shared - a.shared || a.diff - b.diff)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}
