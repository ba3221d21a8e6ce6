import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a calendar_day row came from: a whole imported year, or a single-day admin override. */
export type CalendarDaySource = 'import' | 'override';

/**
 * One day that differs from the weekly rule (Monday–Friday work): a holiday, a make-up working day
 * (调休上班) or an admin override.
 *
 * The key is (date, source), not the date alone: re-importing a year replaces that year's `import` rows
 * and must leave an admin's `override` for the same date untouched; when both exist the override wins
 * (see WorkCalendar). The date is a 'YYYY-MM-DD' varchar rather than a DATE column so that MySQL/MariaDB
 * and SQLite store and return exactly the same string, with no driver time-zone conversion.
 */
@Entity({ name: 'calendar_day' })
export class CalendarDay {
  @PrimaryColumn('varchar', { length: 10 })
  date!: string;

  @PrimaryColumn('varchar', { length: 16 })
  source!: CalendarDaySource;

  @Column('boolean', { name: 'is_off_day' })
  isOffDay!: boolean;

  /** Holiday name (春节) or, for an override, the reason shown to users. */
  @Column('varchar', { length: 64 })
  name!: string;

  /** UTC instant, millisecond precision (as the foundation's other instant columns). */
  @Column('datetime', { name: 'updated_at', precision: 3 })
  updatedAt!: Date;
}
