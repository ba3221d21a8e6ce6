// Scheduled jobs with a fixed clock: working days (holidays, 调休 Saturdays), once across
// instances, catch-up after downtime, digests, escalation, the calendar warning, housekeeping.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markdown } from '../src/messages/outbound.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { JobRun } from '../src/entities/job-run.js';
import { Lease } from '../src/entities/lease.js';
import { Unit } from '../src/entities/unit.js';
import { UnitSupervisor } from '../src/entities/unit-supervisor.js';
import { calendarCoverage } from '../src/jobs/calendar-coverage.js';
import { escalation } from '../src/jobs/escalation.js';
import { housekeeping } from '../src/jobs/housekeeping.js';
import { morningDigest } from '../src/jobs/morning-digest.js';
import { reminders } from '../src/jobs/reminders.js';
import { Scheduler } from '../src/jobs/scheduler.js';
import { weeklyReportJob } from '../src/jobs/weekly-report.js';
import type { Job, JobDeps } from '../src/jobs/types.js';
import { CalendarProvider } from '../src/services/calendar/provider.js';
import { importHolidayCnText } from '../src/services/calendar/store.js';
import { openItemSources, reminderRules } from '../src/services/open-items/sources.js';
import type { OpenItem, OpenItemSource } from '../src/services/open-items/items.js';
import type { ReminderRule } from '../src/services/open-items/reminders.js';
import { parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
let items: OpenItem[] = [];
const source: OpenItemSource = { kind: 'task', list: async () => items };
const rule: ReminderRule = {
  name: 'test-rule',
  at: ['09:00', '15:00'],
  due: async (_tx, { now }) => [
    {
      key: `remind:test:${now.toISOString().slice(0, 13)}`,
      to: ['liaison-a'],
      message: markdown('提醒'),
      source: 'reminder',
    },
  ],
};

const at = (text: string) => parseShanghaiDateTime(text);

function deps(b: TestBot = bot): JobDeps {
  return b.runtime.jobDeps;
}

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  const districtA = await bot.addUnit('甲区', 'district');
  const districtB = await bot.addUnit('乙区', 'district');
  await bot.addUnit('甲区司法局', 'department', '甲区');
  await bot.addPerson('liaison-a', { name: '甲联络员', unit: '甲区' });
  await bot.addPerson('liaison-a2', { name: '甲司法局联络员', unit: '甲区司法局' });
  await bot.addPerson('liaison-b', { name: '乙联络员', unit: '乙区' });
  await bot.addPerson('liaison-c', { name: '丙联络员', unit: '丙县' });
  await bot.addPerson('sup1', { name: '督办甲', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('sup2', { name: '督办乙', role: 'supervisor', unit: '市大数据局' });
  openItemSources.push(source);
  reminderRules.push(rule);
  items = [
    {
      kind: 'task',
      ref: 'T1',
      title: '转载整改',
      topUnitId: districtA.id,
      deadline: at('2026-03-19 00:00'),
      state: '待办',
      awaiting: 'unit',
    },
    {
      kind: 'task',
      ref: 'T2',
      title: '信息泄露整改',
      topUnitId: districtA.id,
      deadline: at('2026-03-25 00:00'),
      state: '待办',
      awaiting: 'unit',
    },
    {
      kind: 'task',
      ref: 'T3',
      title: '留言办理',
      topUnitId: districtA.id,
      deadline: at('2026-03-21 00:00'),
      state: '已退回',
      awaiting: 'unit',
    },
    {
      kind: 'task',
      ref: 'T4',
      title: '等待审核',
      topUnitId: districtB.id,
      deadline: at('2026-03-10 00:00'),
      state: '已提交',
      awaiting: 'supervisor',
    },
  ];
});

afterAll(async () => {
  openItemSources.splice(openItemSources.indexOf(source), 1);
  reminderRules.splice(reminderRules.indexOf(rule), 1);
  await bot.close();
});

afterEach(async () => {
  await bot.flush();
});

async function deliverAll(b: TestBot = bot): Promise<void> {
  // Scheduled sends are spread over a few minutes after the fire.
  b.clock.advance(6 * 60_000);
  await b.flush();
}

describe('working days', () => {
  it.each([
    ['a holiday (国庆节 2026-10-01)', '2026-10-01 09:00', 'skipped'],
    ['the first working day after it (2026-10-08)', '2026-10-08 09:00', 'ran'],
    ['a make-up Saturday (2026-10-10)', '2026-10-10 09:00', 'ran'],
    ['an ordinary Sunday (2026-10-11)', '2026-10-11 09:00', 'skipped'],
    ['春节 2026-02-16 (Monday)', '2026-02-16 09:00', 'skipped'],
    ['a make-up Saturday (2026-02-14)', '2026-02-14 09:00', 'ran'],
  ])('morning digest on %s: %s', async (_name, time, outcome) => {
    const counting: Job = { ...morningDigest, name: `count-${time}`, run: async () => 'ok' };
    bot.clock.set(at(time));
    expect(await new Scheduler(deps(), [counting]).fire(counting, at(time))).toBe(outcome);
  });
});

describe('once across instances', () => {
  it('two instances firing the same minute run the job once', async () => {
    const second = await bot.database.reopen();
    let runs = 0;
    const job: Job = {
      name: 'counted',
      cron: '0 9 * * *',
      run: async () => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    };
    const a = new Scheduler(deps(), [job], 'instance-a');
    const b = new Scheduler({ ...deps(), dataSource: second }, [job], 'instance-b');
    const fire = at('2026-03-23 09:00');
    const outcomes = await Promise.all([a.fire(job, fire), b.fire(job, fire)]);
    expect(outcomes.sort()).toEqual(['ran', 'taken']);
    expect(runs).toBe(1);
    const rows = await bot.database.dataSource.getRepository(JobRun).findBy({ job: 'counted' });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('done');
  });
});

describe('once across instances, with the real jobs', () => {
  it('two instances firing the digest, reminders and escalation in the same minutes send one set of messages', async () => {
    const second = await bot.database.reopen();
    const a = new Scheduler(deps(), [morningDigest, reminders, escalation], 'instance-a');
    const b = new Scheduler(
      { ...deps(), dataSource: second },
      [morningDigest, reminders, escalation],
      'instance-b',
    );
    const before = { a: bot.texts('liaison-a').length, s1: bot.texts('sup1').length };
    for (const [job, time] of [
      [morningDigest, '2026-03-24 09:00'],
      [reminders, '2026-03-24 09:00'],
      [escalation, '2026-03-24 10:00'],
      [reminders, '2026-03-24 15:00'],
    ] as const) {
      bot.clock.set(at(time));
      const outcomes = await Promise.all([a.fire(job, at(time)), b.fire(job, at(time))]);
      expect(outcomes.sort()).toEqual(['ran', 'taken']);
    }
    await deliverAll();
    const liaison = bot.texts('liaison-a').slice(before.a);
    // One digest and the two slots' reminders, nothing twice.
    expect(liaison.filter((t) => t.includes('T1'))).toHaveLength(1);
    expect(liaison.filter((t) => t === '提醒')).toHaveLength(2);
    expect(liaison).toHaveLength(3);
    expect(
      bot
        .texts('sup1')
        .slice(before.s1)
        .filter((t) => t.includes('督办日报')),
    ).toHaveLength(1);
    await second.destroy();
  });
});

describe('a holiday week (国庆 2026) and its make-up Saturday, every scheduled job', () => {
  // 09-30 is a working day, 10-01…10-07 the holiday (10-03/10-04 its weekend), 10-10 a make-up
  // Saturday, 10-11 an ordinary Sunday. broadcasts (every minute; each broadcast's own working-day
  // flag, see broadcasts.e2e) and the every-instance sweeps are left out.
  const days = [
    '2026-09-30',
    '2026-10-01',
    '2026-10-04',
    '2026-10-08',
    '2026-10-09',
    '2026-10-10',
    '2026-10-11',
  ];
  const working = new Set(['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']);
  const jobs = [morningDigest, reminders, escalation, calendarCoverage, weeklyReportJob, housekeeping];

  it('runs each job on working days (and the always-jobs every day), sending what that day needs', async () => {
    const scheduler = new Scheduler(deps(), jobs);
    const outcomes: string[] = [];
    const digests: string[] = [];
    const reports: string[] = [];
    for (const day of days) {
      const before = { a: bot.texts('liaison-a').length, s1: bot.texts('sup1').length };
      for (const job of jobs) {
        const fires = await scheduler.missedFires(job, at(`${day} 00:00`), at(`${day} 23:59`));
        for (const fire of fires) {
          bot.clock.set(fire);
          outcomes.push(`${day} ${job.name} ${await scheduler.fire(job, fire)}`);
        }
      }
      bot.clock.set(at(`${day} 23:00`)); // the jobs above fired out of order (housekeeping at 03:30)
      await deliverAll();
      if (
        bot
          .texts('liaison-a')
          .slice(before.a)
          .some((t) => t.includes('T1'))
      )
        digests.push(day);
      if (
        bot
          .texts('sup1')
          .slice(before.s1)
          .some((t) => t.includes('督办周报'))
      )
        reports.push(day);
    }
    const expected = days.flatMap((day) => {
      const gated = working.has(day) ? 'ran' : 'skipped';
      return [
        `${day} morning-digest ${gated}`,
        `${day} reminders ${gated}`,
        `${day} reminders ${gated}`,
        `${day} escalation ${gated}`,
        `${day} calendar-coverage ran`,
        `${day} weekly-report ${gated}`,
        `${day} housekeeping ran`,
      ];
    });
    expect(outcomes.sort()).toEqual(expected.sort());
    expect(digests).toEqual([...working]);
    // The week's report goes out on Friday when it is a working day (10-09, though a make-up
    // Saturday follows), otherwise on the week's last working day (09-30, before the holiday).
    expect(reports).toEqual(['2026-09-30', '2026-10-09']);
  });
});

describe('catch-up after downtime', () => {
  it('catches up nothing on a new installation', async () => {
    let runs = 0;
    const job: Job = { name: 'cu-new', cron: '0 9 * * *', catchUp: 'same-day', run: async () => void runs++ };
    bot.clock.set(at('2026-03-23 11:30'));
    expect(await new Scheduler(deps(), [job]).catchUp()).toEqual([]);
    expect(runs).toBe(0);
    // From now on the schedule has been running: later downtime is caught up.
    await bot.database.dataSource
      .getRepository(Lease)
      .update({ name: 'scheduler-first-start' }, { until: at('2026-03-01 00:00') });
  });

  it('after a 3-hour outage runs today’s missed fires once and skips earlier days', async () => {
    const ran: string[] = [];
    const job = (name: string, cron: string, catchUp: Job['catchUp']): Job => ({
      name,
      cron,
      catchUp,
      run: async (_d, _now, fire) => {
        ran.push(`${name}@${fire.fireTime.toISOString()}`);
      },
    });
    const jobs = [
      job('cu-digest', '0 9 * * *', 'same-day'),
      job('cu-reminders', '0 9,15 * * *', 'same-day'),
      job('cu-night', '30 3 * * *', 'window'),
    ];
    // Down from 08:30 to 11:30 on Monday 2026-03-23; yesterday's fires were handled.
    const scheduler = new Scheduler(deps(), jobs);
    bot.clock.set(at('2026-03-23 08:29'));
    for (const j of jobs)
      for (const fire of await scheduler.missedFires(j, at('2026-03-22 08:29'), at('2026-03-23 08:29')))
        await scheduler.fire(j, fire);
    ran.length = 0;
    bot.clock.set(at('2026-03-23 11:30'));
    const results = await scheduler.catchUp();
    expect(ran.sort()).toEqual([
      `cu-digest@${at('2026-03-23 09:00').toISOString()}`,
      `cu-reminders@${at('2026-03-23 09:00').toISOString()}`,
    ]);
    expect(results.filter((r) => r.outcome === 'ran')).toHaveLength(2);
    // A second start catches up nothing more.
    expect((await scheduler.catchUp()).filter((r) => r.outcome === 'ran')).toHaveLength(0);
  });

  it('skips a missed digest of an earlier day', async () => {
    let runs = 0;
    const job: Job = { name: 'cu-old', cron: '0 9 * * *', catchUp: 'same-day', run: async () => void runs++ };
    const scheduler = new Scheduler(deps(), [job]);
    bot.clock.set(at('2026-03-24 08:00'));
    const results = await scheduler.catchUp();
    expect(results).toEqual([{ job: 'cu-old', fireTime: at('2026-03-23 09:00'), outcome: 'skipped' }]);
    expect(runs).toBe(0);
  });
});

describe('morning digest', () => {
  it('sends each liaison with open items one message by urgency, nobody else', async () => {
    bot.clock.set(at('2026-03-20 09:00'));
    const before = {
      a: bot.texts('liaison-a').length,
      a2: bot.texts('liaison-a2').length,
      b: bot.texts('liaison-b').length,
      c: bot.texts('liaison-c').length,
    };
    expect(await new Scheduler(deps(), [morningDigest]).fire(morningDigest, at('2026-03-20 09:00'))).toBe(
      'ran',
    );
    await deliverAll();
    const digest = bot.texts('liaison-a').slice(before.a);
    expect(digest).toHaveLength(1);
    const text = digest[0]!;
    // Overdue T1 first, then T3 (due the next working day), then T2.
    expect(text.indexOf('T1')).toBeLessThan(text.indexOf('T3'));
    expect(text.indexOf('T3')).toBeLessThan(text.indexOf('T2'));
    expect(text).toContain('已逾期2个工作日');
    expect(text).toContain('今天24时截止');
    // The sub-unit's liaison gets the district's digest too.
    expect(bot.texts('liaison-a2').slice(before.a2)).toEqual(digest);
    // T4 waits for the supervisors: no digest for 乙区; nothing for a unit with nothing open.
    expect(bot.texts('liaison-b').length).toBe(before.b);
    expect(bot.texts('liaison-c').length).toBe(before.c);
  });

  it('spreads the sends after the fire instead of sending at 09:00:00', async () => {
    bot.clock.set(at('2026-03-23 09:00'));
    const before = bot.texts('liaison-a').length;
    await new Scheduler(deps(), [morningDigest]).fire(morningDigest, at('2026-03-23 09:00'));
    await bot.flush();
    expect(bot.texts('liaison-a').length).toBe(before);
    await deliverAll();
    expect(bot.texts('liaison-a').length).toBe(before + 1);
  });
});

describe('reminders', () => {
  it('asks the rules registered for the slot and enqueues once per key', async () => {
    bot.clock.set(at('2026-03-20 15:00'));
    const before = bot.texts('liaison-a').length;
    const scheduler = new Scheduler(deps(), [reminders]);
    await scheduler.fire(reminders, at('2026-03-20 15:00'));
    await reminders.run(deps(), bot.clock.now(), { fireTime: at('2026-03-20 15:00'), catchUp: false });
    await deliverAll();
    expect(bot.texts('liaison-a').slice(before)).toEqual(['提醒']);
  });
});

describe('escalation', () => {
  it('sends supervisors the red and yellow list and escalates items two or more working days late', async () => {
    items.push({
      kind: 'task',
      ref: 'T9',
      title: '长期未整改',
      topUnitId: (await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: '乙区' })).id,
      deadline: at('2026-03-17 00:00'),
      state: '待办',
      awaiting: 'unit',
    });
    bot.clock.set(at('2026-03-20 10:00'));
    const before = { s1: bot.texts('sup1').length, s2: bot.texts('sup2').length };
    await new Scheduler(deps(), [escalation]).fire(escalation, at('2026-03-20 10:00'));
    await deliverAll();
    const s1 = bot.texts('sup1').slice(before.s1);
    const [digest, ...escalated] = s1;
    expect(digest).toContain('督办日报');
    // T1 (2 days late) and T9 (4 days late) are red; T3 is due today (yellow); T4 waits for review.
    expect(digest).toContain('逾期 2 项，临期 1 项');
    expect(digest).toContain('另有 1 项已提交');
    // One escalation message a day, listing both late units (T1 of 甲区, T9 of 乙区).
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toContain('升级督办');
    expect(escalated[0]).toContain('2 个单位，2 项');
    expect(escalated[0]).toContain('**T1**');
    expect(escalated[0]).toContain('**T9**');
    expect(bot.texts('sup2').slice(before.s2)).toHaveLength(2);
    items.pop();
  });

  it('escalates to the unit’s assigned supervisor only, when one is assigned', async () => {
    const unit = await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: '乙区' });
    await bot.database.dataSource.getRepository(UnitSupervisor).insert({ unitId: unit.id, userid: 'sup2' });
    items.push({
      kind: 'task',
      ref: 'T10',
      title: '仍未整改',
      topUnitId: unit.id,
      deadline: at('2026-03-17 00:00'),
      state: '待办',
      awaiting: 'unit',
    });
    bot.clock.set(at('2026-03-23 10:00'));
    const before = { s1: bot.texts('sup1').length, s2: bot.texts('sup2').length };
    await new Scheduler(deps(), [escalation]).fire(escalation, at('2026-03-23 10:00'));
    await deliverAll();
    expect(
      bot
        .texts('sup1')
        .slice(before.s1)
        .some((t) => t.includes('升级督办') && t.includes('T10')),
    ).toBe(false);
    expect(
      bot
        .texts('sup2')
        .slice(before.s2)
        .some((t) => t.includes('升级督办') && t.includes('T10')),
    ).toBe(true);
    items.pop();
  });
});

describe('calendar coverage warning', () => {
  it.each([
    ['before 1 November', '2026-10-30 09:00', false],
    ['on a working day in November', '2026-11-02 09:00', true],
    ['on a Sunday in November', '2026-11-08 09:00', false],
  ])('%s', async (_name, time, warned) => {
    bot.clock.set(at(time));
    const before = bot.texts('sup1').length;
    await calendarCoverage.run(deps(), bot.clock.now(), { fireTime: at(time), catchUp: false });
    await deliverAll();
    const got = bot.texts('sup1').slice(before);
    expect(got.length).toBe(warned ? 1 : 0);
    if (warned) expect(got[0]).toContain('2027 年节假日安排尚未导入');
  });

  it('stops once next year is imported', async () => {
    const scratch = await startTestBot({ now: '2026-11-02T01:00:00Z' });
    await scratch.addPerson('sup', { role: 'supervisor', unit: '市大数据局' });
    const text = JSON.stringify({ year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] });
    await scratch.database.dataSource.transaction((tx) =>
      importHolidayCnText(tx, text, 'admin', scratch.clock.now()),
    );
    const jobDeps = {
      ...scratch.runtime.jobDeps,
      calendar: new CalendarProvider(scratch.database.dataSource, scratch.clock),
    };
    await calendarCoverage.run(jobDeps, scratch.clock.now(), {
      fireTime: scratch.clock.now(),
      catchUp: false,
    });
    await deliverAll(scratch);
    expect(scratch.texts('sup')).toEqual([]);
    await scratch.close();
  });
});

describe('housekeeping', () => {
  it('removes expired conversations and old job runs', async () => {
    const repo = bot.database.dataSource.getRepository(ConversationState);
    await repo.save({
      userid: 'old',
      flow: 'x',
      step: 'y',
      data: {},
      version: 1,
      expiresAt: at('2026-01-01 00:00'),
    });
    bot.clock.set(at('2027-06-01 03:30'));
    const summary = await housekeeping.run(deps(), bot.clock.now(), {
      fireTime: bot.clock.now(),
      catchUp: false,
    });
    expect(summary).toMatch(/conversations 1/);
    expect(await repo.findOneBy({ userid: 'old' })).toBeNull();
    expect(await bot.database.dataSource.getRepository(JobRun).count()).toBe(0);
  });
});
