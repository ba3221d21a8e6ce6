// Who is looking at the board: the signed-in member as the directory knows them now (a session
// outlives nothing: a member deactivated or removed after signing in is refused on the next page).
import type { EntityManager } from 'typeorm';
import type { Role } from '../entities/person.js';
import type { Unit } from '../entities/unit.js';
import { findPersonByUserid } from '../services/directory/people.js';
import { topUnitOf } from '../services/directory/lookup.js';

export interface BoardViewer {
  userid: string;
  name: string;
  role: Role;
  topUnit: { id: number; name: string } | null;
}

export type ViewerLookup = { kind: 'ok'; viewer: BoardViewer } | { kind: 'unknown' } | { kind: 'inactive' };

export async function lookupViewer(tx: EntityManager, userid: string): Promise<ViewerLookup> {
  const person = await findPersonByUserid(tx, userid);
  if (!person) return { kind: 'unknown' };
  if (!person.active) return { kind: 'inactive' };
  let top: Unit | null = null;
  if (person.unitId !== null) {
    top = await topUnitOf(tx, person.unitId);
  }
  return {
    kind: 'ok',
    viewer: {
      userid: person.userid,
      name: person.name,
      role: person.role,
      topUnit: top ? { id: top.id, name: top.name } : null,
    },
  };
}
