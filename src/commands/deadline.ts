import { CalendarNotPublishedError, type WorkCalendar } from '../services/calendar/calendar.js';
import {
  describeDeadline,
  filingDeadline,
  guestbookDeadline,
  isProvisional,
  provisionalWarning,
  workingDaysDeadline,
  type DeadlineResult,
} from '../services/calendar/deadlines.js';
import { formatIso, parseShanghaiDateTime } from '../services/calendar/time.js';
import { EXIT_CALENDAR_NOT_PUBLISHED, calendarFromDatabase, importHint } from './calendar-cli.js';
import { EXIT_OK, EXIT_USAGE, writeLine, writeUsage } from './common.js';
import type { CliCommand } from './types.js';

export type DeadlineRuleArg = { name: 'guestbook' } | { name: 'filing' } | { name: 'workdays'; days: number };

const USAGE = 'deadline <guestbook|filing|workdays:N> "<YYYY-MM-DD HH:mm>"';

/** `guestbook`, `filing` or `workdays:N` (N a positive whole number); null for anything else. */
export function parseDeadlineRuleArg(text: string): DeadlineRuleArg | null {
  if (text === 'guestbook' || text === 'filing') return { name: text };
  const match = /^workdays:(\d{1,4})$/.exec(text);
  const days = Number(match?.[1]);
  return match && days >= 1 ? { name: 'workdays', days } : null;
}

export function computeDeadline(calendar: WorkCalendar, rule: DeadlineRuleArg, at: Date): DeadlineResult {
  switch (rule.name) {
    case 'guestbook':
      return guestbookDeadline(calendar, at);
    case 'filing':
      return filingDeadline(calendar, at);
    case 'workdays':
      return workingDaysDeadline(calendar, at, rule.days);
  }
}

/**
 * `2026-03-11T00:00:00+08:00 2026-03-10（周二）24时截止（2026-03-09（周一）0时起算）`, with （预估）
 * after 截止 when the count used the provisional calendar of a year not yet published.
 */
export function formatDeadlineLine(result: DeadlineResult): string {
  return `${formatIso(result.deadline)} ${describeDeadline(result)}`;
}

export const deadlineCommand: CliCommand = {
  name: 'deadline',
  summary: '计算办理期限（留言 guestbook、新媒体备案 filing、N 个工作日 workdays:N）',
  usage: USAGE,
  async run(args, io) {
    const [ruleText, atText, ...extra] = args;
    const rule = ruleText === undefined ? null : parseDeadlineRuleArg(ruleText);
    if (rule === null || atText === undefined || extra.length > 0) {
      return writeUsage(
        io,
        USAGE,
        '  guestbook   “我为政府网站找错”留言：收到后第 3 个工作日 24 时',
        '  filing      政务新媒体开设/变更/关停/注销备案：3 个工作日内',
        '  workdays:N  自该时刻所在日起第 N 个工作日 24 时',
      );
    }
    let at: Date;
    try {
      at = parseShanghaiDateTime(atText);
    } catch (error) {
      writeLine(io.stderr, error instanceof Error ? error.message : String(error));
      return EXIT_USAGE;
    }
    let result: DeadlineResult;
    try {
      result = computeDeadline(await calendarFromDatabase(io), rule, at);
    } catch (error) {
      if (!(error instanceof CalendarNotPublishedError)) throw error;
      writeLine(io.stderr, `无法按工作日计算期限：${importHint(error.years)}`);
      return EXIT_CALENDAR_NOT_PUBLISHED;
    }
    writeLine(io.stdout, formatDeadlineLine(result));
    if (!isProvisional(result)) return EXIT_OK;
    // Exit 3 as for any answer that rests on a schedule not yet published: scripts must not take it as final.
    writeLine(io.stderr, `预估：${provisionalWarning(result.provisionalYears)}`);
    writeLine(io.stderr, importHint(result.provisionalYears));
    return EXIT_CALENDAR_NOT_PUBLISHED;
  },
};
