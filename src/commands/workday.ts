import type { WorkCalendar } from '../services/calendar/calendar.js';
import { isLocalDate, yearOf, type LocalDate } from '../services/calendar/time.js';
import { EXIT_CALENDAR_NOT_PUBLISHED, calendarFromDatabase, importHint } from './calendar-cli.js';
import { EXIT_OK, writeLine, writeUsage } from './common.js';
import type { CliCommand } from './types.js';

const USAGE = 'workday <YYYY-MM-DD>';

/**
 * `workday 2026-02-14（周六，春节调休上班）` or `off 2026-02-15（周日，春节）`; `…，预估）` in a year not
 * published; throws CalendarNotPublishedError for a year the calendar cannot estimate.
 */
export function formatWorkdayLine(calendar: WorkCalendar, date: LocalDate): string {
  return `${calendar.isWorkingDay(date) ? 'workday' : 'off'} ${calendar.describe(date)}`;
}

export const workdayCommand: CliCommand = {
  name: 'workday',
  summary: '查询某天是否工作日及原因（节假日、调休上班、周末）',
  usage: USAGE,
  async run(args, io) {
    const [dateText, ...extra] = args;
    if (dateText === undefined || extra.length > 0 || !isLocalDate(dateText)) {
      if (dateText !== undefined && extra.length === 0) writeLine(io.stderr, `日期 ${dateText} 无效`);
      return writeUsage(io, USAGE);
    }
    const calendar = await calendarFromDatabase(io);
    const year = yearOf(dateText);
    if (!calendar.answers(year)) {
      writeLine(io.stderr, `无法判断 ${dateText}：${importHint([year])}`);
      return EXIT_CALENDAR_NOT_PUBLISHED;
    }
    writeLine(io.stdout, formatWorkdayLine(calendar, dateText));
    if (calendar.covers(year)) return EXIT_OK;
    writeLine(io.stderr, `预估：按周末和法定节假日推算（不含调休）。${importHint([year])}`);
    return EXIT_CALENDAR_NOT_PUBLISHED;
  },
};
