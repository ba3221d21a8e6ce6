// Typical-case collection (典型案例征集): opening a call, counting each top-level unit's cases
// against its quota, and the changes liaisons and supervisors make to cases. Handlers stay thin;
// a notice flow can open a call with openCaseCall and deliver the notifications it returns.
import { randomBytes } from 'node:crypto';
import { In, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { cardTaskId } from '../../messages/outbound.js';
import { CaseCall } from '../../entities/case-call.js';
import { MEDIA_PLATFORM_LABELS, MediaAccount } from '../../entities/media-account.js';
import type { Person } from '../../entities/person.js';
import {
  CASE_CHANNEL_LABELS,
  COUNTED_CASE_STATUSES,
  TypicalCase,
  type CaseChannel,
  type CaseStatus,
} from '../../entities/typical-case.js';
import { Unit, type UnitKind } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import type { Notification } from '../../messages/outbound.js';
import { writeAudit } from '../shared/audit.js';
import { CASE_AUDIT_DETAILS, callCard } from './views.js';
import {
  CALL_TITLE_MAX_LENGTH,
  CASE_THEMES,
  DEFAULT_CASE_MAX_LENGTH,
  DEFAULT_CASE_QUOTAS,
  UNIT_KIND_ORDER,
  callRef,
  clipChars,
  describeQuotas,
  parseCallRef,
  type CaseQuotas,
  type ReviewDecision,
  type CaseCounts,
  type UnitProgress,
  type CallChoice,
  type ChangeableCase,
  type CaseChangeRefusal,
} from './rules.js';

export type { CallChoice, ChangeableCase, CaseChangeRefusal };
import { activeTopUnits, liaisonsByTopUnit, topUnitIndex } from '../directory/lookup.js';
import type { PiiFindingSummary } from '../pii/report.js';
import { formatIso } from '../calendar/time.js';

// ---------------------------------------------------------------------------------------------------
// Calls

export function callQuotas(call: CaseCall): CaseQuotas {
  return {
    district: call.quotaDistrict,
    zone: call.quotaZone,
    department: call.quotaDepartment,
    other: call.quotaOther,
  };
}

export function quotaOf(call: CaseCall, kind: UnitKind): number {
  return callQuotas(call)[kind];
}

export interface OpenCaseCallInput {
  title: string;
  deadline: Date;
  /** The deadline was counted on the provisional calendar of a year not yet published (预估). */
  deadlineEstimated?: boolean;
  /** For "N个工作日": N and the instant counting started (to recompute a provisional deadline). */
  deadlineWorkingDays?: number | null;
  deadlineCountedFrom?: Date | null;
  /** Kinds left out keep the defaults (区县 5, 功能区 5, 市直部门 1, 其他 0). */
  quotas?: Partial<CaseQuotas>;
  maxLength?: number;
  themes?: readonly string[];
  /** The supervisor's userid (or `system`). */
  createdBy: string;
  noticeId?: number | null;
}

export interface OpenedCaseCall {
  call: CaseCall;
  /** One card per liaison of every top-level unit with a quota; deliver them with the change. */
  notifications: Notification[];
  notifiedUnits: Unit[];
  liaisonCount: number;
  /** Units with a quota but no active liaison: nobody was told. */
  unitsWithoutLiaison: Unit[];
}

/** The top-level units a call with these quotas asks for cases, with their liaisons. */
export async function callRecipients(
  tx: EntityManager,
  quotas: Readonly<CaseQuotas>,
): Promise<{ units: Unit[]; liaisons: Map<number, Person[]> }> {
  const units = (await activeTopUnits(tx)).filter((unit) => quotas[unit.kind] > 0);
  const liaisons = await liaisonsByTopUnit(
    tx,
    units.map((unit) => unit.id),
  );
  return { units: sortUnits(units), liaisons };
}

/**
 * Opens a call and returns the cards for every liaison of every top-level unit that owes cases
 * (one card each, so that each card has its own task_id). Writes the audit row; the caller
 * delivers the notifications in the same transaction (HandlerResult.notify).
 */
export async function openCaseCall(
  tx: EntityManager,
  input: OpenCaseCallInput,
  now: Date,
): Promise<OpenedCaseCall> {
  const quotas: CaseQuotas = { ...DEFAULT_CASE_QUOTAS };
  for (const kind of UNIT_KIND_ORDER) quotas[kind] = input.quotas?.[kind] ?? quotas[kind];
  const repo = tx.getRepository(CaseCall);
  const call = await repo.save(
    repo.create({
      // A notice's title may be longer than a chat-typed one.
      title: clipChars(input.title.trim().replace(/\s+/g, ' '), CALL_TITLE_MAX_LENGTH),
      deadline: input.deadline,
      deadlineEstimated: input.deadlineEstimated ?? false,
      deadlineWorkingDays: input.deadlineWorkingDays ?? null,
      deadlineCountedFrom: input.deadlineCountedFrom ?? null,
      quotaDistrict: quotas.district,
      quotaZone: quotas.zone,
      quotaDepartment: quotas.department,
      quotaOther: quotas.other,
      maxLength: input.maxLength ?? DEFAULT_CASE_MAX_LENGTH,
      themes: [...(input.themes ?? CASE_THEMES)],
      status: 'open',
      noticeId: input.noticeId ?? null,
      createdBy: input.createdBy,
      closedAt: null,
      closedBy: null,
    }),
  );
  await writeAudit(tx, now, {
    actor: input.createdBy,
    action: 'case-call.open',
    target: callRef(call.id),
    detail: CASE_AUDIT_DETAILS.opened(call.title, formatIso(call.deadline), describeQuotas(quotas)),
  });

  const { units, liaisons } = await callRecipients(tx, quotas);
  const notifications: Notification[] = [];
  const notifiedUnits: Unit[] = [];
  const unitsWithoutLiaison: Unit[] = [];
  let liaisonCount = 0;
  // Task ids must be unique per app forever: row ids plus a random suffix (a restored database
  // reuses ids).
  const suffix = randomBytes(3).toString('hex');
  for (const unit of units) {
    const people = liaisons.get(unit.id) ?? [];
    if (people.length === 0) {
      unitsWithoutLiaison.push(unit);
      continue;
    }
    notifiedUnits.push(unit);
    for (const person of people) {
      liaisonCount++;
      notifications.push({
        to: [person.userid],
        key: `case-call:${call.id}:opened:u${unit.id}`,
        source: `case-call:${call.id}`,
        message: {
          type: 'card',
          card: callCard(
            call,
            unit,
            quotas[unit.kind],
            cardTaskId('casecall', call.id, `u${unit.id}-p${person.id}`, suffix),
          ),
        },
      });
    }
  }
  return { call, notifications, notifiedUnits, liaisonCount, unitsWithoutLiaison };
}

export async function openCalls(tx: EntityManager): Promise<CaseCall[]> {
  return tx.getRepository(CaseCall).find({ where: { status: 'open' }, order: { id: 'ASC' } });
}

/** How long a closed call stays in 进度, 周报 and the board (with its final shortfall). */
export const CLOSED_CALL_HISTORY_DAYS = 30;

/** Open calls, then calls closed within the last CLOSED_CALL_HISTORY_DAYS days; by id. */
export async function recentCalls(tx: EntityManager, now: Date): Promise<CaseCall[]> {
  const since = new Date(now.getTime() - CLOSED_CALL_HISTORY_DAYS * 24 * 3600_000);
  return tx.getRepository(CaseCall).find({
    where: [{ status: 'open' }, { status: 'closed', closedAt: MoreThanOrEqual(since) }],
    order: { id: 'ASC' },
  });
}

/**
 * The call a command is about: the one named (`征集2`), else the only open one, else (none open)
 * the latest call, open or not when `includeClosed`; several open ones → ask.
 */
export async function chooseCall(
  tx: EntityManager,
  args: string,
  options: { includeClosed: boolean },
): Promise<CallChoice> {
  const repo = tx.getRepository(CaseCall);
  if (args.trim() !== '') {
    const id = parseCallRef(args);
    const call = id === null ? null : await repo.findOneBy({ id });
    if (!call) return { kind: 'none', reason: 'unknown', typed: args.trim(), callId: id };
    if (!options.includeClosed && call.status !== 'open') return { kind: 'none', reason: 'closed', call };
    return { kind: 'one', call };
  }
  const open = await openCalls(tx);
  if (open.length === 1) return { kind: 'one', call: open[0]! };
  if (open.length > 1) return { kind: 'many', calls: open };
  if (options.includeClosed) {
    const [latest] = await repo.find({ order: { id: 'DESC' }, take: 1 });
    if (latest) return { kind: 'one', call: latest };
  }
  return { kind: 'none', reason: 'no-open' };
}

export async function closeCall(tx: EntityManager, call: CaseCall, by: string, now: Date): Promise<void> {
  await tx.getRepository(CaseCall).update({ id: call.id }, { status: 'closed', closedAt: now, closedBy: by });
  call.status = 'closed';
  call.closedAt = now;
  call.closedBy = by;
}

// ---------------------------------------------------------------------------------------------------
// Counting

const countKey = (callId: number, topUnitId: number) => `${callId}:${topUnitId}`;

/** Cases per (call, top-level unit) by status, in one grouped query. */
export async function caseCounts(
  tx: EntityManager,
  callIds: number[],
  topUnitIds?: number[],
): Promise<Map<string, CaseCounts>> {
  const result = new Map<string, CaseCounts>();
  if (callIds.length === 0 || topUnitIds?.length === 0) return result;
  const qb = tx
    .getRepository(TypicalCase)
    .createQueryBuilder('c')
    .select('c.call_id', 'callId')
    .addSelect('c.top_unit_id', 'topUnitId')
    .addSelect('c.status', 'status')
    .addSelect('COUNT(*)', 'n')
    .where('c.call_id IN (:...callIds)', { callIds })
    .groupBy('c.call_id')
    .addGroupBy('c.top_unit_id')
    .addGroupBy('c.status');
  if (topUnitIds) qb.andWhere('c.top_unit_id IN (:...topUnitIds)', { topUnitIds });
  const rows = await qb.getRawMany<{ callId: number; topUnitId: number; status: CaseStatus; n: string }>();
  for (const row of rows) {
    const key = countKey(Number(row.callId), Number(row.topUnitId));
    const counts = result.get(key) ?? { counted: 0, accepted: 0, returned: 0 };
    const n = Number(row.n);
    if (COUNTED_CASE_STATUSES.includes(row.status)) counts.counted += n;
    if (row.status === 'accepted') counts.accepted += n;
    if (row.status === 'returned') counts.returned += n;
    result.set(key, counts);
  }
  return result;
}

export function countsFor(counts: Map<string, CaseCounts>, callId: number, topUnitId: number): CaseCounts {
  return counts.get(countKey(callId, topUnitId)) ?? { counted: 0, accepted: 0, returned: 0 };
}

/** 区县, 功能区, 市直部门, 其他; then by id (the order the directory was set up in). */
export function sortUnits(units: Unit[]): Unit[] {
  return [...units].sort(
    (a, b) => UNIT_KIND_ORDER.indexOf(a.kind) - UNIT_KIND_ORDER.indexOf(b.kind) || a.id - b.id,
  );
}

/**
 * Every top-level unit that owes cases to the call or has sent some, with its counts: grouped by
 * kind (区县, 功能区, 市直部门, 其他), units below quota first (largest shortfall first).
 */
export async function callProgress(tx: EntityManager, call: CaseCall): Promise<UnitProgress[]> {
  const counts = await caseCounts(tx, [call.id]);
  const tops = await activeTopUnits(tx);
  const byId = new Map(tops.map((unit) => [unit.id, unit]));
  const withCases = [...counts.keys()].map((key) => Number(key.split(':')[1]));
  const missing = withCases.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    // A unit deactivated after it submitted still shows with its cases.
    for (const unit of await tx.getRepository(Unit).findBy({ id: In(missing) })) byId.set(unit.id, unit);
  }
  const rows: UnitProgress[] = [];
  for (const unit of byId.values()) {
    const quota = quotaOf(call, unit.kind);
    const unitCounts = countsFor(counts, call.id, unit.id);
    if (quota === 0 && unitCounts.counted + unitCounts.returned === 0) continue;
    rows.push({ unit, quota, ...unitCounts, short: Math.max(0, quota - unitCounts.counted) });
  }
  return rows.sort(
    (a, b) =>
      UNIT_KIND_ORDER.indexOf(a.unit.kind) - UNIT_KIND_ORDER.indexOf(b.unit.kind) ||
      Number(b.short > 0) - Number(a.short > 0) ||
      b.short - a.short ||
      a.unit.id - b.unit.id,
  );
}

/** The counted cases of one unit in one call. */
export async function unitCounted(tx: EntityManager, callId: number, topUnitId: number): Promise<number> {
  return tx.getRepository(TypicalCase).countBy({ callId, topUnitId, status: In([...COUNTED_CASE_STATUSES]) });
}

// ---------------------------------------------------------------------------------------------------
// Channels (which website or account of the unit)

export interface ChannelOption {
  channel: CaseChannel;
  websiteId: number | null;
  mediaAccountId: number | null;
  label: string;
}

/** Ids of a top-level unit and all its sub-units. */
export async function unitFamily(tx: EntityManager, topUnitId: number): Promise<number[]> {
  const index = await topUnitIndex(tx);
  return [...index].filter(([, top]) => top === topUnitId).map(([id]) => id);
}

/**
 * What a liaison may pick as the channel: 政府网站 or 政务新媒体 in general, or one of the unit's
 * running websites and accounts from the directory (its sub-units' too).
 */
export async function channelOptions(tx: EntityManager, topUnitId: number): Promise<ChannelOption[]> {
  const family = await unitFamily(tx, topUnitId);
  const ids = family.length > 0 ? family : [topUnitId];
  const websites = await tx
    .getRepository(Website)
    .find({ where: { unitId: In(ids), status: 'active' }, order: { id: 'ASC' } });
  const accounts = await tx
    .getRepository(MediaAccount)
    .find({ where: { unitId: In(ids), status: 'running' }, order: { id: 'ASC' } });
  return [
    { channel: 'website', websiteId: null, mediaAccountId: null, label: '政府网站（不指定具体网站）' },
    ...websites.map((site) => ({
      channel: 'website' as const,
      websiteId: site.id,
      mediaAccountId: null,
      label: `政府网站：${site.name}`,
    })),
    { channel: 'media', websiteId: null, mediaAccountId: null, label: '政务新媒体（不指定具体账号）' },
    ...accounts.map((account) => ({
      channel: 'media' as const,
      websiteId: null,
      mediaAccountId: account.id,
      label: `政务新媒体：${mediaAccountName(account)}`,
    })),
  ];
}

/** The option a liaison picked: its number, 政府网站 / 政务新媒体, or a site's or account's name. */
export function pickChannel(options: readonly ChannelOption[], input: string): ChannelOption | null {
  const text = input.trim();
  if (/^\d{1,3}$/.test(text)) return options[Number(text) - 1] ?? null;
  if (text === '') return null;
  const general = options.find(
    (option) =>
      option.websiteId === null &&
      option.mediaAccountId === null &&
      CASE_CHANNEL_LABELS[option.channel] === text,
  );
  if (general) return general;
  const named = options.filter((option) => option.label.split('：')[1]?.includes(text));
  return named.length === 1 ? named[0]! : null;
}

export function mediaAccountName(account: MediaAccount): string {
  return `${MEDIA_PLATFORM_LABELS[account.platform]}「${account.name}」`;
}

/** Names of the websites and accounts cases point at, by id (two queries for any number of cases). */
export async function channelNames(
  tx: EntityManager,
  cases: readonly TypicalCase[],
): Promise<{ websites: Map<number, string>; accounts: Map<number, string> }> {
  const siteIds = [...new Set(cases.flatMap((kase) => (kase.websiteId === null ? [] : [kase.websiteId])))];
  const accountIds = [
    ...new Set(cases.flatMap((kase) => (kase.mediaAccountId === null ? [] : [kase.mediaAccountId]))),
  ];
  const websites = siteIds.length
    ? await tx.getRepository(Website).findBy({ id: In(siteIds) })
    : ([] as Website[]);
  const accounts = accountIds.length
    ? await tx.getRepository(MediaAccount).findBy({ id: In(accountIds) })
    : ([] as MediaAccount[]);
  return {
    websites: new Map(websites.map((site) => [site.id, site.name])),
    accounts: new Map(accounts.map((account) => [account.id, mediaAccountName(account)])),
  };
}

/** `政务新媒体（微信公众号「淄博水利」）` or just `政府网站`. */
export function channelLabel(
  kase: Pick<TypicalCase, 'channel' | 'websiteId' | 'mediaAccountId'>,
  names: { websites: Map<number, string>; accounts: Map<number, string> },
): string {
  const specific = channelTargetName(kase, names);
  return specific ? `${CASE_CHANNEL_LABELS[kase.channel]}（${specific}）` : CASE_CHANNEL_LABELS[kase.channel];
}

export function channelTargetName(
  kase: Pick<TypicalCase, 'websiteId' | 'mediaAccountId'>,
  names: { websites: Map<number, string>; accounts: Map<number, string> },
): string {
  if (kase.websiteId !== null) return names.websites.get(kase.websiteId) ?? '';
  if (kase.mediaAccountId !== null) return names.accounts.get(kase.mediaAccountId) ?? '';
  return '';
}

// ---------------------------------------------------------------------------------------------------
// Cases

export interface CaseDraft {
  callId: number;
  topUnitId: number;
  unitId: number | null;
  theme: string;
  channel: CaseChannel;
  websiteId: number | null;
  mediaAccountId: number | null;
  title: string;
  text: string;
  textLength: number;
  piiAccepted: PiiFindingSummary[];
}

export async function createCase(
  tx: EntityManager,
  draft: CaseDraft,
  by: string,
  now: Date,
): Promise<TypicalCase> {
  const repo = tx.getRepository(TypicalCase);
  return repo.save(
    repo.create({
      ...draft,
      submittedBy: by,
      submittedAt: now,
      status: 'submitted',
      returnReason: null,
      reviewedBy: null,
      reviewedAt: null,
      reviewCardAt: null,
    }),
  );
}

export async function findCase(tx: EntityManager, id: number): Promise<TypicalCase | null> {
  return tx.getRepository(TypicalCase).findOneBy({ id });
}

/**
 * A case a liaison may change (modify or withdraw), with its call, or why not: it must be their
 * unit's, not withdrawn or already accepted, and its call still open. `knownCall` is the call the
 * caller already holds (a revision keeps its draft's).
 */
export async function changeableCase(
  tx: EntityManager,
  caseId: number,
  topUnitId: number | null,
  knownCall?: CaseCall,
): Promise<ChangeableCase> {
  const kase = await findCase(tx, caseId);
  const call = kase ? (knownCall ?? (await tx.getRepository(CaseCall).findOneBy({ id: kase.callId }))) : null;
  // Another unit's case reads as missing to the asker (its existence is not their business), but
  // the refusal records that it was another unit's.
  if (!kase || kase.status === 'withdrawn' || !call) return { ok: false, reason: 'missing', caseId };
  if (kase.topUnitId !== topUnitId) return { ok: false, reason: 'other-unit', caseId };
  if (call.status !== 'open') return { ok: false, reason: 'closed', caseId, callId: call.id };
  if (kase.status === 'accepted') return { ok: false, reason: 'accepted', caseId };
  return { ok: true, kase, call };
}

export const CASE_CHANGE_REFUSAL_LABELS: Readonly<Record<CaseChangeRefusal, string>> = {
  missing: '案例不存在或已撤回',
  'other-unit': '非本单位案例',
  closed: '征集已结束',
  accepted: '案例已采纳',
};

/** A new text for a case; a returned case goes back to 已提交 for another review. */
export async function reviseCaseText(
  tx: EntityManager,
  kase: TypicalCase,
  change: { text: string; textLength: number; piiAccepted: PiiFindingSummary[] },
  by: string,
  now: Date,
): Promise<void> {
  Object.assign(kase, {
    ...change,
    status: 'submitted',
    returnReason: null,
    reviewedBy: null,
    reviewedAt: null,
    submittedBy: by,
    submittedAt: now,
  });
  await tx.getRepository(TypicalCase).save(kase);
}

export async function withdrawCase(tx: EntityManager, kase: TypicalCase): Promise<void> {
  kase.status = 'withdrawn';
  await tx.getRepository(TypicalCase).update({ id: kase.id }, { status: 'withdrawn' });
}

export async function reviewCase(
  tx: EntityManager,
  kase: TypicalCase,
  review: { decision: ReviewDecision; reason: string },
  by: string,
  now: Date,
): Promise<void> {
  const change = {
    status: review.decision === 'accept' ? ('accepted' as const) : ('returned' as const),
    returnReason: review.decision === 'return' ? [...review.reason].slice(0, 500).join('') : null,
    reviewedBy: by,
    reviewedAt: now,
  };
  Object.assign(kase, change);
  await tx.getRepository(TypicalCase).update({ id: kase.id }, change);
}

/** The live cases (not withdrawn) of some units in some calls, oldest first. */
export async function liveCases(
  tx: EntityManager,
  callIds: number[],
  topUnitIds?: number[],
): Promise<TypicalCase[]> {
  if (callIds.length === 0) return [];
  return tx.getRepository(TypicalCase).find({
    where: {
      callId: In(callIds),
      status: In(['submitted', 'accepted', 'returned']),
      ...(topUnitIds ? { topUnitId: In(topUnitIds) } : {}),
    },
    order: { id: 'ASC' },
  });
}
