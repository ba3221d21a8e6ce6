// The bench's members: 70 units with 10 liaisons each, plus a supervisor (shared by npm run bench
// and npm run bench:profile, so both load the same bot).
import type { DataSource } from 'typeorm';
import { Person } from '../../src/entities/person.js';
import { Unit } from '../../src/entities/unit.js';

const LIAISONS = 700;

/** 70 units with 10 liaisons each (the bench's 700 members), plus two supervisors. */
export async function seedLiaisons(dataSource: DataSource): Promise<string[]> {
  const units = await dataSource.getRepository(Unit).save(
    Array.from({ length: 70 }, (_, i) => ({
      name: `压测单位${String(i + 1).padStart(3, '0')}`,
      kind: i < 8 ? 'district' : 'department',
      parentId: null,
      active: true,
    })),
  );
  const people = units.flatMap((unit, u) =>
    Array.from({ length: LIAISONS / units.length }, (_, i) => ({
      userid: `bench_l${String(u * 10 + i + 1).padStart(4, '0')}`,
      name: `联络员${u * 10 + i + 1}`,
      unitId: unit.id,
      role: 'liaison' as const,
      mobile: null,
      active: true,
    })),
  );
  await dataSource.getRepository(Person).insert([
    ...people,
    {
      userid: 'bench_s1',
      name: '督办员一',
      unitId: units[0]!.id,
      role: 'supervisor',
      mobile: null,
      active: true,
    },
  ]);
  return people.map((person) => person.userid);
}
