// "我为政府网站找错" guestbook messages: choosing the site, registering a message with the notice's
// deadline, answering it, and the open list. Plain functions over the transaction; handlers, the
// import and the reminder rules all go through them.
import { In, type EntityManager } from 'typeorm';
import { moveFromStatus } from '../../db/transitions.js';
import { GuestbookMessage, type GuestbookSource } from '../../entities/guestbook-message.js';
import { Unit } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { guestbookDeadline, isProvisional, type DeadlineResult } from '../calendar/deadlines.js';
import { formatDeadlineMarked } from '../calendar/deadline-text.js';
import { topUnitIndex } from '../directory/lookup.js';
import { isSupervisorRole, mayActFor } from '../shared/duty.js';
import { type Actor, type Effects } from '../shared/effects.js';
import type { PiiFindingSummary } from '../pii/report.js';
import { formatDateTime } from '../calendar/time.js';

export const guestbookRef = (id: number): string => `L${id}`;

export interface SiteOption {
  website: Website;
  /** The top-level unit of the site's owner: the unit that answers its messages. */
  topUnitId: number;
}

/** `淄博市水利局网站（3703000012）` */
export function siteLabel(website: Pick<Website, 'name' | 'siteCode'>): string {
  return `${website.name}（${website.siteCode}）`;
}

/** The running sites an actor may register messages for: their unit's, or every site for supervisors. */
export async function sitesForActor(tx: EntityManager, actor: Actor): Promise<SiteOption[]> {
  const [sites, index] = await Promise.all([
    tx.getRepository(Website).find({ where: { status: 'active' }, order: { id: 'ASC' } }),
    topUnitIndex(tx),
  ]);
  return sites
    .map((website) => ({ website, topUnitId: index.get(website.unitId) ?? website.unitId }))
    .filter((option) => isSupervisorRole(actor.role) || option.topUnitId === actor.topUnitId);
}

export type SiteMatch =
  { kind: 'one'; site: SiteOption } | { kind: 'none' } | { kind: 'many'; sites: SiteOption[] };

/**
 * Reads the member's choice: the number in the list shown, the 网站标识码, the exact name, or a part
 * of the name that only one site has.
 */
export function matchSite(options: readonly SiteOption[], input: string): SiteMatch {
  const text = input.normalize('NFKC').trim();
  if (text === '') return { kind: 'none' };
  if (/^\d{1,4}$/.test(text)) {
    const picked = options[Number(text) - 1];
    if (picked) return { kind: 'one', site: picked };
  }
  const byCode = options.find((option) => option.website.siteCode === text);
  if (byCode) return { kind: 'one', site: byCode };
  const exact = options.filter((option) => option.website.name === text);
  if (exact.length === 1) return { kind: 'one', site: exact[0]! };
  const partial = options.filter((option) => option.website.name.includes(text));
  if (partial.length === 1) return { kind: 'one', site: partial[0]! };
  if (partial.length > 1) return { kind: 'many', sites: partial };
  return { kind: 'none' };
}

/** The numbered list members pick from. */
export function siteListLines(options: readonly SiteOption[]): string[] {
  return options.map((option, i) => `${i + 1}. ${siteLabel(option.website)}`);
}

export interface NewGuestbookMessage {
  websiteId: number;
  topUnitId: number;
  receivedAt: Date;
  summary: string;
  platformNo: string | null;
  source: GuestbookSource;
  registeredBy: string;
  summaryPii: PiiFindingSummary[] | null;
}

/** The stored deadline for a message received at `receivedAt` (预估 when a year is not published). */
export function messageDeadline(
  calendar: WorkCalendar,
  receivedAt: Date,
): { result: DeadlineResult; deadline: Date; deadlineEstimated: boolean } {
  const result = guestbookDeadline(calendar, receivedAt);
  return { result, deadline: result.deadline, deadlineEstimated: isProvisional(result) };
}

/** The row to insert for a new message (deadline from the calendar rule). */
export function messageRow(calendar: WorkCalendar, input: NewGuestbookMessage): Partial<GuestbookMessage> {
  const { deadline, deadlineEstimated } = messageDeadline(calendar, input.receivedAt);
  return {
    ...input,
    deadline,
    deadlineEstimated,
    status: 'open',
    answerSummary: null,
    answeredBy: null,
    answeredAt: null,
    answerPii: null,
    reviewStatus: null,
    reviewedBy: null,
    reviewedAt: null,
    returnReason: null,
  };
}

export function registrationAuditDetail(message: GuestbookMessage, website: Website): string {
  const platform = message.platformNo ? `，留言编号 ${message.platformNo}` : '';
  return `网站 ${siteLabel(website)}${platform}，收到 ${formatDateTime(message.receivedAt)}，期限 ${formatDeadlineMarked(message.deadline, message.deadlineEstimated)}`;
}

/** Stores one message registered in chat and audits it. */
export async function registerMessage(
  effects: Effects,
  calendar: WorkCalendar,
  website: Website,
  input: NewGuestbookMessage,
): Promise<{ message: GuestbookMessage; result: DeadlineResult }> {
  const repo = effects.tx.getRepository(GuestbookMessage);
  const { result } = messageDeadline(calendar, input.receivedAt);
  const message = await repo.save(repo.create(messageRow(calendar, input)));
  await effects.audit({
    actor: input.registeredBy,
    action: 'guestbook.register',
    target: guestbookRef(message.id),
    detail: registrationAuditDetail(message, website),
  });
  return { message, result };
}

export type AnswerCheck =
  | { kind: 'ok'; message: GuestbookMessage; website: Website | null }
  | { kind: 'not-found' }
  | { kind: 'forbidden' }
  | { kind: 'answered'; message: GuestbookMessage }
  /** An answer waits for review: nothing to do until it is approved or sent back. */
  | { kind: 'in-review'; message: GuestbookMessage };

/** Whether `actor` may answer message `id` now (nothing is written). */
export async function checkAnswerable(tx: EntityManager, id: number, actor: Actor): Promise<AnswerCheck> {
  const message = await tx.getRepository(GuestbookMessage).findOneBy({ id });
  if (!message) return { kind: 'not-found' };
  if (!mayActFor(actor, message.topUnitId)) return { kind: 'forbidden' };
  if (message.status === 'answered') return { kind: 'answered', message };
  if (message.reviewStatus === 'pending') return { kind: 'in-review', message };
  const website = await tx.getRepository(Website).findOneBy({ id: message.websiteId });
  return { kind: 'ok', message, website };
}

/**
 * Records the answer. The update is conditional on the message still being open, so two members
 * answering at once cannot both succeed; returns false when someone else was first.
 */
export async function recordAnswer(
  effects: Effects,
  message: GuestbookMessage,
  answer: string,
  actor: Actor,
  accepted: PiiFindingSummary[],
): Promise<boolean> {
  const answered = await moveFromStatus(effects.tx, GuestbookMessage, message, 'open', {
    status: 'answered',
    answerSummary: answer,
    answeredBy: actor.userid,
    answeredAt: effects.now,
    answerPii: accepted.length > 0 ? accepted : null,
  });
  if (!answered) return false;
  const late = effects.now.getTime() >= message.deadline.getTime() ? '（逾期办结）' : '';
  await effects.audit({
    actor: actor.userid,
    action: 'guestbook.answer',
    target: guestbookRef(message.id),
    detail: `办结${late}，答复 ${[...answer].length} 字`,
  });
  return true;
}

export interface OpenMessage {
  message: GuestbookMessage;
  website: Website | null;
  unit: Unit | null;
}

/** Open messages, most urgent first; only the given top-level units when asked. */
export async function openMessages(tx: EntityManager, topUnitIds?: number[]): Promise<OpenMessage[]> {
  if (topUnitIds && topUnitIds.length === 0) return [];
  const messages = await tx.getRepository(GuestbookMessage).find({
    where: { status: 'open', ...(topUnitIds ? { topUnitId: In(topUnitIds) } : {}) },
    order: { deadline: 'ASC', id: 'ASC' },
  });
  return withSitesAndUnits(tx, messages);
}

export async function withSitesAndUnits(
  tx: EntityManager,
  messages: GuestbookMessage[],
): Promise<OpenMessage[]> {
  const siteIds = [...new Set(messages.map((m) => m.websiteId))];
  const unitIds = [...new Set(messages.map((m) => m.topUnitId))];
  const [sites, units] = await Promise.all([
    siteIds.length ? tx.getRepository(Website).findBy({ id: In(siteIds) }) : [],
    unitIds.length ? tx.getRepository(Unit).findBy({ id: In(unitIds) }) : [],
  ]);
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const unitById = new Map(units.map((u) => [u.id, u]));
  return messages.map((message) => ({
    message,
    website: siteById.get(message.websiteId) ?? null,
    unit: unitById.get(message.topUnitId) ?? null,
  }));
}
