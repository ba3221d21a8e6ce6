// A large directory for the board: `count` top-level units and four batches, every unit's task in a
// state that follows from its index, so the expected colours are known without reading the rows.
// For 2026-02-14 10:00 (the make-up Saturday of test/support/progress-seed.ts):
//   batch 1, due 02-13 24:00: every 8th unit still pending (red), the rest done;
//   batch 2, due 02-14 18:00: every 5th unit pending (yellow), the rest submitted;
//   batch 3, due 03-10 24:00: all pending (green);
//   batch 4, due 03-10 24:00: every 3rd unit only (the others have no task: grey).
import { In, type DataSource } from 'typeorm';
import { Task, type TaskStatus } from '../../src/entities/task.js';
import { Unit, type UnitKind } from '../../src/entities/unit.js';
import { createTasks } from '../../src/services/tasks/store.js';
import { endOfShanghaiDay } from '../../src/services/calendar/time.js';
import { at } from './progress-seed.js';

const KINDS: UnitKind[] = ['district', 'zone', 'department', 'other'];
const noAudit = async () => undefined;

export const isRedUnit = (index: number) => index % 8 === 0;
export const isYellowUnit = (index: number) => index % 5 === 0;

export async function seedLargeDirectory(dataSource: DataSource, count: number): Promise<number[]> {
  const units = dataSource.getRepository(Unit);
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, i) => {
      const index = start + i;
      return units.create({
        name: `测试单位${String(index).padStart(4, '0')}`,
        kind: KINDS[index % KINDS.length]!,
        parentId: null,
        active: true,
      });
    });
    const saved = await units.save(rows, { chunk: 250 });
    ids.push(...saved.map((unit) => unit.id));
  }
  await dataSource.transaction(async (tx) => {
    const batch = async (title: string, deadline: Date, unitIds: number[]) =>
      createTasks(
        tx,
        {
          kind: 'rectification',
          title,
          detail: title,
          unitIds,
          deadline,
          deadlineEstimated: false,
          noticeId: null,
        },
        'sup',
        at('2026-02-02 09:00'),
        noAudit,
      );
    const setStatus = async (tasks: Task[], keep: (index: number) => boolean, status: TaskStatus) => {
      const chosen = tasks.filter((_, index) => !keep(index)).map((task) => task.id);
      for (let i = 0; i < chosen.length; i += 500) {
        await tx.getRepository(Task).update(
          { id: In(chosen.slice(i, i + 500)) },
          {
            status,
            submittedAt: at('2026-02-10 09:00'),
            doneAt: status === 'done' ? at('2026-02-11 09:00') : null,
          },
        );
      }
    };
    await setStatus(await batch('首页信息更新整改', endOfShanghaiDay('2026-02-13'), ids), isRedUnit, 'done');
    await setStatus(await batch('信息公开自查', at('2026-02-14 18:00'), ids), isYellowUnit, 'submitted');
    await batch('第一季度落实情况报送', endOfShanghaiDay('2026-03-10'), ids);
    await batch(
      '政务新媒体整改',
      endOfShanghaiDay('2026-03-10'),
      ids.filter((_, index) => index % 3 === 0),
    );
  });
  return ids;
}
