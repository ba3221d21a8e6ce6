// Second-level domains (二级域名) under the government portal's domain, per 国办函〔2018〕55号:
// a unit requests one, a supervisor allocates or refuses it, and may later take it back. A
// subdomain is never in use twice: checked with a clear answer at request and at approval, and
// enforced by the unique `active_key` column.
import { In, type EntityManager } from 'typeorm';
import { DomainAllocation } from '../../entities/domain-allocation.js';
import { Unit } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { isDuplicateKeyError } from '../../db/errors.js';
import { moveFromStatus } from '../../db/transitions.js';
import { unitNameOf } from '../shared/duty.js';
import { type Actor, type Effects } from '../shared/effects.js';
import type { OpenItemSource } from '../open-items/items.js';
import type { PiiFindingSummary } from '../pii/report.js';
import type { DialogRead as Parsed } from '../calendar/date-replies.js';

/** The portal's domain (www.zibo.gov.cn): every allocation is a label directly under it. */
export const PARENT_DOMAIN = 'zibo.gov.cn';

export const domainRef = (id: number): string => `D${id}`;

export const fqdn = (label: string): string => `${label}.${PARENT_DOMAIN}`;

const LABEL = /^[a-z0-9-]{1,63}$/;

/**
 * `jyj` or `jyj.zibo.gov.cn` (any case, a trailing dot allowed) → `jyj`. A label is 1–63 lower-case
 * letters, digits and hyphens, not starting or ending with a hyphen (RFC 1035).
 */
export function parseSubdomain(input: string): Parsed<string> {
  let text = input.normalize('NFKC').trim().toLowerCase().replace(/\.$/, '');
  const suffix = `.${PARENT_DOMAIN}`;
  if (text.endsWith(suffix)) text = text.slice(0, -suffix.length);
  else if (text.includes('.')) {
    return {
      ok: false,
      error: `只能分配 ${PARENT_DOMAIN} 下的二级域名，请输入如 jyj 或 jyj.${PARENT_DOMAIN}。`,
    };
  }
  if (text === '') return { ok: false, error: '请写明子域名，如 jyj。' };
  if (text.includes('.'))
    return { ok: false, error: `${input.trim()} 不是二级域名：只能有一级标签，如 jyj.${PARENT_DOMAIN}。` };
  if (text.length > 63) return { ok: false, error: '子域名过长：最多 63 个字符。' };
  if (!LABEL.test(text)) {
    return { ok: false, error: '子域名只能由小写字母、数字和连字符（-）组成，如 jyj 或 zhaosheng-2026。' };
  }
  if (text.startsWith('-') || text.endsWith('-'))
    return { ok: false, error: '子域名不能以连字符（-）开头或结尾。' };
  return { ok: true, value: text };
}

export interface DomainRequestInput {
  subdomain: string;
  purpose: string;
  websiteId: number | null;
  unitId: number;
  topUnitId: number;
  accepted: PiiFindingSummary[];
}

export type RequestOutcome =
  { kind: 'ok'; allocation: DomainAllocation } | Exclude<Availability, { kind: 'free' }>;

async function activeHolder(tx: EntityManager, subdomain: string): Promise<DomainAllocation | null> {
  return tx.getRepository(DomainAllocation).findOneBy({ activeKey: subdomain });
}

export type Availability =
  | { kind: 'free' }
  | { kind: 'taken'; holder: DomainAllocation; unitName: string }
  | { kind: 'pending'; other: DomainAllocation; unitName: string };

/** Whether a subdomain can be requested: not in use, and no undecided request for it. */
export async function domainAvailability(tx: EntityManager, subdomain: string): Promise<Availability> {
  const holder = await activeHolder(tx, subdomain);
  if (holder) return { kind: 'taken', holder, unitName: await unitNameOf(tx, holder.topUnitId) };
  const other = await tx
    .getRepository(DomainAllocation)
    .findOne({ where: { subdomain, status: 'pending' }, order: { id: 'ASC' } });
  if (other) return { kind: 'pending', other, unitName: await unitNameOf(tx, other.topUnitId) };
  return { kind: 'free' };
}

/** Audits a request refused because the subdomain is in use or already requested. */
export async function auditRefusedRequest(
  effects: Effects,
  actor: Actor,
  subdomain: string,
  availability: Exclude<Availability, { kind: 'free' }>,
): Promise<void> {
  await effects.audit({
    actor: actor.userid,
    action: 'domain.request',
    target: `domain:${subdomain}`,
    result: 'denied',
    detail:
      availability.kind === 'taken'
        ? `${fqdn(subdomain)} 已分配（${domainRef(availability.holder.id)}），不能重复申请`
        : `${fqdn(subdomain)} 已有待审批的申请（${domainRef(availability.other.id)}）`,
  });
}

/** A unit asks for a subdomain: refused when it is in use or already requested and undecided. */
export async function requestDomain(
  effects: Effects,
  actor: Actor,
  input: DomainRequestInput,
): Promise<RequestOutcome> {
  const { tx } = effects;
  const availability = await domainAvailability(tx, input.subdomain);
  if (availability.kind !== 'free') {
    await auditRefusedRequest(effects, actor, input.subdomain, availability);
    return availability;
  }
  const repo = tx.getRepository(DomainAllocation);
  const allocation = await repo.save(
    repo.create({
      subdomain: input.subdomain,
      activeKey: null,
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
  await effects.audit({
    actor: actor.userid,
    action: 'domain.request',
    target: domainRef(allocation.id),
    detail: `申请 ${fqdn(input.subdomain)}`,
  });
  return { kind: 'ok', allocation };
}

export type DecisionOutcome =
  | { kind: 'ok'; allocation: DomainAllocation }
  | { kind: 'not-found' }
  | { kind: 'decided'; allocation: DomainAllocation }
  | { kind: 'taken'; allocation: DomainAllocation; holder: DomainAllocation | null; unitName: string };

/**
 * Approves (allocates) or refuses a pending request. Approval is refused, with the request left
 * pending, when the subdomain is already in use: first by a lookup (the clear answer), then by the
 * unique index should another approval commit in between.
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
  if (allocation.status !== 'pending') return { kind: 'decided', allocation };
  if (decision === 'reject') {
    const rejected = await moveFromStatus(tx, DomainAllocation, allocation, 'pending', {
      status: 'rejected',
      decidedBy: actor.userid,
      decidedAt: effects.now,
      decisionNote: note,
    });
    if (!rejected) return { kind: 'decided', allocation };
    await effects.audit({
      actor: actor.userid,
      action: 'domain.reject',
      target: domainRef(id),
      detail: `拒绝 ${fqdn(allocation.subdomain)}`,
    });
    return { kind: 'ok', allocation };
  }
  const taken = async (holder: DomainAllocation | null): Promise<DecisionOutcome> => {
    await effects.audit({
      actor: actor.userid,
      action: 'domain.approve',
      target: domainRef(id),
      result: 'denied',
      detail: `${fqdn(allocation.subdomain)} 已分配${holder ? `（${domainRef(holder.id)}）` : ''}，不能重复分配`,
    });
    return {
      kind: 'taken',
      allocation,
      holder,
      unitName: holder ? await unitNameOf(tx, holder.topUnitId) : '其他单位',
    };
  };
  const holder = await activeHolder(tx, allocation.subdomain);
  if (holder) return taken(holder);
  try {
    const allocated = await moveFromStatus(tx, DomainAllocation, allocation, 'pending', {
      status: 'active',
      activeKey: allocation.subdomain,
      decidedBy: actor.userid,
      decidedAt: effects.now,
      decisionNote: note,
      allocatedAt: effects.now,
    });
    if (!allocated) return { kind: 'decided', allocation };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return taken(await activeHolder(tx, allocation.subdomain));
  }
  await effects.audit({
    actor: actor.userid,
    action: 'domain.approve',
    target: domainRef(id),
    detail: `分配 ${fqdn(allocation.subdomain)}`,
  });
  return { kind: 'ok', allocation };
}

export type RevokeOutcome = { kind: 'ok'; allocation: DomainAllocation } | { kind: 'not-active' };

/** 收回域名: the allocation becomes 已收回 and its subdomain free again. */
export async function revokeDomain(
  effects: Effects,
  subdomain: string,
  actor: Actor,
  reason: string | null,
): Promise<RevokeOutcome> {
  const allocation = await activeHolder(effects.tx, subdomain);
  if (!allocation) return { kind: 'not-active' };
  const revoked = await moveFromStatus(effects.tx, DomainAllocation, allocation, 'active', {
    status: 'revoked',
    activeKey: null,
    revokedBy: actor.userid,
    revokedAt: effects.now,
    revokeReason: reason,
  });
  if (!revoked) return { kind: 'not-active' };
  await effects.audit({
    actor: actor.userid,
    action: 'domain.revoke',
    target: domainRef(allocation.id),
    detail: `收回 ${fqdn(subdomain)}`,
  });
  return { kind: 'ok', allocation };
}

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
    order: { subdomain: 'ASC', id: 'ASC' },
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

/** Domain requests waiting for a supervisor's decision, in the shared open-items list. */
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
      title: `申请二级域名 ${fqdn(allocation.subdomain)}`,
      topUnitId: allocation.topUnitId,
      deadline: null,
      state: '待审批',
      awaiting: 'supervisor' as const,
    }));
  },
};
