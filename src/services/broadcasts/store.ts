// Scheduled notices (定时通知): reading schedules and audiences as supervisors type them, and
// working out who receives a broadcast and when it is due.
import cron from 'node-cron';
import { In, type EntityManager } from 'typeorm';
import type { BroadcastAudience } from '../../entities/broadcast.js';
import { GroupRobot } from '../../entities/group-robot.js';
import { Person } from '../../entities/person.js';
import { UNIT_KIND_LABELS, type UnitKind, Unit } from '../../entities/unit.js';
import { markdown } from '../../messages/outbound.js';
import { messagesToItems, type OutboxItem } from '../../outbox/queue.js';
import { OutboxMessage } from '../../entities/outbox-message.js';
import { liaisonsByTopUnit, resolveUnitNames, unknownUnitsText } from '../directory/lookup.js';
import { spreadSendTime } from '../shared/spread.js';
import { addCalendarDays, parseShanghaiDateTime, shanghaiDate, type LocalDate } from '../calendar/time.js';

export type Schedule =
  | { kind: 'once'; at: Date; text: string }
  | { kind: 'recurring'; cron: string; workingDaysOnly: boolean; text: string };

const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0 };

function clock(text: string): { hour: number; minute: number } | undefined {
  const match = /^(\d{1,2})(?:[:：点时](\d{1,2})?分?)?$/.exec(text.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? 0);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads a schedule: one-off (`2026-12-01 09:00`, `12月1日9:00`, `明天9:00`, `今天15:30`) or recurring
 * (`每天9:00`, `每个工作日9:00`, `每周一9:00`, `每月1日9:00`). Returns an error text when it cannot.
 */
export function parseSchedule(input: string, now: Date): Schedule | { error: string } {
  const text = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const invalid = {
    error:
      '看不懂这个时间。请写成：2026-12-01 09:00、12月1日9:00、明天9:00，或 每天9:00、每个工作日9:00、每周一9:00、每月1日9:00。',
  };

  let m = /^(每个?工作日|工作日每天|每[天日])\s*(.+)$/.exec(text);
  if (m) {
    const t = clock(m[2]!);
    if (!t) return invalid;
    const workingDaysOnly = m[1]!.includes('工作日');
    return {
      kind: 'recurring',
      cron: `${t.minute} ${t.hour} * * *`,
      workingDaysOnly,
      text: `${workingDaysOnly ? '每个工作日' : '每天'} ${pad(t.hour)}:${pad(t.minute)}`,
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
      text: `每周${m[1] === '天' ? '日' : m[1]} ${pad(t.hour)}:${pad(t.minute)}`,
    };
  }
  m = /^每月(\d{1,2})[日号]\s*(.+)$/.exec(text);
  if (m) {
    const day = Number(m[1]);
    const t = clock(m[2]!);
    if (!t || day < 1 || day > 28) return { error: '每月的日期请写 1–28 日（避免有的月份没有这一天）。' };
    return {
      kind: 'recurring',
      cron: `${t.minute} ${t.hour} ${day} * *`,
      workingDaysOnly: false,
      text: `每月${day}日 ${pad(t.hour)}:${pad(t.minute)}`,
    };
  }

  const today = shanghaiDate(now);
  let date: LocalDate | undefined;
  let rest = '';
  m = /^(今天|明天|后天)\s*(.+)$/.exec(text);
  if (m) {
    date = addCalendarDays(today, { 今天: 0, 明天: 1, 后天: 2 }[m[1] as '今天' | '明天' | '后天']);
    rest = m[2]!;
  }
  m = m ? null : /^(?:(\d{4})[-/年.])?(\d{1,2})[-/月.](\d{1,2})日?\s*(.+)$/.exec(text);
  if (m) {
    const year = m[1] ? Number(m[1]) : Number(today.slice(0, 4));
    const candidate = `${year}-${pad(Number(m[2]))}-${pad(Number(m[3]))}` as LocalDate;
    // Without a year, a date already past means next year's.
    date = !m[1] && candidate < today ? (`${year + 1}${candidate.slice(4)}` as LocalDate) : candidate;
    rest = m[4]!;
  }
  if (!date) return invalid;
  const t = clock(rest);
  if (!t) return invalid;
  let at: Date;
  try {
    at = parseShanghaiDateTime(`${date} ${pad(t.hour)}:${pad(t.minute)}`);
  } catch {
    return invalid;
  }
  if (at.getTime() <= now.getTime()) return { error: '这个时间已经过去了，请给一个将来的时间。' };
  return { kind: 'once', at, text: `${date} ${pad(t.hour)}:${pad(t.minute)}` };
}

/**
 * Reads an audience: 全部联络员, unit kinds (区县、功能区、市直部门), unit names, or 群机器人 <名称>.
 */
export async function parseAudience(
  tx: EntityManager,
  input: string,
): Promise<{ audience: BroadcastAudience; label: string } | { error: string }> {
  const text = input.normalize('NFKC').trim();
  if (/^(全部|全体|所有)?联络员$|^全部$/.test(text))
    return { audience: { kind: 'all-liaisons' }, label: '全部联络员' };
  const robot = /^(?:群机器人|机器人|群)\s*(.+)$/.exec(text);
  if (robot) {
    const found = await tx.getRepository(GroupRobot).findOneBy({ name: robot[1]!.trim(), active: true });
    if (!found) return { error: `没有名为“${robot[1]!.trim()}”的群机器人。发送“群机器人列表”查看。` };
    return { audience: { kind: 'robot', robotId: found.id }, label: `群机器人“${found.name}”` };
  }
  const kinds = text
    .split(/[、，,\s]+/)
    .filter(Boolean)
    .map((word) => word.replace(/^全部/, ''));
  const byLabel = new Map(Object.entries(UNIT_KIND_LABELS).map(([kind, label]) => [label, kind as UnitKind]));
  if (kinds.length > 0 && kinds.every((word) => byLabel.has(word))) {
    const unitKinds = kinds.map((word) => byLabel.get(word)!);
    return {
      audience: { kind: 'unit-kinds', unitKinds },
      label: `全部${unitKinds.map((k) => UNIT_KIND_LABELS[k]).join('、')}的联络员`,
    };
  }
  const resolved = await resolveUnitNames(tx, text);
  if (resolved.unknown.length > 0) {
    return { error: unknownUnitsText(resolved, '请重新输入。') };
  }
  if (resolved.units.length === 0)
    return { error: '请写明发给谁：全部联络员、区县、功能区、市直部门、单位名称，或 群机器人 名称。' };
  return {
    audience: { kind: 'units', unitIds: resolved.units.map((u) => u.id) },
    label: resolved.units.map((u) => u.name).join('、'),
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

/** The next time a recurring cron fires after `now` (within 40 days), for 通知列表. */
export function nextOccurrence(expression: string, now: Date): Date | undefined {
  const start = Math.floor(now.getTime() / 60_000) * 60_000 + 60_000;
  for (let t = start; t < start + 40 * 86_400_000; t += 60_000) {
    if (cronMatches(expression, new Date(t))) return new Date(t);
  }
  return undefined;
}

/** The outbox items of one occurrence of a broadcast (members, or its group robot). */
export async function broadcastItems(
  tx: EntityManager,
  broadcast: { id: number; content: string; audience: BroadcastAudience },
  occurrence: Date,
  /** Scheduled occurrences go out a little after the minute; an immediate broadcast passes none. */
  spreadFrom?: Date,
): Promise<OutboxItem[]> {
  const key = `broadcast:${broadcast.id}:${occurrence.toISOString()}`;
  const source = `broadcast:${broadcast.id}`;
  if (broadcast.audience.kind === 'robot') {
    return [
      {
        key,
        to: String(broadcast.audience.robotId),
        channel: 'robot',
        payload: { msgtype: 'markdown', markdown: { content: broadcast.content } },
        source,
      },
    ];
  }
  const members = await audienceMembers(tx, broadcast.audience);
  return members.flatMap((member) =>
    messagesToItems(member.userid, [markdown(broadcast.content)], {
      keyPrefix: key,
      source,
      notBefore: spreadFrom && spreadSendTime(spreadFrom, key),
    }),
  );
}

/** Sent / waiting / failed counts per broadcast, from its outbox rows. */
export async function broadcastProgress(
  tx: EntityManager,
  ids: number[],
): Promise<Map<number, { sent: number; waiting: number; failed: number }>> {
  const progress = new Map<number, { sent: number; waiting: number; failed: number }>();
  if (ids.length === 0) return progress;
  const rows = await tx
    .getRepository(OutboxMessage)
    .createQueryBuilder('o')
    .select('o.source', 'source')
    .addSelect('o.status', 'status')
    .addSelect('COUNT(*)', 'n')
    .where('o.source IN (:...sources)', { sources: ids.map((id) => `broadcast:${id}`) })
    .groupBy('o.source')
    .addGroupBy('o.status')
    .getRawMany<{ source: string; status: string; n: string | number }>();
  for (const id of ids) progress.set(id, { sent: 0, waiting: 0, failed: 0 });
  for (const row of rows) {
    const entry = progress.get(Number(row.source.split(':')[1]))!;
    if (row.status === 'sent') entry.sent += Number(row.n);
    else if (row.status === 'dead') entry.failed += Number(row.n);
    else entry.waiting += Number(row.n);
  }
  return progress;
}
