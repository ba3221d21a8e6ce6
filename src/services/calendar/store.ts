/**
 * Database side of the calendar: loads imported years and overrides into a WorkCalendar, imports a
 * holiday-cn year and sets overrides. Every function works on the EntityManager it is given, so the
 * caller decides the transaction (an import must replace a year atomically).
 */
import { Between, type EntityManager } from 'typeorm';
import { CalendarDay } from '../../entities/calendar-day.js';
import { CalendarYear } from '../../entities/calendar-year.js';
import { writeAudit } from '../shared/audit.js';
import { WorkCalendar, type DayRule, type ImportedYear } from './calendar.js';
import { parseHolidayCnJson, type HolidayCnYear } from './import.js';
import { parseLocalDate, type LocalDate } from './time.js';

export interface ImportOutcome {
  year: number;
  /** True when the year had been imported before and its rows were replaced. */
  replaced: boolean;
  days: number;
}

function toRule(row: CalendarDay): DayRule {
  return { date: parseLocalDate(row.date), isOffDay: row.isOffDay, name: row.name };
}

function rowsOfYear(year: number) {
  return Between(`${year}-01-01`, `${year}-12-31`);
}

/** The calendar as currently configured: package years, imported years and overrides. */
export async function loadCalendar(manager: EntityManager): Promise<WorkCalendar> {
  const [years, days] = await Promise.all([
    manager.find(CalendarYear, { order: { year: 'ASC' } }),
    manager.find(CalendarDay, { order: { date: 'ASC' } }),
  ]);
  const imported: ImportedYear[] = years.map(({ year }) => ({
    year,
    days: days.filter((d) => d.source === 'import' && d.date.startsWith(`${year}-`)).map(toRule),
  }));
  const overrides = days.filter((d) => d.source === 'override').map(toRule);
  return WorkCalendar.create({ imported, overrides });
}

/**
 * Stores a parsed holiday-cn year, replacing any earlier import of that year. Overrides are left alone.
 * Run it inside a transaction (`dataSource.transaction(m => importCalendarYear(m, …))`).
 */
export async function importCalendarYear(
  manager: EntityManager,
  parsed: HolidayCnYear,
  actor: string,
  now: Date = new Date(),
): Promise<ImportOutcome> {
  const replaced = (await manager.countBy(CalendarYear, { year: parsed.year })) > 0;
  await manager.delete(CalendarDay, { source: 'import', date: rowsOfYear(parsed.year) });
  const rows = parsed.days.map((day) =>
    manager.create(CalendarDay, {
      date: day.date,
      source: 'import',
      isOffDay: day.isOffDay,
      name: day.name,
      updatedAt: now,
    }),
  );
  // Chunked to stay well below SQLite's and MySQL's limits on bound parameters per statement.
  for (let i = 0; i < rows.length; i += 200) await manager.insert(CalendarDay, rows.slice(i, i + 200));
  await manager.save(
    manager.create(CalendarYear, {
      year: parsed.year,
      importedAt: now,
      importedBy: actor.slice(0, 64),
      dayCount: rows.length,
    }),
  );
  await writeAudit(manager, now, {
    actor,
    action: 'calendar.import',
    target: `calendar:${parsed.year}`,
    detail: `${replaced ? '替换' : '导入'} ${parsed.year} 年节假日安排，共 ${rows.length} 天`,
  });
  return { year: parsed.year, replaced, days: rows.length };
}

/**
 * Parses and stores a holiday-cn file in one call (for the CLI and the chat upload). Nothing is written
 * when the file has any problem; run it inside a transaction.
 */
export async function importHolidayCnText(
  manager: EntityManager,
  text: string,
  actor: string,
  now: Date = new Date(),
): Promise<{ ok: true; value: ImportOutcome; parsed: HolidayCnYear } | { ok: false; errors: string[] }> {
  const parsed = parseHolidayCnJson(text);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    value: await importCalendarYear(manager, parsed.value, actor, now),
    parsed: parsed.value,
  };
}

/** Makes one day a day off or a working day whatever the published schedule says. */
export async function setOverride(
  manager: EntityManager,
  day: { date: LocalDate; isOffDay: boolean; name: string },
  now: Date = new Date(),
): Promise<void> {
  const date = parseLocalDate(day.date);
  const name = day.name.trim();
  if (name === '') throw new RangeError('请填写调整原因（例如：防汛值班、临时停电）');
  if (name.length > 64) throw new RangeError('调整原因不能超过 64 个字');
  await manager.save(
    manager.create(CalendarDay, { date, source: 'override', isOffDay: day.isOffDay, name, updatedAt: now }),
  );
}

/** Removes an override; the day falls back to the published or imported schedule. Returns whether one existed. */
export async function removeOverride(manager: EntityManager, date: LocalDate): Promise<boolean> {
  const result = await manager.delete(CalendarDay, { date: parseLocalDate(date), source: 'override' });
  return (result.affected ?? 0) > 0;
}
