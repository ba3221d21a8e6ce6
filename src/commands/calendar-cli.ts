/** Helpers shared by the calendar commands (deadline, workday, import-calendar). */
import { loadCalendar } from '../services/calendar/store.js';
import type { WorkCalendar } from '../services/calendar/calendar.js';
import type { CliIO } from './types.js';

/** The dates involved fall in a year whose holiday schedule is neither published nor imported. */
export const EXIT_CALENDAR_NOT_PUBLISHED = 3;

export async function calendarFromDatabase(io: CliIO): Promise<WorkCalendar> {
  const dataSource = await io.openDatabase();
  return loadCalendar(dataSource.manager);
}

export function importHint(years: readonly number[]): string {
  const list = years.map((y) => `${y} 年`).join('、');
  return `${list}的节假日安排尚未发布或尚未导入。国务院办公厅通知发布后，请运行 npx duban import-calendar <文件.json> 导入（holiday-cn 格式）。`;
}
