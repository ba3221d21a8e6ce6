import type { EntityManager, EntityTarget, FindOptionsWhere, QueryDeepPartialEntity } from 'typeorm';

/**
 * Moves `row` from status `from` with `changes`, only while it is still in `from` in the database
 * (another member may have acted meanwhile); then `row` shows the changes too. Returns whether
 * this call moved it.
 */
export async function moveFromStatus<T extends { id: number; status: string }>(
  tx: EntityManager,
  entity: EntityTarget<T>,
  row: T,
  from: T['status'],
  changes: Partial<T>,
): Promise<boolean> {
  const updated = await tx
    .getRepository(entity)
    .update({ id: row.id, status: from } as FindOptionsWhere<T>, changes as QueryDeepPartialEntity<T>);
  if ((updated.affected ?? 0) === 0) return false;
  Object.assign(row, changes);
  return true;
}
