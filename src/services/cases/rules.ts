// Rules of the typical-case collection (典型案例征集) as plain functions: how long a case is, what a
// supervisor may type for quotas and deadlines, how progress and case references read. Source:
// the 2023 Q1 notice, 四(六): "各区县至少提报5个、市直部门至少提报1个典型案例（每个案例控制在150字
// 以内）", about 加强内容建设、强化解读回应、畅通互动渠道、服务企业群众、推动工作创新.
import type { Unit, UnitKind } from '../../entities/unit.js';
import type { CaseCall } from '../../entities/case-call.js';
import type { TypicalCase } from '../../entities/typical-case.js';
import { CalendarNotPublishedError, isWorkingDayOrWeekday, type WorkCalendar } from '../calendar/calendar.js';
import { deadlineDay, describeRemaining, remainingTime, type RemainingTime } from '../calendar/deadlines.js';
import { shanghaiDate, shanghaiDateTimeParts } from '../calendar/time.js';

export const CASE_THEMES: readonly string[] = [
  '加强内容建设',
  '强化解读回应',
  '畅通互动渠道',
  '服务企业群众',
  '推动工作创新',
];

export type CaseQuotas = Record<UnitKind, number>;

export const DEFAULT_CASE_QUOTAS: Readonly<CaseQuotas> = Object.freeze({
  district: 5,
  zone: 5,
  department: 1,
  other: 0,
});

export const DEFAULT_CASE_MAX_LENGTH = 150;
export const CASE_TITLE_MAX_LENGTH = 40;
export const CALL_TITLE_MAX_LENGTH = 60;
/** A quota above this is surely a typo (the notice asks for 5 at most). */
export const MAX_QUOTA = 50;
/** "N个工作日" for a call: at most about three months. */
export const MAX_CALL_WORKING_DAYS = 60;

/** The order unit kinds are listed in, as the notice addresses them. */
export const UNIT_KIND_ORDER: readonly UnitKind[] = ['district', 'zone', 'department', 'other'];

const QUOTA_WORDS: Record<string, UnitKind> = {
  区县: 'district',
  功能区: 'zone',
  市直部门: 'department',
  其他: 'other',
};

// ---------------------------------------------------------------------------------------------------
// Length

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * Characters as a reader counts them: every Chinese character, letter, digit, punctuation mark or
 * emoji (with its modifiers, a flag, a family) is one; surrounding whitespace does not count.
 */
export function countCaseChars(text: string): number {
  let count = 0;
  for (const _segment of graphemes.segment(text.trim())) count++;
  return count;
}

export type LengthCheck =
  | { ok: true; text: string; length: number }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'too-long'; length: number; max: number; excess: number };

/** The trimmed text and its length, or why it cannot be taken. */
export function checkCaseLength(raw: string, max: number): LengthCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const length = countCaseChars(text);
  if (length > max) return { ok: false, reason: 'too-long', length, max, excess: length - max };
  return { ok: true, text, length };
}

export function lengthRejection(check: Exclude<LengthCheck, { ok: true }>): string {
  if (check.reason === 'empty') return '案例内容不能为空，请发送案例内容。';
  return (
    `案例内容共 ${check.length} 字，超过 ${check.max} 字的上限，需删减 ${check.excess} 字。` +
    '请修改后重新发送，已填写的其他内容都已保留。'
  );
}

// ---------------------------------------------------------------------------------------------------
// Quotas

/** `区县5 功能区5 市直部门1`, leaving out kinds with no quota unless all are zero. */
export function describeQuotas(quotas: Readonly<CaseQuotas>): string {
  const parts = UNIT_KIND_ORDER.filter((kind) => quotas[kind] > 0).map(
    (kind) => `${QUOTA_LABEL[kind]}${quotas[kind]}`,
  );
  return parts.length > 0 ? parts.join(' ') : '不设数量要求';
}

const QUOTA_LABEL: Record<UnitKind, string> = {
  district: '区县',
  zone: '功能区',
  department: '市直部门',
  other: '其他',
};

export type QuotaParse = { ok: true; quotas: CaseQuotas } | { ok: false; message: string };

/**
 * `默认`, or kinds with numbers such as `区县5 功能区5 市直部门1` (`区县：5个` too); a kind left out
 * keeps its default.
 */
export function parseQuotas(input: string): QuotaParse {
  const text = input.trim();
  if (text === '默认' || text === '默认配额') return { ok: true, quotas: { ...DEFAULT_CASE_QUOTAS } };
  const quotas: CaseQuotas = { ...DEFAULT_CASE_QUOTAS };
  const pattern = /(区县|功能区|市直部门|其他)\s*[:：]?\s*(\d{1,3})\s*个?/g;
  let matched = 0;
  const rest = text.replace(pattern, (_all, word: string, count: string) => {
    quotas[QUOTA_WORDS[word]!] = Number(count);
    matched++;
    return ' ';
  });
  if (matched === 0 || rest.replace(/[\s,，、;；]+/g, '') !== '') {
    return {
      ok: false,
      message: '没有看懂配额。请回复“默认”，或按“区县5 功能区5 市直部门1”的格式填写（未写的按默认）。',
    };
  }
  const tooMany = UNIT_KIND_ORDER.find((kind) => quotas[kind] > MAX_QUOTA);
  if (tooMany) return { ok: false, message: `${QUOTA_LABEL[tooMany]}配额不能超过 ${MAX_QUOTA} 个。` };
  return { ok: true, quotas };
}

// ---------------------------------------------------------------------------------------------------
// Deadlines

/** `3月21日`, with the year when it is not the year of `now`. */
export function shortDueDate(deadline: Date, now: Date): string {
  const due = deadlineDay(deadline);
  const [year, month, day] = [due.slice(0, 4), Number(due.slice(5, 7)), Number(due.slice(8, 10))];
  const sameYear = year === String(shanghaiDateTimeParts(now).year);
  return `${sameYear ? '' : `${year}年`}${month}月${day}日`;
}

/** 还剩2个工作日 / 今天24时截止 / 已逾期1个工作日 / 还剩20个工作日，预估 (no nested brackets). */
export function remainingPhrase(remaining: RemainingTime, provisional = false): string {
  const phrase = describeRemaining(remaining, true, false);
  return provisional || remaining.provisionalYears.length > 0 ? `${phrase}，预估` : phrase;
}

/** `截止 3月21日（还剩2个工作日）`; `…（还剩20个工作日，预估）` for a provisional deadline. */
export function dueClause(calendar: WorkCalendar, deadline: Date, now: Date, provisional = false): string {
  return `截止 ${shortDueDate(deadline, now)}（${remainingPhrase(remainingTime(calendar, deadline, now), provisional)}）`;
}

/** `已提交 3/5，还需 2 个` / `已提交 5/5，已达标` / `已提交 2 个` (no quota). */
export function countClause(submitted: number, quota: number): string {
  if (quota <= 0) return `已提交 ${submitted} 个`;
  const left = quota - submitted;
  return left > 0 ? `已提交 ${submitted}/${quota}，还需 ${left} 个` : `已提交 ${submitted}/${quota}，已达标`;
}

/** `已提交 3/5，还需 2 个，截止 3月21日（还剩2个工作日）` */
export function progressLine(
  calendar: WorkCalendar,
  progress: { submitted: number; quota: number; deadline: Date },
  now: Date,
): string {
  return `${countClause(progress.submitted, progress.quota)}，${dueClause(calendar, progress.deadline, now)}`;
}

// ---------------------------------------------------------------------------------------------------
// Reminders

export type ReminderStage = 'd3' | 'd1';

export const REMINDER_STAGE_LABELS: Record<ReminderStage, string> = {
  d3: '截止前3个工作日',
  d1: '截止前1个工作日',
};

/** Working days before the due day at which units still short are reminded. */
const STAGE_BY_DAYS_LEFT = new Map<number, ReminderStage>([
  [3, 'd3'],
  [1, 'd1'],
]);

/**
 * The reminder stage of `now` for a deadline: 'd3' on the working day three working days before the
 * due day, 'd1' on the one just before it, otherwise null (also on days off). Without a published
 * schedule the days are counted as natural days, and weekends are days off.
 */
export function reminderStage(calendar: WorkCalendar, deadline: Date, now: Date): ReminderStage | null {
  if (!isWorkingDayOrWeekday(calendar, shanghaiDate(now))) return null;
  const remaining = remainingTime(calendar, deadline, now);
  if (remaining.status !== 'left') return null;
  return STAGE_BY_DAYS_LEFT.get(remaining.count) ?? null;
}

/** A note for a due day that is not a working day (a deadline on a Sunday is usually a slip). */
export function dueDayNote(calendar: WorkCalendar, deadline: Date): string | null {
  const due = deadlineDay(deadline);
  try {
    const info = calendar.dayInfo(due);
    return info.isWorkingDay ? null : `注意：截止日为${info.reason}，不是工作日。`;
  } catch (error) {
    if (error instanceof CalendarNotPublishedError) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// References typed in chat

/** `C7` / `c7` → 7. */
export function parseCaseRef(text: string): number | null {
  const match = /^[Cc]\s*(\d{1,9})$/.exec(text.trim());
  return match ? Number(match[1]) : null;
}

export const caseRef = (id: number): string => `C${id}`;
export const callRef = (id: number): string => `征集${id}`;

/** `征集2` / `2` → 2. */
export function parseCallRef(text: string): number | null {
  const match = /^(?:征集)?\s*(\d{1,9})$/.exec(text.trim());
  return match ? Number(match[1]) : null;
}

export type ReviewDecision = 'accept' | 'return';

export type ReviewParse =
  { ok: true; caseId: number; decision: ReviewDecision; reason: string } | { ok: false; message: string };

export const REVIEW_USAGE = '审核案例 C7 采纳|退回 <理由>';

/** `C7 采纳` / `C7 退回 内容与主题不符` (spaces optional); a return needs a reason. */
export function parseReview(args: string): ReviewParse {
  const match = /^[Cc]\s*(\d{1,9})\s*(采纳|通过|退回)\s*[:：，,]?\s*([\s\S]*)$/.exec(args.trim());
  if (!match) return { ok: false, message: `用法：${REVIEW_USAGE}` };
  const decision: ReviewDecision = match[2] === '退回' ? 'return' : 'accept';
  const reason = (match[3] ?? '').trim();
  if (decision === 'return' && reason === '') {
    return { ok: false, message: `退回需写明理由，如：审核案例 C${match[1]} 退回 内容与主题不符` };
  }
  return { ok: true, caseId: Number(match[1]), decision, reason };
}

/** The theme a liaison picked: its number in the list or (part of) its name. */
export function pickTheme(themes: readonly string[], input: string): string | null {
  const text = input.trim();
  if (/^\d{1,2}$/.test(text)) return themes[Number(text) - 1] ?? null;
  if (text === '') return null;
  const exact = themes.find((theme) => theme === text);
  if (exact) return exact;
  const partial = themes.filter((theme) => theme.includes(text));
  return partial.length === 1 ? partial[0]! : null;
}

/** Cuts a text to `max` characters (as a reader counts them), marking the cut with …. */
export function clipChars(text: string, max: number): string {
  const parts = [...graphemes.segment(text)].map((segment) => segment.segment);
  return parts.length > max ? `${parts.slice(0, max - 1).join('')}…` : text;
}

export interface CaseCounts {
  /** Submitted + accepted: what counts towards the quota. */
  counted: number;
  accepted: number;
  returned: number;
}

export interface UnitProgress extends CaseCounts {
  unit: Unit;
  quota: number;
  /** How many more are needed (0 when the quota is met). */
  short: number;
}

// ---------------------------------------------------------------------------------------------------
// Outcomes of the lookups (store.ts) that the views explain

export type CallChoice =
  | { kind: 'one'; call: CaseCall }
  | { kind: 'many'; calls: CaseCall[] }
  /** `征集9` or text that names no call. */
  | { kind: 'none'; reason: 'unknown'; typed: string; callId: number | null }
  | { kind: 'none'; reason: 'closed'; call: CaseCall }
  | { kind: 'none'; reason: 'no-open' };

export type CaseChangeRefusal = 'missing' | 'other-unit' | 'closed' | 'accepted';

export type ChangeableCase =
  | { ok: true; kase: TypicalCase; call: CaseCall }
  | { ok: false; reason: CaseChangeRefusal; caseId: number; callId?: number };
