/**
 * 催办: a supervisor pushes a unit's liaisons now. What is sent comes from the status model (the
 * unit's open items, most urgent first); who is reminded comes from the directory.
 *
 * Each reminder has a key per (target, day), kept in urge_log with its recipient: a second 催办 of
 * the same thing on the same day sends nothing again (a liaison registered since then still gets it), and the reply says
 * so. 催办 张店区 and 催办 全部逾期 share the unit's key, so the two together remind a unit once a
 * day; 催办 T12 is its own reminder (a card for that task). The outbox paces delivery (30 a
 * minute per member): a busy liaison gets it a little later, never dropped.
 */
import { In, type EntityManager } from 'typeorm';
import type { OutMessage } from '../../messages/outbound.js';
import { CaseCall } from '../../entities/case-call.js';
import { GuestbookMessage } from '../../entities/guestbook-message.js';
import { Person } from '../../entities/person.js';
import { Task } from '../../entities/task.js';
import { UrgeLog } from '../../entities/urge-log.js';
import type { Notification } from '../../messages/outbound.js';
import type { AuditEntry } from '../shared/audit.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { callRef } from '../cases/rules.js';
import { findUnitByName, maskName, topUnitOf } from '../directory/lookup.js';
import { parseRef } from '../shared/duty.js';
import { guestbookRef } from '../guestbook/store.js';
import { computeProgress, describeUnits, type DetailItem, type UnitDetail } from './model.js';
import { urgeAuditDetail, urgeTaskCard, urgeUnitCard } from './views.js';
import type { UrgeAnswer, UrgeRefusal, UrgeResult } from './urge-outcome.js';

export type { UrgeAnswer, UrgeRefusal, UrgeResult } from './urge-outcome.js';
import { parseTaskRef, taskRef } from '../tasks/text.js';
import { shanghaiDate } from '../calendar/time.js';

export const URGE_SOURCE = 'urge';

export type UrgeTarget =
  | { kind: 'all-overdue' }
  | { kind: 'task'; id: number }
  | { kind: 'guestbook'; id: number }
  | { kind: 'case-call'; id: number }
  | { kind: 'unit'; name: string };

/** `全部逾期`, `T12` (or `12`), `L5`, `征集2`, or a unit's name. */
export function parseUrgeTarget(args: string): UrgeTarget | null {
  const text = args.normalize('NFKC').trim();
  if (!text) return null;
  if (text === '全部逾期') return { kind: 'all-overdue' };
  const task = parseTaskRef(text);
  if (task) return { kind: 'task', id: task };
  if (/^[Ll]\s*\d+$/.test(text)) {
    const id = parseRef('L', text);
    if (id) return { kind: 'guestbook', id };
  }
  const call = /^征集\s*(\d{1,9})$/.exec(text);
  if (call) return { kind: 'case-call', id: Number(call[1]) };
  return { kind: 'unit', name: text };
}

export interface Urger {
  userid: string;
  name: string;
}

export interface UrgeOutcome {
  notify: Notification[];
  audits: AuditEntry[];
  /** Who is reminded of what today, to keep in urge_log with the reminders (recordUrges). */
  log: UrgeLogEntry[];
  /** What to tell the supervisor (progress/views.ts urgeAnswerText words it). */
  answer: UrgeAnswer;
}

export type UrgeLogEntry = Pick<
  UrgeLog,
  'reminderKey' | 'target' | 'unitId' | 'day' | 'recipient' | 'urgedBy'
>;

interface Push {
  /** The reminder's idempotency key (the recipient is appended per row). */
  key: string;
  detail: UnitDetail;
  /** What is reminded about, for the audit and the reply: `张店区`, `T12`, `征集2`. */
  subject: string;
  auditTarget: string;
  build: (person: Person) => OutMessage;
  /** Items in the reminder, for the audit row. */
  items: DetailItem[];
}

const refusal = (reason: UrgeRefusal): UrgeOutcome => ({
  notify: [],
  audits: [],
  log: [],
  answer: { kind: 'refused', reason },
});

export async function planUrge(
  tx: EntityManager,
  target: UrgeTarget,
  context: { now: Date; calendar: WorkCalendar; urger: Urger },
): Promise<UrgeOutcome> {
  const { now, calendar } = context;
  const day = shanghaiDate(now);
  const reminderOf = (detail: UnitDetail, items: DetailItem[]) => (person: Person) =>
    urgeUnitCard({ ...detail, items }, context.urger.name, person.id);
  const pushes: Push[] = [];

  switch (target.kind) {
    case 'all-overdue': {
      const model = await computeProgress(tx, { now, calendar });
      if (model.red.length === 0) return refusal({ kind: 'no-overdue' });
      const details = await describeUnits(tx, {
        now,
        calendar,
        unitIds: model.red.map((flag) => flag.unitId),
      });
      for (const detail of details) pushes.push(unitPush(detail, day, reminderOf));
      break;
    }
    case 'unit': {
      const found = await findUnitByName(tx, target.name);
      if (!found.unit) {
        return refusal({ kind: 'unknown-unit', name: target.name, suggestions: found.suggestions });
      }
      const top = (await topUnitOf(tx, found.unit.id)) ?? found.unit;
      const [detail] = await describeUnits(tx, { now, calendar, unitIds: [top.id] });
      const push = unitPush(detail!, day, reminderOf);
      if (push.items.length === 0) return refusal({ kind: 'unit-clear', unitName: top.name });
      pushes.push(push);
      break;
    }
    case 'task': {
      const ref = taskRef(target.id);
      const task = await tx.getRepository(Task).findOne({
        select: { id: true, unitId: true, status: true },
        where: { id: target.id },
      });
      if (!task) return refusal({ kind: 'no-task', ref });
      if (task.status === 'done') return refusal({ kind: 'task-done', ref });
      if (task.status === 'submitted') return refusal({ kind: 'task-submitted', ref });
      const [detail] = await describeUnits(tx, { now, calendar, unitIds: [task.unitId] });
      const item = detail!.items.find((candidate) => candidate.taskId === task.id);
      if (!item) return refusal({ kind: 'task-changed', ref });
      pushes.push({
        key: `urge:task:${task.id}:${day}`,
        detail: detail!,
        subject: ref,
        auditTarget: `task:${task.id}`,
        build: (person) =>
          urgeTaskCard({ ...item, taskId: task.id }, detail!.unitName, context.urger.name, person.id),
        items: [item],
      });
      break;
    }
    case 'guestbook': {
      const ref = guestbookRef(target.id);
      const message = await tx.getRepository(GuestbookMessage).findOne({
        select: { id: true, topUnitId: true, status: true },
        where: { id: target.id },
      });
      if (!message) return refusal({ kind: 'no-message', ref });
      if (message.status !== 'open') return refusal({ kind: 'message-done', ref });
      const [detail] = await describeUnits(tx, { now, calendar, unitIds: [message.topUnitId] });
      const items = detail!.items.filter((item) => item.kind === 'guestbook' && item.ref === ref);
      pushes.push({
        key: `urge:guestbook:${message.id}:${day}`,
        detail: detail!,
        subject: ref,
        auditTarget: ref,
        build: reminderOf(detail!, items),
        items,
      });
      break;
    }
    case 'case-call': {
      const ref = callRef(target.id);
      const call = await tx.getRepository(CaseCall).findOneBy({ id: target.id });
      if (!call) return refusal({ kind: 'no-call', ref });
      if (call.status !== 'open') return refusal({ kind: 'call-closed', ref });
      const model = await computeProgress(tx, { now, calendar });
      const short = model.caseCalls.find((entry) => entry.callId === call.id)?.short ?? [];
      if (short.length === 0) return refusal({ kind: 'call-met', ref });
      const details = await describeUnits(tx, { now, calendar, unitIds: short.map((unit) => unit.unitId) });
      for (const detail of details) {
        const items = detail.items.filter((item) => item.kind === 'case-call' && item.ref === ref);
        pushes.push({
          key: `urge:case-call:${call.id}:unit:${detail.unitId}:${day}`,
          detail,
          subject: `${ref} ${detail.unitName}`,
          auditTarget: `${ref}:unit:${detail.unitId}`,
          build: reminderOf(detail, items),
          items,
        });
      }
      break;
    }
  }

  const people = await liaisonPeople(tx, pushes);
  const already = await alreadyUrged(
    tx,
    pushes.flatMap((push) =>
      (people.get(push.detail.unitId) ?? []).map((person) => reminderKey(push.key, person)),
    ),
  );
  const notify: Notification[] = [];
  const audits: AuditEntry[] = [];
  const log: UrgeLogEntry[] = [];
  const results: UrgeResult[] = [];
  for (const push of pushes) {
    if (push.items.length === 0) continue;
    const liaisons = people.get(push.detail.unitId) ?? [];
    const fresh = liaisons.filter((person) => !already.has(reminderKey(push.key, person)));
    for (const person of fresh) {
      notify.push({ to: [person.userid], key: push.key, source: URGE_SOURCE, message: push.build(person) });
      log.push({
        reminderKey: reminderKey(push.key, person),
        target: push.auditTarget,
        unitId: push.detail.unitId,
        day,
        recipient: person.userid,
        urgedBy: context.urger.userid,
      });
    }
    results.push({
      subject: push.subject,
      unitName: push.detail.unitName,
      sent: fresh.map((person) => person.name),
      already: liaisons.length - fresh.length,
      noLiaison: liaisons.length === 0,
    });
    if (fresh.length === 0) continue;
    const red = push.items.filter((item) => item.colour === 'red').length;
    const yellow = push.items.filter((item) => item.colour === 'yellow').length;
    audits.push({
      actor: context.urger.userid,
      action: 'progress.urge',
      target: push.auditTarget,
      detail: urgeAuditDetail(
        push.subject,
        fresh.map((person) => maskName(person.name)),
        { items: push.items.length, red, yellow },
      ),
    });
  }
  return { notify, audits, log, answer: { kind: 'pushed', results } };
}

function unitPush(
  detail: UnitDetail,
  day: string,
  reminderOf: (detail: UnitDetail, items: DetailItem[]) => (person: Person) => OutMessage,
): Push {
  const items = detail.items.filter((item) => item.awaiting === 'unit');
  return {
    key: `urge:unit:${detail.unitId}:${day}`,
    detail,
    subject: detail.unitName,
    auditTarget: `unit:${detail.unitId}`,
    build: reminderOf(detail, items),
    items,
  };
}

/** One reminder to one person: the reminder's key with the recipient. */
function reminderKey(key: string, person: Pick<Person, 'userid'>): string {
  return `${key}:${person.userid}`;
}

/** Keeps the reminders of a 催办 in its transaction (the once-a-day rule reads them back). */
export async function recordUrges(tx: EntityManager, log: readonly UrgeLogEntry[]): Promise<void> {
  for (let i = 0; i < log.length; i += 500) {
    await tx
      .createQueryBuilder()
      .insert()
      .into(UrgeLog)
      .values(log.slice(i, i + 500))
      .orIgnore()
      .execute();
  }
}

async function liaisonPeople(tx: EntityManager, pushes: Push[]): Promise<Map<number, Person[]>> {
  const userids = [...new Set(pushes.flatMap((push) => push.detail.liaisons.map((person) => person.userid)))];
  const people = new Map<string, Person>();
  for (let i = 0; i < userids.length; i += 500) {
    const rows = await tx.getRepository(Person).findBy({ userid: In(userids.slice(i, i + 500)) });
    for (const row of rows) people.set(row.userid, row);
  }
  const byUnit = new Map<number, Person[]>();
  for (const push of pushes) {
    const list = push.detail.liaisons
      .map((person) => people.get(person.userid))
      .filter((person): person is Person => person !== undefined);
    byUnit.set(push.detail.unitId, list);
  }
  return byUnit;
}

async function alreadyUrged(tx: EntityManager, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await tx.getRepository(UrgeLog).find({
      select: { id: true, reminderKey: true },
      where: { reminderKey: In(keys.slice(i, i + 500)) },
    });
    for (const row of rows) found.add(row.reminderKey);
  }
  return found;
}
