/**
 * A date from a raw query row: MySQL (timezone 'Z') gives a Date, SQLite gives the UTC text
 * 'YYYY-MM-DD HH:MM:SS.SSS' that TypeORM wrote.
 */
export function asDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string')
    return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  if (typeof value === 'number') return new Date(value);
  throw new TypeError(`not a date: ${String(value)}`);
}
