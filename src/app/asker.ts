// The asker of a delivery: their person row, locked for the length of the delivery's transaction
// (two deliveries from one member are handled one after the other, so their dialog state cannot
// race), with their unit and top-level unit taken from a unit tree cached in this process, and
// their open dialog.
//
// One statement does it all on the hot path: the locked person row, their conversation_state row
// and, beside them, the unit table's version. The bot moves that version in the same transaction
// as every change it makes to units (src/db/unit-version.ts: the directory import), so the cached
// tree is read again on every instance once such a change commits; a change made behind the bot's
// back (SQL typed by hand) is picked up within TREE_MAX_AGE_MS. The subquery takes no lock, so
// members do not wait on each other.
import type { EntityManager } from 'typeorm';
import { asDate } from '../db/values.js';
import { Person, type Role } from '../entities/person.js';
import { Unit, type UnitKind } from '../entities/unit.js';
import type { Asker } from '../handlers/types.js';

interface PersonRow {
  id: number;
  userid: string;
  name: string;
  unit_id: number | null;
  role: string;
  mobile: string | null;
  active: number | boolean;
  created_at: unknown;
  updated_at: unknown;
  units_at: number | string | null;
  c_flow: string | null;
  c_step: string | null;
  c_data: string | null;
  c_version: number | null;
  c_role: string | null;
  c_unit_id: number | null;
  c_expires_at: unknown;
  c_exists: number | string | boolean;
}

/** The open dialog as stored (conversation_state), read with the asker. */
export interface StoredConversation {
  flow: string;
  step: string;
  data: unknown;
  version: number;
  role: Role | null;
  unitId: number | null;
  expiresAt: Date;
}

interface UnitRow {
  id: number;
  name: string;
  kind: string;
  parent_id: number | null;
  active: number | boolean;
  created_at: unknown;
  updated_at: unknown;
}

const PERSON_COLUMNS =
  'p.id, p.userid, p.name, p.unit_id, p.role, p.mobile, p.active, p.created_at, p.updated_at';
const UNITS_STAMP = '(SELECT v.version FROM unit_version v WHERE v.id = 1) AS units_at';
/** Whether a dialog row exists, read without a lock: SKIP LOCKED would otherwise hide a busy one. */
const DIALOG_EXISTS = 'EXISTS (SELECT 1 FROM conversation_state x WHERE x.userid = p.userid) AS c_exists';
const CONVERSATION_COLUMNS =
  'c.flow AS c_flow, c.step AS c_step, c.data AS c_data, c.version AS c_version, c.role AS c_role, ' +
  'c.unit_id AS c_unit_id, c.expires_at AS c_expires_at';

/** A tree older than this is read again even if the version did not move (a change made by hand). */
export const TREE_MAX_AGE_MS = 60_000;

/** How deep sub-units nest at most (a district's bureau's office …): the walk to the top stops there. */
const MAX_DEPTH = 5;

export class AskerLoader {
  private tree: { stamp: string; loadedAt: number; units: Map<number, Unit> } | undefined;
  private readonly sql: string;
  /** The same, finding no row where another transaction holds it (a shared commit's). */
  private readonly sqlSkipLocked: string;

  /** `elapsed`: a monotonic clock in milliseconds (the tree's age). */
  constructor(
    lockRows: boolean,
    private readonly elapsed: () => number,
  ) {
    const select =
      `SELECT ${PERSON_COLUMNS}, ${UNITS_STAMP}, ${DIALOG_EXISTS}, ${CONVERSATION_COLUMNS} FROM person p ` +
      `LEFT JOIN conversation_state c ON c.userid = p.userid WHERE p.userid = ?`;
    this.sql = lockRows ? `${select} FOR UPDATE` : select;
    this.sqlSkipLocked = lockRows ? `${select} FOR UPDATE SKIP LOCKED` : select;
  }

  /**
   * The active asker with their units and their stored dialog (if any), locked in `tx`; undefined
   * for an unknown or inactive userid, and with `wait: false` also for one whose row another
   * transaction holds: a shared commit must not wait for one member's other work.
   */
  async lock(
    tx: EntityManager,
    userid: string,
    wait = true,
  ): Promise<
    { asker: Asker; conversation: StoredConversation | undefined; dialogBusy: boolean } | undefined
  > {
    const rows = await tx.query<PersonRow[]>(wait ? this.sql : this.sqlSkipLocked, [userid]);
    const row = rows[0];
    if (!row || !truthy(row.active)) return undefined;
    const units = await this.units(tx, stampOf(row.units_at));
    const unit = row.unit_id === null ? null : (units.get(row.unit_id) ?? null);
    let top = unit;
    for (let depth = 0; top?.parentId && depth < MAX_DEPTH; depth++) top = units.get(top.parentId) ?? null;
    const conversation = conversationOf(row);
    return {
      asker: Object.assign(personOf(row), { unit, topUnit: top }),
      conversation,
      // Skipped as locked (wait: false): the member's dialog is in another transaction's hands.
      dialogBusy: conversation === undefined && truthy(Number(row.c_exists)),
    };
  }

  private async units(tx: EntityManager, stamp: string): Promise<Map<number, Unit>> {
    const now = this.elapsed();
    if (this.tree?.stamp === stamp && now - this.tree.loadedAt < TREE_MAX_AGE_MS) return this.tree.units;
    const rows = await tx.query<UnitRow[]>(
      'SELECT id, name, kind, parent_id, active, created_at, updated_at FROM unit',
    );
    const units = new Map(rows.map((unit) => [unit.id, unitOf(unit)]));
    this.tree = { stamp, loadedAt: now, units };
    return units;
  }
}

function truthy(value: number | boolean): boolean {
  return value === true || value === 1;
}

/** The unit table's version as read (a number, or a string for a BIGINT); 'none' without the row. */
function stampOf(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? `${value}` : 'none';
}

function personOf(row: PersonRow): Person {
  return Object.assign(new Person(), {
    id: row.id,
    userid: row.userid,
    name: row.name,
    unitId: row.unit_id,
    role: row.role as Role,
    mobile: row.mobile,
    active: truthy(row.active),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  });
}

function conversationOf(row: PersonRow): StoredConversation | undefined {
  if (row.c_flow === null || row.c_step === null || row.c_version === null) return undefined;
  return {
    flow: row.c_flow,
    step: row.c_step,
    data: row.c_data === null ? {} : (JSON.parse(row.c_data) as unknown),
    version: row.c_version,
    role: row.c_role as Role | null,
    unitId: row.c_unit_id,
    expiresAt: asDate(row.c_expires_at),
  };
}

function unitOf(row: UnitRow): Unit {
  return Object.assign(new Unit(), {
    id: row.id,
    name: row.name,
    kind: row.kind as UnitKind,
    parentId: row.parent_id,
    active: truthy(row.active),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  });
}
