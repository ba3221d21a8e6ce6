// Benchmark sections 3 and 4: `进度` on 1,000 units and 100,000 tasks, asked through encrypted
// callbacks to the running bot, and the morning digest planned over 100,000 open items.
import type { DataSource } from 'typeorm';
import type { WeComCredentials } from '../src/config.js';
import { Person } from '../src/entities/person.js';
import { Task } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { planMorningDigest } from '../src/jobs/morning-digest.js';
import { loadCalendar } from '../src/services/calendar/store.js';
import { parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { WeComCallbackClient } from '../src/sandbox/callback-client.js';
import type { Child } from './lib/processes.js';

const UNITS = 1000;
const TASKS_PER_UNIT = 100;
const BATCHES = 20;

export interface StatusScenario {
  units: number;
  tasks: number;
  supervisor: string;
  planDigest(dataSource: DataSource): Promise<Record<string, number>>;
}

/**
 * 1,000 top-level units (30 districts and zones, 970 departments), one liaison each, and 100 open
 * tasks per unit in 20 batches, with deadlines from two weeks ago to four weeks ahead.
 */
export async function seedStatusScenario(dataSource: DataSource): Promise<StatusScenario> {
  const units = await dataSource.getRepository(Unit).save(
    Array.from({ length: UNITS }, (_, i) => ({
      name: `规模单位${String(i + 1).padStart(4, '0')}`,
      kind: i < 22 ? 'district' : i < 30 ? 'zone' : 'department',
      parentId: null,
      active: true,
    })),
    { chunk: 500 },
  );
  await dataSource.getRepository(Person).insert([
    ...units.map((unit, i) => ({
      userid: `scale_l${String(i + 1).padStart(4, '0')}`,
      name: `规模联络员${i + 1}`,
      unitId: unit.id,
      role: 'liaison' as const,
      mobile: null,
      active: true,
    })),
    {
      userid: 'scale_s1',
      name: '规模督办员',
      unitId: units[0]!.id,
      role: 'supervisor',
      mobile: null,
      active: true,
    },
  ]);
  const base = parseShanghaiDateTime('2026-11-27 00:00').getTime();
  const rows: Partial<Task>[] = [];
  for (const [u, unit] of units.entries()) {
    for (let t = 0; t < TASKS_PER_UNIT; t++) {
      const batch = t % BATCHES;
      rows.push({
        kind: batch % 3 === 0 ? 'report' : 'rectification',
        title: `第${batch + 1}批整改任务：网站与新媒体问题整改`,
        detail: '请按通报要求完成整改并报送整改情况。',
        unitId: unit.id,
        noticeId: null,
        deadline: new Date(base + (batch * 3 + (u % 7) - 14) * 86_400_000),
        deadlineEstimated: false,
        status: (u + t) % 5 === 0 ? 'submitted' : 'pending',
        createdBy: 'scale_s1',
        assignedAt: new Date(base - (30 - batch) * 86_400_000),
        submittedAt: (u + t) % 5 === 0 ? new Date(base - 86_400_000) : null,
        doneAt: null,
        returnReason: null,
        returnedAt: null,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 2000) {
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(Task)
      .values(rows.slice(i, i + 2000))
      .execute();
  }
  // As createTasks records it: a batch is identified by its first task's id.
  await dataSource.query(
    'UPDATE task t JOIN (SELECT title, MIN(id) AS first FROM task GROUP BY title) b ON b.title = t.title SET t.batch = b.first',
  );
  return {
    units: UNITS,
    tasks: rows.length,
    supervisor: 'scale_s1',
    async planDigest(ds: DataSource) {
      const calendar = await loadCalendar(ds.manager);
      const now = parseShanghaiDateTime('2026-11-27 09:00');
      const started = performance.now();
      const messages = await planMorningDigest(ds.manager, calendar, now);
      const seconds = (performance.now() - started) / 1000;
      return { openItems: rows.length, messages: messages.length, seconds: Math.round(seconds * 100) / 100 };
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Times `进度` end to end (callback in, handler, reply enqueued, HTTP answer) on the running bot. */
export async function benchStatus(
  bot: Child,
  credentials: WeComCredentials,
  scenario: StatusScenario,
  runs = 25,
): Promise<Record<string, number>> {
  const client = new WeComCallbackClient({ ...credentials, url: `${bot.url}/wecom/callback` });
  await client.sendText(scenario.supervisor, '进度'); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await client.sendText(scenario.supervisor, '进度');
    if (result.status !== 200) throw new Error(`进度 answered HTTP ${result.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    units: scenario.units,
    tasks: scenario.tasks,
    runs,
    medianMs: Math.round(percentile(times, 50)),
    p95Ms: Math.round(percentile(times, 95)),
  };
}
