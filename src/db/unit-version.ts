// The unit table's version (entities/unit-version.ts): whoever changes units moves it in the same
// transaction, so that a cached unit tree on any instance is read again once the change commits.
import type { EntityManager } from 'typeorm';
import { UnitVersion } from '../entities/unit-version.js';

export async function bumpUnitVersion(manager: EntityManager): Promise<void> {
  const moved = await manager
    .createQueryBuilder()
    .update(UnitVersion)
    .set({ version: () => 'version + 1' })
    .where('id = 1')
    .execute();
  if ((moved.affected ?? 0) === 0) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(UnitVersion)
      .values({ id: 1, version: 1 })
      .orIgnore()
      .execute();
  }
}
