// Entities read with a plain SELECT (src/db/rows.ts) are exactly what TypeORM's find() returns:
// dates (with milliseconds, null), booleans, nullable numbers, text with quotes and `?` in it;
// on the database the suite runs against (MariaDB in CI, the embedded SQLite otherwise).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { In } from 'typeorm';
import { selectEntities } from '../src/db/rows.js';
import { Task } from '../src/entities/task.js';
import { openTasks } from '../src/services/tasks/store.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  const base = {
    kind: 'rectification' as const,
    detail: '整改要求',
    batch: 0,
    createdBy: 'duban1',
    assignedAt: new Date('2026-12-01T01:02:03.456Z'),
  };
  await db.dataSource.getRepository(Task).save([
    {
      ...base,
      title: "引号' 与 ? 问号",
      unitId: 1,
      status: 'pending',
      deadline: new Date('2026-12-09T10:00:00.123Z'),
    },
    {
      ...base,
      title: '已提交',
      unitId: 1,
      status: 'submitted',
      deadline: new Date('2026-12-08T10:00:00.000Z'),
      deadlineEstimated: true,
      deadlineWorkingDays: 5,
      deadlineCountedFrom: new Date('2026-12-01T01:02:03.456Z'),
      submittedAt: new Date('2026-12-05T08:00:00.999Z'),
      returnReason: '材料不全',
      returnedAt: new Date('2026-12-04T08:00:00.000Z'),
    },
    {
      ...base,
      title: '另一单位',
      unitId: 2,
      status: 'pending',
      deadline: new Date('2026-12-08T10:00:00.000Z'),
    },
    { ...base, title: '已办结', unitId: 1, status: 'done', deadline: new Date('2026-12-07T10:00:00.000Z') },
  ]);
});
afterAll(() => db.drop());

describe('entities read with a plain SELECT', () => {
  it('equal what find() returns, field by field and in the same order', async () => {
    const tx = db.dataSource.manager;
    const viaFind = await tx.getRepository(Task).find({
      where: { status: In(['pending', 'submitted']), unitId: In([1]) },
      order: { deadline: 'ASC', id: 'ASC' },
    });
    const plain = await openTasks(tx, [1]);
    expect(plain.map((t) => t.title)).toEqual(['已提交', "引号' 与 ? 问号"]);
    expect(plain).toEqual(viaFind);
    expect(plain[0]).toBeInstanceOf(Task);
    expect(plain[0]!.deadlineEstimated).toBe(true);
    expect(plain[1]!.deadlineCountedFrom).toBeNull();
  });

  it('read every unit when none is named, and nothing for an empty list', async () => {
    const tx = db.dataSource.manager;
    expect((await openTasks(tx)).map((t) => t.unitId).sort()).toEqual([1, 1, 2]);
    expect(await openTasks(tx, [])).toEqual([]);
    expect(await selectEntities(tx, Task, 'WHERE title = ?', ["引号' 与 ? 问号"])).toHaveLength(1);
  });
});
