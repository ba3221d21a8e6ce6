import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A year whose complete holiday schedule was imported (holiday-cn JSON). Its presence makes the year
 * "covered" by the calendar even when the chinese-days package does not publish it; its day rows are
 * the calendar_day rows with source 'import' in that year.
 */
@Entity({ name: 'calendar_year' })
export class CalendarYear {
  @PrimaryColumn('int')
  year!: number;

  /** UTC instant, millisecond precision (as the foundation's other instant columns). */
  @Column('datetime', { name: 'imported_at', precision: 3 })
  importedAt!: Date;

  /** Who imported it: a WeCom user id, or `cli:<os user>` for the command line. */
  @Column('varchar', { name: 'imported_by', length: 64 })
  importedBy!: string;

  @Column('int', { name: 'day_count' })
  dayCount!: number;
}
