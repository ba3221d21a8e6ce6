// Entities read with one plain SELECT, for reads on the callback's hot path. `find()` builds its
// query anew on every call (aliases, property-name replacement over the whole text) and hydrates
// through its generic join-aware transformer: for `我的任务` with nothing open that was about a tenth
// of the bot's busy time (npm run bench:profile). Here the column list is built once per entity and
// every value goes through the driver's own conversion (prepareHydratedValue, the same find() uses:
// dates, booleans, JSON, transformers), so the rows are what find() would have returned.
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata.js';

interface Reader {
  /** `SELECT <every column> FROM <table>` (identifiers quoted for the driver). */
  select: string;
  metadata: EntityMetadata;
}

const readers = new WeakMap<EntityMetadata, Reader>();

function readerOf(tx: EntityManager, target: EntityTarget<ObjectLiteral>): Reader {
  const metadata = tx.connection.getMetadata(target);
  let reader = readers.get(metadata);
  if (!reader) {
    const driver = tx.connection.driver;
    const columns = metadata.columns
      .filter((column) => !column.isVirtualProperty)
      .map((column) => driver.escape(column.databaseName));
    reader = { select: `SELECT ${columns.join(', ')} FROM ${driver.escape(metadata.tableName)}`, metadata };
    readers.set(metadata, reader);
  }
  return reader;
}

/**
 * The rows of `target` that `rest` selects (`WHERE … ORDER BY …`, database column names, `?`
 * parameters), as entities.
 */
export async function selectEntities<T extends ObjectLiteral>(
  tx: EntityManager,
  target: EntityTarget<T>,
  rest: string,
  params: unknown[],
): Promise<T[]> {
  const { select, metadata } = readerOf(tx, target);
  const rows = await tx.query<Record<string, unknown>[]>(`${select} ${rest}`, params);
  const driver = tx.connection.driver;
  return rows.map((row) => {
    const entity = metadata.create() as T;
    for (const column of metadata.columns) {
      if (column.isVirtualProperty) continue;
      const value = row[column.databaseName];
      if (value !== undefined) column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
  });
}

/** `?, ?, ?` for a list of values (never empty: callers return early on an empty list). */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
