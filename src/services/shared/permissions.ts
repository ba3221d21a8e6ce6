// Who may do what, in one place: what each role may do, which units' data an asker may see, and the
// words a refusal uses. The router, handlers and queries all ask here instead of testing roles.
import { ROLE_LABELS, type Role } from '../../entities/person.js';
import type { AuditEntry } from './audit.js';

/** What a role may do; commands declare their roles with `rolesWith(capability)`. */
export type Capability =
  /** Use the bot at all: 帮助, 我的信息, the own unit's tasks and items. */
  | 'use'
  /** Read every unit's data (status, tasks, accounts), not only the own top-level unit's. */
  | 'see-all-units'
  /** Create, assign and review tasks and case calls; remind units. */
  | 'supervise'
  /** Export lists and reports. */
  | 'export'
  /** 设置联络员: register or move a liaison. */
  | 'set-liaison'
  /** 停用 and the rest of directory management (import, supervisors, admins). */
  | 'manage-directory';

export const ROLES: readonly Role[] = ['liaison', 'supervisor', 'admin'];

/**
 * The role rules. Liaisons act for their own top-level unit (including its sub-units); supervisors
 * see everything, create and review tasks and export; admins additionally manage the directory.
 */
export const ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  liaison: ['use'],
  supervisor: ['use', 'see-all-units', 'supervise', 'export', 'set-liaison'],
  admin: ['use', 'see-all-units', 'supervise', 'export', 'set-liaison', 'manage-directory'],
};

export function can(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].includes(capability);
}

/** The roles that have a capability, for a command's `roles`. */
export function rolesWith(capability: Capability): Role[] {
  return ROLES.filter((role) => can(role, capability));
}

export const SUPERVISOR_ONLY_TEXT = '该命令仅限督办人员使用。';
export const ADMIN_ONLY_TEXT = '该命令仅限管理员使用。';
/** A member whose account is linked to no unit, asking for something that needs one. */
export const NO_UNIT_TEXT = '您尚未关联单位，请联系市大数据局电子政务科。';
/** A liaison naming (or asking for) another unit's data. */
export const OTHER_UNIT_TEXT = '您只能查看和办理本单位（含下属单位）的事项。';

/** The one-line refusal for someone whose role may not use a command, card or file route. */
export function denialText(allowed: readonly Role[]): string {
  if (allowed.includes('supervisor')) return SUPERVISOR_ONLY_TEXT;
  if (allowed.includes('admin')) return ADMIN_ONLY_TEXT;
  return `该命令仅限${allowed.map((role) => ROLE_LABELS[role]).join('、')}使用。`;
}

export function isAllowed(role: Role, allowed: readonly Role[]): boolean {
  return allowed.includes(role);
}

/** The audit row written when a refusal is given (`kind` says what was refused). */
export function denialAudit(
  asker: { userid: string; role: Role },
  kind: 'command' | 'card' | 'file',
  name: string,
): AuditEntry {
  return {
    actor: asker.userid,
    action: `${kind}:${name}`,
    target: name,
    result: 'denied',
    detail: `角色 ${ROLE_LABELS[asker.role]} 无权使用`,
  };
}

/** What unit scoping needs to know about the asker (an `Asker` fits). */
export interface Viewer {
  role: Role;
  topUnit: { id: number } | null;
}

/** Whether the asker may see and act on the data of this top-level unit. */
export function canSeeUnit(viewer: Viewer, topUnitId: number): boolean {
  if (can(viewer.role, 'see-all-units')) return true;
  return viewer.topUnit !== null && viewer.topUnit.id === topUnitId;
}

/**
 * The top-level units a query should be limited to: undefined means every unit (supervisors and
 * admins); a liaison gets their own, or none when they have no unit.
 */
export function visibleTopUnitIds(viewer: Viewer): number[] | undefined {
  if (can(viewer.role, 'see-all-units')) return undefined;
  return viewer.topUnit ? [viewer.topUnit.id] : [];
}

/** Keeps the items the asker may see; `topUnitOf` says which top-level unit an item belongs to. */
export function visibleItems<T>(viewer: Viewer, items: readonly T[], topUnitOf: (item: T) => number): T[] {
  return items.filter((item) => canSeeUnit(viewer, topUnitOf(item)));
}

export type PersonChangeCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether `actor` may register `target` (an existing person, or undefined for a new userid) as a
 * liaison. Supervisors may not demote supervisors or admins; nobody changes their own record this
 * way (an admin could lock the office out of the directory).
 */
export function checkSetLiaison(
  actor: { userid: string; role: Role },
  target: { userid: string; role: Role } | undefined,
): PersonChangeCheck {
  if (!can(actor.role, 'set-liaison')) return { ok: false, reason: SUPERVISOR_ONLY_TEXT };
  if (!target) return { ok: true };
  if (target.userid.toLowerCase() === actor.userid.toLowerCase()) {
    return { ok: false, reason: '不能修改自己的登记信息，请联系其他督办人员或管理员。' };
  }
  if (target.role !== 'liaison' && !can(actor.role, 'manage-directory')) {
    return {
      ok: false,
      reason: `${target.userid} 是${ROLE_LABELS[target.role]}，只有管理员可以更改其角色。`,
    };
  }
  return { ok: true };
}

/** Whether `actor` may deactivate `target` (admins only, never themselves). */
export function checkDeactivate(
  actor: { userid: string; role: Role },
  target: { userid: string; role: Role },
): PersonChangeCheck {
  if (!can(actor.role, 'manage-directory')) return { ok: false, reason: ADMIN_ONLY_TEXT };
  if (target.userid.toLowerCase() === actor.userid.toLowerCase()) {
    return { ok: false, reason: '不能停用自己的账号。' };
  }
  return { ok: true };
}
