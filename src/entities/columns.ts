// Column helpers: every column names its type explicitly (tsx and vitest emit no decorator
// metadata) and the types are ones both MySQL/MariaDB and SQLite accept.
import { Column, CreateDateColumn, UpdateDateColumn, type ColumnOptions } from 'typeorm';

/** An instant, stored as UTC with millisecond precision. */
export function InstantColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ ...options, type: 'datetime', precision: 3 });
}

// Microsecond precision: TypeORM always writes CURRENT_TIMESTAMP(6) as the default, and MySQL
// wants the column's precision to match it.
export function CreatedAtColumn(): PropertyDecorator {
  return CreateDateColumn({ type: 'datetime', precision: 6 });
}

export function UpdatedAtColumn(): PropertyDecorator {
  return UpdateDateColumn({ type: 'datetime', precision: 6 });
}

/** JSON kept as text (portable; MySQL TEXT holds 64 KB, plenty for chat payloads and states). */
export function JsonColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ ...options, type: 'simple-json' });
}
