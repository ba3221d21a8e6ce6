// Second-level domains (二级域名), per 国办函〔2018〕55号 and the notice: the city allocates names
// under its zone (zibo.gov.cn), each 区县 under its own zones (zhangdian.gov.cn) with its own
// approvers; a name is never held twice. The database enforces that: `reserved_key` (the full name
// while a request waits or the name is in use) is unique, so a request is one INSERT, not a read
// followed by a write, and of two requests sent at once only one gets a D-number. Names the
// directory's websites already answer on are refused too.
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import { DomainAllocation } from '../../entities/domain-allocation.js';
import { DomainApprover, DomainZone } from '../../entities/domain-zone.js';
import { Person } from '../../entities/person.js';
import { Unit } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { isDuplicateKeyError } from '../../db/errors.js';
import { moveFromStatus } from '../../db/transitions.js';
import { topUnitIndex } from '../directory/lookup.js';
import { isSupervisorRole, unitNameOf } from '../shared/duty.js';
import { type Actor, type Effects } from '../shared/effects.js';
import type { OpenItemSource } from '../open-items/items.js';
import type { PiiFindingSummary } from '../pii/report.js';
import { CITY_ZONE, domainRef, nameOf, siteHost } from './rules.js';
import { AUDIT_DETAILS, CITY_OWNER, PENDING_STATE, pendingRequestTitle } from './views.js';

export { CITY_ZONE, domainRef, nameOf };

/** The full name of an allocation. */
export const allocationName = (allocation: Pick<DomainAllocation, 'subdomain' | 'zone'>): string =>
  nameOf(allocation.subdomain, allocation.zone);

// Zones and approvers.

export interface ZoneInfo {
  zone: string;
  /** The 区县 that owns it; null for the city's zone. */
  topUnitId: number | null;
}

/** Every zone: the city's first, then the 区县's. */
export async function allZones(tx: EntityManager): Promise<ZoneInfo[]> {
  const rows = await tx.getRepository(DomainZone).find({ order: { zone: 'ASC' } });
  return [{ zone: CITY_ZONE, topUnitId: null }, ...rows.map(({ zone, topUnitId }) => ({ zone, topUnitId }))];
}

/** Where a bare label goes for this unit: its own zone when it has exactly one, else the city's. */
export function defaultZone(zones: readonly ZoneInfo[], topUnitId: number | null): string {
  const own = zones.filter((zone) => zone.topUnitId !== null && zone.topUnitId === topUnitId);
  return own.length === 1 ? own[0]!.zone : CITY_ZONE;
}

export function zoneOwner(zones: readonly ZoneInfo[], zone: string): number | null {
  return zones.find((candidate) => candidate.zone === zone)?.topUnitId ?? null;
}

/** The userids who decide names in a zone: the owner's approvers, or the city's supervisors. */
export async function approversOf(tx: EntityManager, owner: number | null): Promise<string[]> {
  if (owner === null) {
    const people = await tx
      .getRepository(Person)
      .find({ where: { role: In(['supervisor', 'admin']), active: true }, order: { id: 'ASC' } });
    return people.map((person) => person.userid);
  }
  const rows = await tx
    .getRepository(DomainApprover)
    .find({ where: { topUnitId: owner }, order: { id: 'ASC' } });
  if (rows.length === 0) return [];
  const active = await tx
    .getRepository(Person)
    .find({ where: { userid: In(rows.map((row) => row.userid)), active: true } });
  const ids = new Set(active.map((person) => person.userid));
  return rows.map((row) => row.userid).filter((userid) => ids.has(userid));
}

/** Whether `actor` decides (and takes back) names in a zone owned by `owner` (null: the city's). */
export async function mayDecide(tx: EntityManager, actor: Actor, owner: number | null): Promise<boolean> {
  if (owner === null) return isSupervisorRole(actor.role);
  return (await tx.getRepository(DomainApprover).countBy({ topUnitId: owner, userid: actor.userid })) > 0;
}

// Availability.

export type Unavailable =
  | { kind: 'taken'; holder: DomainAllocation; unitName: string }
  | { kind: 'pending'; other: DomainAllocation; unitName: string }
  /** A website in the directory answers on this name. */
  | { kind: 'site'; website: Website; unitName: string };

/** The allocation holding a name (waiting or in use), if any; read as committed. */
async function reservation(tx: EntityManager, name: string): Promise<DomainAllocation | null> {
  return tx.getRepository(DomainAllocation).findOneBy({ reservedKey: name });
}

/** The directory's website answering on `name` (its domain or home address), if any. */
export async function siteOnName(tx: EntityManager, name: string): Promise<Website | null> {
  const sites = await tx.getRepository(Website).find({ where: { status: 'active' }, order: { id: 'ASC' } });
  return sites.find((site) => siteHost(site.domain) === name || siteHost(site.homeUrl) === name) ?? null;
}

async function unavailable(tx: EntityManager, name: string, except?: number): Promise<Unavailable | null> {
  const held = await reservation(tx, name);
  if (held && held.id !== except) {
    const unitName = await unitNameOf(tx, held.topUnitId);
    return held.status === 'active'
      ? { kind: 'taken', holder: held, unitName }
      : { kind: 'pending', other: held, unitName };
  }
  const site = await siteOnName(tx, name);
  if (site) {
    const top = (await topUnitIndex(tx)).get(site.unitId) ?? site.unitId;
    return { kind: 'site', website: site, unitName: await unitNameOf(tx, top) };
  }
  return null;
}

/** Whether a name can be requested (the clear answer before anything is stored). */
export async function domainAvailability(
  tx: EntityManager,
  name: string,
): Promise<{ kind: 'free' } | Unavailable> {
  return (await unavailable(tx, name)) ?? { kind: 'free' };
}

function refusalDetail(name: string, why: Unavailable): string {
  switch (why.kind) {
    case 'taken':
      return AUDIT_DETAILS.taken(name, domainRef(why.holder.id));
    case 'pending':
      return AUDIT_DETAILS.pending(name, domainRef(why.other.id));
    case 'site':
      return AUDIT_DETAILS.site(name, why.website.siteCode);
  }
}

// Requests.

export interface DomainRequestInput {
  label: string;
  zone: string;
  purpose: string;
  websiteId: number | null;
  unitId: number;
  topUnitId: number;
  accepted: PiiFindingSummary[];
}

export type ZoneRefusal =
  /** A 区县's zone: only that 区县's units request in it. */
  | { kind: 'not-your-zone'; zone: string; ownerName: string }
  /** Nobody may decide in this zone yet. */
  | { kind: 'no-approvers'; zone: string; ownerName: string };

export type RequestOutcome =
  { kind: 'ok'; allocation: DomainAllocation; approvers: string[] } | Unavailable | ZoneRefusal;

/** Who may request in a zone, and who would decide: the refusal, or the approvers. */
export async function requestCheck(
  tx: EntityManager,
  zones: readonly ZoneInfo[],
  zone: string,
  topUnitId: number,
): Promise<ZoneRefusal | { kind: 'ok'; approvers: string[] }> {
  const owner = zoneOwner(zones, zone);
  if (owner !== null && owner !== topUnitId) {
    return { kind: 'not-your-zone', zone, ownerName: await unitNameOf(tx, owner) };
  }
  const approvers = await approversOf(tx, owner);
  if (approvers.length === 0) {
    return { kind: 'no-approvers', zone, ownerName: owner === null ? '' : await unitNameOf(tx, owner) };
  }
  return { kind: 'ok', approvers };
}

/** Audits a request refused (name held, a site's, another 区县's zone, nobody to decide). */
export async function auditRefusedRequest(
  effects: Effects,
  actor: Actor,
  name: string,
  why: Unavailable | ZoneRefusal,
): Promise<void> {
  const detail =
    why.kind === 'not-your-zone'
      ? AUDIT_DETAILS.notYourZone(name, why.ownerName, why.zone)
      : why.kind === 'no-approvers'
        ? AUDIT_DETAILS.noApprovers(why.zone)
        : refusalDetail(name, why);
  await effects.audit({
    actor: actor.userid,
    action: 'domain.request',
    target: `domain:${name}`,
    result: 'denied',
    detail,
  });
}

/**
 * A unit asks for a name. The row is inserted with the name as its unique reservation: a request
 * or allocation of the same name committed meanwhile makes the INSERT fail, and the member is told
 * who holds it.
 */
export async function requestDomain(
  effects: Effects,
  actor: Actor,
  input: DomainRequestInput,
): Promise<RequestOutcome> {
  const { tx } = effects;
  const name = nameOf(input.label, input.zone);
  const check = await requestCheck(tx, await allZones(tx), input.zone, input.topUnitId);
  const refuse = async (why: Unavailable | ZoneRefusal): Promise<RequestOutcome> => {
    await auditRefusedRequest(effects, actor, name, why);
    return why;
  };
  if (check.kind !== 'ok') return refuse(check);
  const before = await unavailable(tx, name);
  if (before) return refuse(before);
  const repo = tx.getRepository(DomainAllocation);
  let allocation: DomainAllocation;
  try {
    allocation = await repo.save(
      repo.create({
        subdomain: input.label,
        zone: input.zone,
        reservedKey: name,
        unitId: input.unitId,
        topUnitId: input.topUnitId,
        websiteId: input.websiteId,
        purpose: input.purpose,
        status: 'pending',
        requestedBy: actor.userid,
        requestedAt: effects.now,
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        allocatedAt: null,
        revokedBy: null,
        revokedAt: null,
        revokeReason: null,
        piiAccepted: input.accepted.length > 0 ? input.accepted : null,
      }),
    );
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await unavailable(tx, name);
    if (!winner) throw error;
    return refuse(winner);
  }
  await effects.audit({
    actor: actor.userid,
    action: 'domain.request',
    target: domainRef(allocation.id),
    detail: AUDIT_DETAILS.requested(name),
  });
  return { kind: 'ok', allocation, approvers: check.approvers };
}

// Decisions.

export type DecisionOutcome =
  | { kind: 'ok'; allocation: DomainAllocation }
  | { kind: 'not-found' }
  | { kind: 'decided'; allocation: DomainAllocation }
  /** Not an approver of the name's zone. */
  | { kind: 'forbidden'; allocation: DomainAllocation; zone: string; ownerName: string }
  | { kind: 'taken'; allocation: DomainAllocation; holder: DomainAllocation | null; unitName: string }
  | { kind: 'site'; allocation: DomainAllocation; website: Website; unitName: string };

async function forbidden(
  effects: Effects,
  actor: Actor,
  allocation: DomainAllocation,
  action: string,
): Promise<DecisionOutcome & { kind: 'forbidden' }> {
  const owner = zoneOwner(await allZones(effects.tx), allocation.zone);
  const ownerName = owner === null ? CITY_OWNER : await unitNameOf(effects.tx, owner);
  await effects.audit({
    actor: actor.userid,
    action,
    target: domainRef(allocation.id),
    result: 'denied',
    detail: AUDIT_DETAILS.notApprover(allocation.zone, ownerName),
  });
  return { kind: 'forbidden', allocation, zone: allocation.zone, ownerName };
}

/** A refusal (audited) when `actor` does not decide this allocation's zone, else null. */
export async function checkDecider(
  effects: Effects,
  actor: Actor,
  allocation: DomainAllocation,
  action: 'domain.approve' | 'domain.reject' | 'domain.revoke',
): Promise<(DecisionOutcome & { kind: 'forbidden' }) | null> {
  return (await decides(effects.tx, actor, allocation))
    ? null
    : forbidden(effects, actor, allocation, action);
}

/** Whether `actor` decides this allocation's zone. */
async function decides(tx: EntityManager, actor: Actor, allocation: DomainAllocation): Promise<boolean> {
  return mayDecide(tx, actor, zoneOwner(await allZones(tx), allocation.zone));
}

/**
 * Approves (allocates) or refuses a pending request, by an approver of its zone. Approval is
 * refused, the request left pending, when a website in the directory answers on the name or (an
 * older request without a reservation) the name is held: the unique reservation decides.
 */
export async function decideDomain(
  effects: Effects,
  id: number,
  actor: Actor,
  decision: 'approve' | 'reject',
  note: string | null,
): Promise<DecisionOutcome> {
  const { tx } = effects;
  const repo = tx.getRepository(DomainAllocation);
  const allocation = await repo.findOneBy({ id });
  if (!allocation) return { kind: 'not-found' };
  const action = decision === 'approve' ? 'domain.approve' : 'domain.reject';
  if (!(await decides(tx, actor, allocation))) return forbidden(effects, actor, allocation, action);
  if (allocation.status !== 'pending') return { kind: 'decided', allocation };
  const name = allocationName(allocation);
  if (decision === 'reject') {
    const rejected = await moveFromStatus(tx, DomainAllocation, allocation, 'pending', {
      status: 'rejected',
      reservedKey: null,
      decidedBy: actor.userid,
      decidedAt: effects.now,
      decisionNote: note,
    });
    if (!rejected) return { kind: 'decided', allocation };
    await effects.audit({
      actor: actor.userid,
      action,
      target: domainRef(id),
      detail: AUDIT_DETAILS.rejected(name),
    });
    return { kind: 'ok', allocation };
  }
  const refuse = async (why: Unavailable): Promise<DecisionOutcome> => {
    await effects.audit({
      actor: actor.userid,
      action,
      target: domainRef(id),
      result: 'denied',
      detail: AUDIT_DETAILS.cannotAllocate(refusalDetail(name, why)),
    });
    if (why.kind === 'site')
      return { kind: 'site', allocation, website: why.website, unitName: why.unitName };
    const holder = why.kind === 'taken' ? why.holder : why.other;
    return { kind: 'taken', allocation, holder, unitName: why.unitName };
  };
  const held = await unavailable(tx, name, allocation.id);
  if (held) return refuse(held);
  try {
    const allocated = await moveFromStatus(tx, DomainAllocation, allocation, 'pending', {
      status: 'active',
      reservedKey: name,
      decidedBy: actor.userid,
      decidedAt: effects.now,
      decisionNote: note,
      allocatedAt: effects.now,
    });
    if (!allocated) return { kind: 'decided', allocation };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await unavailable(tx, name, allocation.id);
    if (!winner) throw error;
    return refuse(winner);
  }
  await effects.audit({
    actor: actor.userid,
    action,
    target: domainRef(id),
    detail: AUDIT_DETAILS.allocated(name),
  });
  return { kind: 'ok', allocation };
}

// 收回.

export type RevokeCheck =
  | { kind: 'ok'; allocation: DomainAllocation }
  | { kind: 'not-active' }
  | { kind: 'forbidden'; allocation: DomainAllocation; zone: string; ownerName: string };

/** Whether `actor` may take back the name now (nothing is written but a refusal's audit). */
export async function checkRevocable(effects: Effects, name: string, actor: Actor): Promise<RevokeCheck> {
  const held = await reservation(effects.tx, name);
  if (!held || held.status !== 'active') return { kind: 'not-active' };
  if (!(await decides(effects.tx, actor, held))) return forbidden(effects, actor, held, 'domain.revoke');
  return { kind: 'ok', allocation: held };
}

export type RevokeOutcome = RevokeCheck;

/** 收回域名 (after 确认): the allocation becomes 已收回 and its name free again. */
export async function revokeDomain(
  effects: Effects,
  name: string,
  actor: Actor,
  reason: string,
  /** The allocation the preview showed: a name allocated again meanwhile is not taken back. */
  expectedId?: number,
): Promise<RevokeOutcome> {
  const check = await checkRevocable(effects, name, actor);
  if (check.kind !== 'ok') return check;
  if (expectedId !== undefined && check.allocation.id !== expectedId) return { kind: 'not-active' };
  const { allocation } = check;
  const revoked = await moveFromStatus(effects.tx, DomainAllocation, allocation, 'active', {
    status: 'revoked',
    reservedKey: null,
    revokedBy: actor.userid,
    revokedAt: effects.now,
    revokeReason: reason,
  });
  if (!revoked) return { kind: 'not-active' };
  await effects.audit({
    actor: actor.userid,
    action: 'domain.revoke',
    target: domainRef(allocation.id),
    detail: AUDIT_DETAILS.revoked(name),
  });
  return { kind: 'ok', allocation };
}

// Zone and approver settings (supervisors).

export type ZoneOutcome =
  | { kind: 'ok'; zone: string }
  | { kind: 'city' }
  | { kind: 'owned'; zone: string; ownerName: string }
  /** Inside another zone or around it (gov.cn around zibo.gov.cn): names would be ambiguous. */
  | { kind: 'nested'; zone: string; other: string }
  | { kind: 'unchanged'; zone: string };

/** 设置域名区: the zone belongs to the 区县 (a zone another unit owns is refused). */
export async function setZone(
  effects: Effects,
  actor: Actor,
  topUnitId: number,
  zone: string,
): Promise<ZoneOutcome> {
  if (zone === CITY_ZONE) return { kind: 'city' };
  const repo = effects.tx.getRepository(DomainZone);
  const existing = await repo.findOneBy({ zone });
  if (existing) {
    if (existing.topUnitId === topUnitId) return { kind: 'unchanged', zone };
    return { kind: 'owned', zone, ownerName: await unitNameOf(effects.tx, existing.topUnitId) };
  }
  const nested = (await allZones(effects.tx)).find(
    (other) => zone.endsWith(`.${other.zone}`) || other.zone.endsWith(`.${zone}`),
  );
  if (nested) return { kind: 'nested', zone, other: nested.zone };
  try {
    await repo.insert({ zone, topUnitId, createdBy: actor.userid });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await repo.findOneByOrFail({ zone });
    return { kind: 'owned', zone, ownerName: await unitNameOf(effects.tx, winner.topUnitId) };
  }
  await effects.audit({
    actor: actor.userid,
    action: 'domain.zone',
    target: `zone:${zone}`,
    detail: AUDIT_DETAILS.zone(zone, await unitNameOf(effects.tx, topUnitId)),
  });
  return { kind: 'ok', zone };
}

export type ApproverOutcome =
  | { kind: 'ok' }
  | { kind: 'unchanged' }
  | { kind: 'unknown-person' }
  | { kind: 'other-unit'; unitName: string };

/** 设置域名审批人 / 取消域名审批人: a member of the 区县 (or one of its sub-units). */
export async function setApprover(
  effects: Effects,
  actor: Actor,
  topUnitId: number,
  userid: string,
  approver: boolean,
): Promise<ApproverOutcome> {
  const { tx } = effects;
  const repo = tx.getRepository(DomainApprover);
  if (!approver) {
    const removed = await repo.delete({ topUnitId, userid });
    if ((removed.affected ?? 0) === 0) return { kind: 'unchanged' };
  } else {
    const person = await tx.getRepository(Person).findOneBy({ userid, active: true });
    if (!person) return { kind: 'unknown-person' };
    const top =
      person.unitId === null ? null : ((await topUnitIndex(tx)).get(person.unitId) ?? person.unitId);
    if (top !== topUnitId) {
      return { kind: 'other-unit', unitName: top === null ? '—' : await unitNameOf(tx, top) };
    }
    try {
      await repo.insert({ topUnitId, userid, createdBy: actor.userid });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return { kind: 'unchanged' };
    }
  }
  await effects.audit({
    actor: actor.userid,
    action: approver ? 'domain.approver.add' : 'domain.approver.remove',
    target: userid,
    detail: AUDIT_DETAILS.approver(await unitNameOf(tx, topUnitId)),
  });
  return { kind: 'ok' };
}

export interface ZoneRow {
  zone: string;
  unit: Unit | null;
  approvers: Person[];
}

/** The zones with their units and approvers (the city's first). */
export async function zoneTable(tx: EntityManager): Promise<ZoneRow[]> {
  const zones = await allZones(tx);
  const approvers = await tx.getRepository(DomainApprover).find({ order: { id: 'ASC' } });
  const unitIds = [
    ...new Set([...zones, ...approvers].map((row) => row.topUnitId).filter((id) => id !== null)),
  ];
  const [units, people] = await Promise.all([
    unitIds.length ? tx.getRepository(Unit).findBy({ id: In(unitIds) }) : [],
    approvers.length
      ? tx.getRepository(Person).findBy({ userid: In(approvers.map((row) => row.userid)) })
      : [],
  ]);
  const unitById = new Map(units.map((unit) => [unit.id, unit]));
  const personById = new Map(people.map((person) => [person.userid, person]));
  return zones.map((zone) => ({
    zone: zone.zone,
    unit: zone.topUnitId === null ? null : (unitById.get(zone.topUnitId) ?? null),
    approvers:
      zone.topUnitId === null
        ? []
        : approvers
            .filter((row) => row.topUnitId === zone.topUnitId)
            .map((row) => personById.get(row.userid))
            .filter((person): person is Person => person !== undefined),
  }));
}

// Lists.

export interface DomainRow {
  allocation: DomainAllocation;
  unit: Unit | null;
  website: Website | null;
}

/** Allocations in use and requests waiting, or every row with `all`; only the given units when asked. */
export async function listDomains(
  tx: EntityManager,
  options: { topUnitIds?: number[]; all?: boolean } = {},
): Promise<DomainRow[]> {
  if (options.topUnitIds && options.topUnitIds.length === 0) return [];
  const rows = await tx.getRepository(DomainAllocation).find({
    where: {
      ...(options.all ? {} : { status: In(['active', 'pending']) }),
      ...(options.topUnitIds ? { topUnitId: In(options.topUnitIds) } : {}),
    },
    order: { zone: 'ASC', subdomain: 'ASC', id: 'ASC' },
  });
  const unitIds = [...new Set(rows.map((row) => row.topUnitId))];
  const siteIds = [...new Set(rows.map((row) => row.websiteId).filter((id): id is number => id !== null))];
  const [units, sites] = await Promise.all([
    unitIds.length ? tx.getRepository(Unit).findBy({ id: In(unitIds) }) : [],
    siteIds.length ? tx.getRepository(Website).findBy({ id: In(siteIds) }) : [],
  ]);
  const unitById = new Map(units.map((unit) => [unit.id, unit]));
  const siteById = new Map(sites.map((site) => [site.id, site]));
  return rows.map((allocation) => ({
    allocation,
    unit: unitById.get(allocation.topUnitId) ?? null,
    website: allocation.websiteId === null ? null : (siteById.get(allocation.websiteId) ?? null),
  }));
}

/** Names held (waiting or in use): for tests and the CLI. */
export async function reservedNames(tx: EntityManager): Promise<string[]> {
  const rows = await tx.getRepository(DomainAllocation).find({ where: { reservedKey: Not(IsNull()) } });
  return rows.map((row) => row.reservedKey!).sort();
}

/** Domain requests waiting for a decision, in the shared open-items list. */
export const domainOpenItems: OpenItemSource = {
  kind: 'domain',
  async list(tx, query) {
    if (query.topUnitIds && query.topUnitIds.length === 0) return [];
    const pending = await tx.getRepository(DomainAllocation).find({
      where: { status: 'pending', ...(query.topUnitIds ? { topUnitId: In(query.topUnitIds) } : {}) },
      order: { id: 'ASC' },
    });
    return pending.map((allocation) => ({
      kind: 'domain' as const,
      ref: domainRef(allocation.id),
      title: pendingRequestTitle(allocationName(allocation)),
      topUnitId: allocation.topUnitId,
      deadline: null,
      state: PENDING_STATE,
      awaiting: 'supervisor' as const,
    }));
  },
};
