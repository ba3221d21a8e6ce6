/**
 * Holiday schedules typed by hand from the State Council notices (not derived from chinese-days):
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社全文）
 */
import { addCalendarDays, type LocalDate } from '../../src/services/calendar/time.js';

export interface HolidayBlock {
  /** The names the calendar may show for days of this block. */
  names: readonly string[];
  from: LocalDate;
  to: LocalDate;
  /** Saturdays and Sundays worked instead (调休上班). */
  makeUpDays: readonly LocalDate[];
}

export const HOLIDAYS_2025: readonly HolidayBlock[] = [
  { names: ['元旦'], from: '2025-01-01', to: '2025-01-01', makeUpDays: [] },
  { names: ['春节'], from: '2025-01-28', to: '2025-02-04', makeUpDays: ['2025-01-26', '2025-02-08'] },
  { names: ['清明节'], from: '2025-04-04', to: '2025-04-06', makeUpDays: [] },
  { names: ['劳动节'], from: '2025-05-01', to: '2025-05-05', makeUpDays: ['2025-04-27'] },
  { names: ['端午节'], from: '2025-05-31', to: '2025-06-02', makeUpDays: [] },
  // "国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天" (中秋 falls on 10-06).
  {
    names: ['国庆节', '中秋节'],
    from: '2025-10-01',
    to: '2025-10-08',
    makeUpDays: ['2025-09-28', '2025-10-11'],
  },
];

export const HOLIDAYS_2026: readonly HolidayBlock[] = [
  { names: ['元旦'], from: '2026-01-01', to: '2026-01-03', makeUpDays: ['2026-01-04'] },
  { names: ['春节'], from: '2026-02-15', to: '2026-02-23', makeUpDays: ['2026-02-14', '2026-02-28'] },
  { names: ['清明节'], from: '2026-04-04', to: '2026-04-06', makeUpDays: [] },
  { names: ['劳动节'], from: '2026-05-01', to: '2026-05-05', makeUpDays: ['2026-05-09'] },
  { names: ['端午节'], from: '2026-06-19', to: '2026-06-21', makeUpDays: [] },
  { names: ['中秋节'], from: '2026-09-25', to: '2026-09-27', makeUpDays: [] },
  { names: ['国庆节'], from: '2026-10-01', to: '2026-10-07', makeUpDays: ['2026-09-20', '2026-10-10'] },
];

export const HOLIDAY_BLOCKS = [...HOLIDAYS_2025, ...HOLIDAYS_2026];

export function datesFrom(from: LocalDate, to: LocalDate): LocalDate[] {
  const dates: LocalDate[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) dates.push(d);
  return dates;
}

/** [date, names] for every day off of every block. */
export const HOLIDAY_DAYS: [LocalDate, readonly string[]][] = HOLIDAY_BLOCKS.flatMap((block) =>
  datesFrom(block.from, block.to).map((date): [LocalDate, readonly string[]] => [date, block.names]),
);

/** [date, name] for every make-up working day. */
export const MAKE_UP_DAYS: [LocalDate, string][] = HOLIDAY_BLOCKS.flatMap((block) =>
  block.makeUpDays.map((date): [LocalDate, string] => [date, block.names[0] ?? '']),
);

/**
 * A fictional 2027 schedule in holiday-cn format, for import tests only (the real one is not
 * published yet). 2027-01-01 is a Friday; 2027-02-06 a Saturday, worked here.
 */
export const FICTIONAL_2027 = {
  $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
  $id: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json',
  year: 2027,
  papers: [],
  days: [
    { name: '元旦', date: '2027-01-01', isOffDay: true },
    { name: '元旦', date: '2027-01-02', isOffDay: true },
    { name: '元旦', date: '2027-01-03', isOffDay: true },
    { name: '春节', date: '2027-02-06', isOffDay: false },
    { name: '春节', date: '2027-02-07', isOffDay: true },
    { name: '春节', date: '2027-02-08', isOffDay: true },
    { name: '春节', date: '2027-02-09', isOffDay: true },
    { name: '春节', date: '2027-02-10', isOffDay: true },
    { name: '春节', date: '2027-02-11', isOffDay: true },
    { name: '春节', date: '2027-02-12', isOffDay: true },
    { name: '春节', date: '2027-02-13', isOffDay: true },
  ],
};
