// Scheduled notices (定时通知): reading schedules and audiences as supervisors type them, and
// working out who receives a broadcast and when it is due.
import { memberText } from '../../messages/member-text.js';
import cron from 'node-cron';
import { In, type EntityManager } from 'typeorm';
import type { BroadcastAudience } from '../../entities/broadcast.js';
import { GroupRobot } from '../../entities/group-robot.js';
import { Person } from '../../entities/person.js';
import { UNIT_KIND_LABELS, type UnitKind, Unit } from '../../entities/unit.js';
import { markdown } from '../../messages/outbound.js';
import { enqueue, messagesToItems, type OutboxItem } from '../../outbox/queue.js';
import { BroadcastRun } from '../../entities/broadcast-run.js';
import { OutboxMessage } from '../../entities/outbox-message.js';
import { liaisonsByTopUnit, resolveUnitNames, type UnitResolution } from '../directory/lookup.js';
import { broadcastNotBefore } from './send-time.js';
import { parseShanghaiDateTime, shanghaiDate, type LocalDate } from '../calendar/time.js';
import { canonicalText, readClockTime, readDatePhrase } from '../calendar/date-phrases.js';
import { placeMonthDay } from '../calendar/year-choice.js';
import { dailyScheduleText, monthlyScheduleText, onceScheduleText, weeklyScheduleText } from './views.js';

export type Schedule =
  | { kind: 'once'; at: Date; text: string }
  | { kind: 'recurring'; cron: string; workingDaysOnly: boolean; text: string };

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0 };

/** A time of day for a schedule: the shared reader, without 24时 (a notice goes out at a minute). */
function clock(text: string): { hour: number; minute: number } | undefined {
  const time = readClockTime(text);
  return time && time.hour < 24 ? time : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Why a typed schedule was not taken (worded in handlers/broadcasts/views.ts). */
export type ScheduleProblem =
  | { kind: 'unreadable' }
  /** The shared date reader's own sentence (an impossible date). */
  | { kind: 'invalid-date'; message: string }
  | { kind: 'monthly-day' }
  | { kind: 'no-time'; typed: string }
  | { kind: 'hour-24' }
  | { kind: 'no-such-day'; typed: string; year: number }
  /** A month-day already past this year: `ask` is the text 是 stands for. */
  | { kind: 'ask-next-year'; typed: string; date: LocalDate; ask: string }
  | { kind: 'past' };

/**
 * Reads a schedule: one-off (`2026-12-01 09:00`, `12月1日9:00`, `明天9:00`, `下周一9:00`, `今天15:30`)
 * or recurring (`每天9:00`, `每个工作日9:00`, `每周一9:00`, `每月1日9:00`). One-off times go through
 * the shared date reader: impossible dates say so, and a month-day already past this year asks
 * (`ask`: the text 是 stands for) instead of moving to next year silently.
 */
export function parseSchedule(input: string, now: Date): Schedule | { problem: ScheduleProblem } {
  const text = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const invalid = { problem: { kind: 'unreadable' } } as const;

  let m = /^(每个?工作日|工作日每天|每[天日])\s*(.+)$/.exec(text);
  if (m) {
    const t = clock(m[2]!);
    if (!t) return invalid;
    const workingDaysOnly = m[1]!.includes('工作日');
    return {
      kind: 'recurring',
      cron: `${t.minute} ${t.hour} * * *`,
      workingDaysOnly,
      text: dailyScheduleText(workingDaysOnly, t),
    };
  }
  m = /^每(?:周|星期)([一二三四五六日天])\s*(.+)$/.exec(text);
  if (m) {
    const t = clock(m[2]!);
    if (!t) return invalid;
    return {
      kind: 'recurring',
      cron: `${t.minute} ${t.hour} * * ${WEEKDAYS[m[1]!]}`,
      workingDaysOnly: false,
      text: weeklyScheduleText(WEEKDAYS[m[1]!]!, t),
    };
  }
  m = /^每月(\d{1,2})[日号]\s*(.+)$/.exec(text);
  if (m) {
    const day = Number(m[1]);
    const t = clock(m[2]!);
    if (!t || day < 1 || day > 28) return { problem: { kind: 'monthly-day' } };
    return {
      kind: 'recurring',
      cron: `${t.minute} ${t.hour} ${day} * *`,
      workingDaysOnly: false,
      text: monthlyScheduleText(day, t),
    };
  }

  const today = shanghaiDate(now);
  const read = readDatePhrase(text, today);
  if (!read.ok)
    return read.reason === 'invalid' ? { problem: { kind: 'invalid-date', message: read.error } } : invalid;
  const phrase = read.phrase;
  if (phrase.kind !== 'day' && phrase.kind !== 'time') return invalid;
  if (phrase.kind === 'day' && !phrase.time) return { problem: { kind: 'no-time', typed: text } };
  const time = phrase.time!;
  if (time.hour === 24) return { problem: { kind: 'hour-24' } };
  let date: LocalDate = today;
  if (phrase.kind === 'day' && phrase.day.kind === 'date') date = phrase.day.date;
  if (phrase.kind === 'day' && phrase.day.kind === 'month-day') {
    const choice = placeMonthDay(phrase.day.month, phrase.day.day, today, 'future');
    if (choice.kind === 'no-such-day')
      return { problem: { kind: 'no-such-day', typed: phrase.day.text, year: choice.year } };
    if (choice.kind === 'ask-next-year') {
      const ask = canonicalText(choice.date, time);
      return { problem: { kind: 'ask-next-year', typed: phrase.day.text, date: choice.date, ask } };
    }
    date = choice.date;
  }
  const at = parseShanghaiDateTime(`${date} ${pad(time.hour)}:${pad(time.minute)}`);
  if (at.getTime() <= now.getTime()) return { problem: { kind: 'past' } };
  return { kind: 'once', at, text: onceScheduleText(date, time) };
}

/** An audience read, with the names its label is worded from (handlers/broadcasts/views.ts). */
export type AudienceRead =
  | { audience: { kind: 'all-liaisons' } }
  | { audience: { kind: 'robot'; robotId: number }; robotName: string }
  | { audience: { kind: 'unit-kinds'; unitKinds: UnitKind[] } }
  | { audience: { kind: 'units'; unitIds: number[] }; unitNames: string[] };

/** Why a typed audience was not taken. */
export type AudienceProblem =
  | { kind: 'no-robot'; name: string }
  | { kind: 'unknown-units'; resolution: Pick<UnitResolution, 'unknown' | 'moreUnknown'> }
  | { kind: 'empty' };

/**
 * Reads an audience: 全部联络员, unit kinds (区县、功能区、市直部门), unit names, or 群机器人 <名称>.
 */
export async function parseAudience(
  tx: EntityManager,
  input: string,
): Promise<AudienceRead | { problem: AudienceProblem }> {
  const text = input.normalize('NFKC').trim();
  if (/^(全部|全体|所有)?联络员$|^全部$/.test(text)) return { audience: { kind: 'all-liaisons' } };
  const robot = /^(?:群机器人|机器人|群)\s*(.+)$/.exec(text);
  if (robot) {
    const found = await tx.getRepository(GroupRobot).findOneBy({ name: robot[1]!.trim(), active: true });
    if (!found) return { problem: { kind: 'no-robot', name: robot[1]!.trim() } };
    return { audience: { kind: 'robot', robotId: found.id }, robotName: found.name };
  }
  const kinds = text
    .split(/[、，,\s]+/)
    .filter(Boolean)
    .map((word) => word.replace(/^全部/, ''));
  const byLabel = new Map(Object.entries(UNIT_KIND_LABELS).map(([kind, label]) => [label, kind as UnitKind]));
  if (kinds.length > 0 && kinds.every((word) => byLabel.has(word))) {
    const unitKinds = kinds.map((word) => byLabel.get(word)!);
    return { audience: { kind: 'unit-kinds', unitKinds } };
  }
  const resolved = await resolveUnitNames(tx, text);
  if (resolved.unknown.length > 0) {
    return { problem: { kind: 'unknown-units', resolution: resolved } };
  }
  if (resolved.units.length === 0) return { problem: { kind: 'empty' } };
  return {
    audience: { kind: 'units', unitIds: resolved.units.map((u) => u.id) },
    unitNames: resolved.units.map((u) => u.name),
  };
}

/** The members a member-audience reaches now (the directory as it is at send time). */
export async function audienceMembers(tx: EntityManager, audience: BroadcastAudience): Promise<Person[]> {
  if (audience.kind === 'robot') return [];
  if (audience.kind === 'all-liaisons') {
    return tx.getRepository(Person).find({ where: { role: 'liaison', active: true }, order: { id: 'ASC' } });
  }
  let unitIds: number[];
  if (audience.kind === 'units') unitIds = audience.unitIds;
  else {
    const units = await tx
      .getRepository(Unit)
      .find({ where: { kind: In(audience.unitKinds), active: true } });
    unitIds = units.filter((unit) => unit.parentId === null).map((unit) => unit.id);
  }
  const byUnit = await liaisonsByTopUnit(tx, unitIds);
  return [...byUnit.values()].flat();
}

const matchers = new Map<string, ReturnType<typeof cron.createTask>>();

/** Whether a recurring cron (Asia/Shanghai) fires at this minute. */
export function cronMatches(expression: string, minute: Date): boolean {
  let matcher = matchers.get(expression);
  if (!matcher) {
    matcher = cron.createTask(expression, () => undefined, { timezone: 'Asia/Shanghai' });
    matchers.set(expression, matcher);
  }
  return matcher.match(minute);
}

/** The minutes in (after, until] at which a cron fires, newest last (at most one day's worth). */
export function occurrencesBetween(expression: string, after: Date, until: Date): Date[] {
  const from = Math.max(after.getTime(), until.getTime() - 24 * 3_600_000);
  const result: Date[] = [];
  for (let t = Math.floor(from / 60_000) * 60_000 + 60_000; t <= until.getTime(); t += 60_000) {
    if (cronMatches(expression, new Date(t))) result.push(new Date(t));
  }
  return result;
}

/**
 * The next time a recurring notice runs after `now` (within 40 days): the next minute its cron
 * matches and, for a working-days-only notice, on a working day of the calendar (provisional in a
 * year not yet published), as the job decides.
 */
export function nextOccurrence(
  expression: string,
  now: Date,
  workingDay?: (date: LocalDate) => boolean,
): Date | undefined {
  const start = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
  for (let t = start; t < start + 40 * 86_400_000; t += 60_000) {
    const at = new Date(t);
    if (cronMatches(expression, at) && (!workingDay || workingDay(shanghaiDate(at)))) return at;
  }
  return undefined;
}

/** The outbox items of one occurrence of a broadcast (members, or its group robot). */
export async function broadcastItems(
  tx: EntityManager,
  broadcast: { id: number; content: string; audience: BroadcastAudience },
  occurrence: Date,
  /** A scheduled occurrence (not 广播 now): at :00 and :30 it waits for the next minute. */
  scheduled = false,
): Promise<OutboxItem[]> {
  const key = `broadcast:${broadcast.id}:${occurrence.toISOString()}`;
  const source = `broadcast:${broadcast.id}`;
  if (broadcast.audience.kind === 'robot') {
    return [
      {
        key,
        to: String(broadcast.audience.robotId),
        channel: 'robot',
        payload: { msgtype: 'markdown', markdown: { content: memberText(broadcast.content) } },
        source,
        notBefore: scheduled ? broadcastNotBefore(occurrence, key) : undefined,
      },
    ];
  }
  const members = await audienceMembers(tx, broadcast.audience);
  return members.flatMap((member) =>
    messagesToItems(member.userid, [markdown(memberText(broadcast.content))], {
      keyPrefix: key,
      source,
      notBefore: scheduled ? broadcastNotBefore(occurrence, key) : undefined,
    }),
  );
}

/** What one occurrence queued: members (or the robot) reached, and outbox messages. */
export interface OccurrenceSent {
  recipients: number;
  messages: number;
}

/**
 * Queues one occurrence of a broadcast and records it in broadcast_run, in the caller's
 * transaction: the run row is the notice's history once the outbox rows are purged.
 */
export async function sendOccurrence(
  tx: EntityManager,
  broadcast: { id: number; content: string; audience: BroadcastAudience },
  occurrence: Date,
  now: Date,
  /** A scheduled occurrence (not 广播 now): see broadcastItems. */
  scheduled = false,
): Promise<OccurrenceSent> {
  const items = await broadcastItems(tx, broadcast, occurrence, scheduled);
  await enqueue(tx, items, now);
  const sent = { recipients: new Set(items.map((item) => item.to)).size, messages: items.length };
  await tx
    .createQueryBuilder()
    .insert()
    .into(BroadcastRun)
    .values({ broadcastId: broadcast.id, occurrence, ...sent })
    .orIgnore()
    .execute();
  return sent;
}

/**
 * Sent / waiting / failed messages per broadcast. What was queued comes from broadcast_run;
 * waiting and failed from the outbox rows not yet sent. Housekeeping only ever purges sent rows,
 * so whatever is no longer waiting or failed was sent.
 */
export async function broadcastProgress(
  tx: EntityManager,
  ids: number[],
): Promise<Map<number, { sent: number; waiting: number; failed: number }>> {
  const progress = new Map<number, { sent: number; waiting: number; failed: number }>();
  if (ids.length === 0) return progress;
  const queued = await tx
    .getRepository(BroadcastRun)
    .createQueryBuilder('r')
    .select('r.broadcast_id', 'id')
    .addSelect('SUM(r.messages)', 'n')
    .where('r.broadcast_id IN (:...ids)', { ids })
    .groupBy('r.broadcast_id')
    .getRawMany<{ id: string | number; n: string | number }>();
  const unsent = await tx
    .getRepository(OutboxMessage)
    .createQueryBuilder('o')
    .select('o.source', 'source')
    .addSelect('o.status', 'status')
    .addSelect('COUNT(*)', 'n')
    .where('o.source IN (:...sources)', { sources: ids.map((id) => `broadcast:${id}`) })
    .andWhere('o.status <> :sent', { sent: 'sent' })
    .groupBy('o.source')
    .addGroupBy('o.status')
    .getRawMany<{ source: string; status: string; n: string | number }>();
  const total = new Map(queued.map((row) => [Number(row.id), Number(row.n)]));
  for (const id of ids) progress.set(id, { sent: 0, waiting: 0, failed: 0 });
  for (const row of unsent) {
    const entry = progress.get(Number(row.source.split(':')[1]))!;
    if (row.status === 'dead') entry.failed += Number(row.n);
    else entry.waiting += Number(row.n);
  }
  for (const [id, entry] of progress) {
    entry.sent = Math.max(0, (total.get(id) ?? 0) - entry.waiting - entry.failed);
  }
  return progress;
}
