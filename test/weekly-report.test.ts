// 周报 scheduling: Friday 16:00, or the week's last working day when Friday is off (2026 holidays
// and make-up days), run by the scheduler like every other job, sent to supervisors and admins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRun } from '../src/entities/job-run.js';
import { SCHEDULE } from '../src/jobs/schedule.js';
import { Scheduler } from '../src/jobs/scheduler.js';
import { weeklyReportJob } from '../src/jobs/weekly-report.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { mondayOf, weekStart, weeklyReportDay } from '../src/services/progress/weekly-report.js';
import type { LocalDate } from '../src/services/calendar/time.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { PEOPLE, at, seedDirectory, seedScenario } from './support/progress-seed.js';

const calendar = WorkCalendar.create();

describe('the report day', () => {
  it.each<[string, LocalDate, LocalDate | null]>([
    ['an ordinary week: Friday', '2026-03-17', '2026-03-20'],
    ['asked on the Sunday of that week', '2026-03-22', '2026-03-20'],
    ['Friday before Spring Festival (Saturday 02-14 worked too): still Friday', '2026-02-09', '2026-02-13'],
    ['the Spring Festival week: no working day, no report', '2026-02-18', null],
    ['中秋 Friday 09-25 off: Thursday', '2026-09-21', '2026-09-24'],
    ['National Day week (Friday 10-02 off): Wednesday 09-30', '2026-09-28', '2026-09-30'],
    ['Labour Day Friday 05-01 off: Thursday 04-30', '2026-04-27', '2026-04-30'],
    ['New Year Friday 01-02 off, Sunday 01-04 worked: that Sunday', '2025-12-29', '2026-01-04'],
    ['Friday 10-09 after National Day, Saturday 10-10 worked: Friday', '2026-10-05', '2026-10-09'],
  ])('%s', (_label, date, day) => {
    expect(weeklyReportDay(calendar, date)).toBe(day);
  });

  it('the period starts on Monday 00:00 of the week', () => {
    expect(mondayOf('2026-03-22')).toBe('2026-03-16');
    expect(mondayOf('2026-03-16')).toBe('2026-03-16');
    expect(weekStart(at('2026-03-20 16:00'))).toEqual(at('2026-03-16 00:00'));
  });

  it('is in the schedule, daily at 16:00 on working days', () => {
    expect(SCHEDULE).toContain(weeklyReportJob);
    expect(weeklyReportJob).toMatchObject({ cron: '0 16 * * *', workingDaysOnly: true, catchUp: 'same-day' });
  });
});

describe('the weekly-report job', () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ now: '2026-02-13T08:00:00Z' });
    const units = await seedDirectory(bot.database.dataSource, { withPeople: false });
    for (const [userid, name, role, unit] of PEOPLE) await bot.addPerson(userid, { name, role, unit });
    await seedScenario(bot.database.dataSource, calendar, units);
  });

  afterAll(async () => {
    await bot.close();
  });

  const run = (time: string) =>
    bot.database.dataSource
      .getRepository(JobRun)
      .findOneByOrFail({ job: weeklyReportJob.name, fireTime: at(time) });

  async function fire(time: string) {
    bot.clock.set(at(time));
    const outcome = await new Scheduler(bot.runtime.jobDeps, [weeklyReportJob]).fire(
      weeklyReportJob,
      at(time),
    );
    // Scheduled messages go out a few minutes after the fire.
    bot.clock.advance(10 * 60_000);
    await bot.flush();
    return outcome;
  }

  it('on Thursday it sends nothing', async () => {
    expect(await fire('2026-02-12 16:00')).toBe('ran');
    expect((await run('2026-02-12 16:00')).result).toBe('not the report day');
    expect(bot.inbox('sup')).toHaveLength(0);
  });

  it('on Friday every supervisor and admin gets the report, in order, once', async () => {
    expect(await fire('2026-02-13 16:00')).toBe('ran');
    for (const userid of ['sup', 'adm']) {
      const texts = bot.texts(userid);
      expect(texts.length).toBeGreaterThan(0);
      expect(texts[0]).toContain('**督办周报**\u30002026-02-09（周一）至2026-02-13（周五）');
      expect(texts.join('\n')).toContain('> 新下发任务 6 项（2 批）');
    }
    expect(bot.inbox('zd1')).toHaveLength(0);
    expect(await fire('2026-02-13 16:00')).toBe('taken');
    expect(bot.texts('sup').filter((text) => text.includes('**督办周报**'))).toHaveLength(1);
  });

  it('skips a holiday, and goes out on the Thursday before a holiday Friday', async () => {
    expect(await fire('2026-02-20 16:00')).toBe('skipped');
    expect((await run('2026-02-20 16:00')).result).toBe('not a working day');
    const before = bot.inbox('sup').length;
    expect(await fire('2026-09-24 16:00')).toBe('ran');
    expect(bot.texts('sup').slice(before)[0]).toContain(
      '**督办周报**\u30002026-09-21（周一）至2026-09-24（周四）',
    );
  });
});
