// Reminder rules and open-item sources of the guestbook, filing and domain duties, called directly
// with a fixed `now` (the scheduler that runs them is built elsewhere).
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountFiling } from '../src/entities/account-filing.js';
import { DomainAllocation } from '../src/entities/domain-allocation.js';
import { GuestbookMessage } from '../src/entities/guestbook-message.js';
import { Person } from '../src/entities/person.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { domainOpenItems } from '../src/services/domains/store.js';
import { filingOpenItems, filingReminderRule } from '../src/services/filings/reminders.js';
import { filingDeadlineFields } from '../src/services/filings/store.js';
import { messageRow } from '../src/services/guestbook/store.js';
import { guestbookOpenItems, guestbookReminderRule } from '../src/services/guestbook/reminders.js';
import { openItemSources, reminderRules } from '../src/services/open-items/sources.js';
import { shanghai } from './support/duties.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

const calendar = WorkCalendar.create();
let db: TestDatabase;
let tx: EntityManager;
let shuili: Unit;
let zhangdian: Unit;
const ids: Record<string, number> = {};

async function message(
  name: string,
  unit: Unit,
  site: Website,
  received: string,
  status: 'open' | 'answered',
) {
  const repo = tx.getRepository(GuestbookMessage);
  const row = await repo.save(
    repo.create({
      ...messageRow(calendar, {
        websiteId: site.id,
        topUnitId: unit.id,
        receivedAt: shanghai(received),
        summary: `${name}：页面问题`,
        platformNo: null,
        source: 'chat',
        registeredBy: 'test',
        summaryPii: null,
      }),
      status,
    }),
  );
  ids[name] = row.id;
}

beforeAll(async () => {
  db = await createTestDatabase();
  tx = db.dataSource.manager;
  const units = tx.getRepository(Unit);
  shuili = await units.save(
    units.create({ name: '市水利局', kind: 'department', parentId: null, active: true }),
  );
  zhangdian = await units.save(
    units.create({ name: '张店区', kind: 'district', parentId: null, active: true }),
  );
  const people = tx.getRepository(Person);
  for (const [userid, role, unitId] of [
    ['a1', 'liaison', shuili.id],
    ['a2', 'liaison', shuili.id],
    ['s1', 'supervisor', null],
  ] as const) {
    await people.save(people.create({ userid, name: userid, role, unitId, mobile: null, active: true }));
  }
  const sites = tx.getRepository(Website);
  const slSite = await sites.save(
    sites.create({
      name: '淄博市水利局网站',
      siteCode: '3703000012',
      domain: 'x',
      unitId: shuili.id,
      status: 'active',
    }),
  );
  const zdSite = await sites.save(
    sites.create({
      name: '张店区人民政府网站',
      siteCode: '3703030001',
      domain: 'y',
      unitId: zhangdian.id,
      status: 'active',
    }),
  );
  await message('M1', shuili, slSite, '2026-02-13T17:30', 'open'); // due 2026-02-24
  await message('M2', shuili, slSite, '2026-02-14T11:00', 'open'); // make-up Saturday → due 2026-02-25
  await message('M3', zhangdian, zdSite, '2026-02-13T09:00', 'open'); // no liaison → supervisors
  await message('M4', shuili, slSite, '2026-02-13T08:00', 'answered');

  const filings = tx.getRepository(AccountFiling);
  for (const [name, status] of [
    ['F1', 'submitted'],
    ['F2', 'confirmed'],
  ] as const) {
    const { deadline } = filingDeadlineFields(calendar, '2026-02-12');
    const row = await filings.save(
      filings.create({
        action: 'open',
        platform: 'douyin',
        accountName: `淄博水利${name}`,
        previousName: null,
        mediaAccountId: null,
        unitId: shuili.id,
        topUnitId: shuili.id,
        changeDate: '2026-02-12',
        announcement: null,
        deadline,
        deadlineEstimated: false,
        status,
        submittedBy: 'a1',
        submittedAt: shanghai('2026-02-13T10:00'),
      }),
    );
    ids[name] = row.id;
  }

  const domains = tx.getRepository(DomainAllocation);
  for (const [name, status] of [
    ['D1', 'pending'],
    ['D2', 'active'],
  ] as const) {
    const row = await domains.save(
      domains.create({
        subdomain: name.toLowerCase(),
        reservedKey: `${name.toLowerCase()}.zibo.gov.cn`,
        unitId: zhangdian.id,
        topUnitId: zhangdian.id,
        websiteId: null,
        purpose: '专题网站',
        status,
        requestedBy: 'x',
        requestedAt: shanghai('2026-02-13T10:00'),
      }),
    );
    ids[name] = row.id;
  }
});

afterAll(async () => {
  await db.drop();
});

const due = (rule: typeof guestbookReminderRule, local: string) =>
  rule.due(tx, { calendar, now: shanghai(local) });

describe('guestbook reminders', () => {
  it('is registered with its times', () => {
    expect(reminderRules).toContain(guestbookReminderRule);
    expect(guestbookReminderRule.at).toEqual(['09:00', '15:00']);
  });

  it('on the make-up Saturday before the deadline: the day-before reminder, liaisons or supervisors', async () => {
    const reminders = await due(guestbookReminderRule, '2026-02-14T09:00');
    expect(reminders.map((r) => [r.key, r.to])).toEqual([
      [`remind:guestbook:${ids.M1}:day-before:2026-02-14:0900`, ['a1', 'a2']],
      [`remind:guestbook:${ids.M3}:day-before:2026-02-14:0900`, ['s1']],
    ]);
    const [first, second] = reminders;
    expect(first!.message.type === 'markdown' && first!.message.content).toContain(
      `L${ids.M1} 将于 2026-02-24（周二）24时 到期`,
    );
    expect(second!.message.type === 'markdown' && second!.message.content).toContain('张店区未登记联络员');
  });

  it('files a late run under its slot, and nothing before 09:00 or on a holiday', async () => {
    const afternoon = await due(guestbookReminderRule, '2026-02-14T15:40');
    expect(afternoon.map((r) => r.key)).toContain(`remind:guestbook:${ids.M1}:day-before:2026-02-14:1500`);
    expect(await due(guestbookReminderRule, '2026-02-14T08:59')).toEqual([]);
    expect(await due(guestbookReminderRule, '2026-02-16T09:00')).toEqual([]);
  });

  it('on the deadline day: deadline-day for those due, day-before for the next day’s', async () => {
    const reminders = await due(guestbookReminderRule, '2026-02-24T15:00');
    expect(reminders.map((r) => r.key).sort()).toEqual(
      [
        `remind:guestbook:${ids.M1}:deadline-day:2026-02-24:1500`,
        `remind:guestbook:${ids.M2}:day-before:2026-02-24:1500`,
        `remind:guestbook:${ids.M3}:deadline-day:2026-02-24:1500`,
      ].sort(),
    );
    const m1 = reminders.find((r) => r.key.includes(`:${ids.M1}:`))!;
    expect(m1.message.type === 'markdown' && m1.message.content).toContain('今天24时到期');
  });

  it('is idempotent per message, stage, day and time', async () => {
    const first = await due(guestbookReminderRule, '2026-02-24T09:00');
    const again = await due(guestbookReminderRule, '2026-02-24T09:30');
    expect(again.map((r) => r.key)).toEqual(first.map((r) => r.key));
    expect(new Set(first.map((r) => r.key)).size).toBe(first.length);
  });

  it('leaves overdue messages to the open list', async () => {
    const reminders = await due(guestbookReminderRule, '2026-02-25T09:00');
    expect(reminders.map((r) => r.key)).toEqual([`remind:guestbook:${ids.M2}:deadline-day:2026-02-25:0900`]);
  });
});

describe('filing reminders', () => {
  const filingDue = (local: string, boardUrl?: string) =>
    filingReminderRule.due(tx, { calendar, now: shanghai(local), boardUrl });
  const content = (reminder: { message: { type: string; content?: string } } | undefined) =>
    reminder?.message.type === 'markdown' ? reminder.message.content : '';

  it('reminds supervisors of each unconfirmed filing: the working day before, on the day, and daily when late', async () => {
    expect(reminderRules).toContain(filingReminderRule);
    // Due 2026-02-24 (the Spring Festival holiday is between): the make-up Saturday is the day before.
    const before = await filingDue('2026-02-14T09:00');
    expect(before.map((r) => [r.key, r.to])).toEqual([[`remind:filing:${ids.F1}:before:2026-02-14`, ['s1']]]);
    expect(content(before[0])).toContain(`F${ids.F1} 将于 2026-02-24（周二）24时 到期`);
    expect(await filingDue('2026-02-13T09:00')).toEqual([]);
    expect(await filingDue('2026-02-16T09:00')).toEqual([]);

    const onTheDay = await filingDue('2026-02-24T09:00');
    expect(onTheDay.map((r) => [r.key, r.to])).toEqual([
      [`remind:filing:${ids.F1}:deadline-day:2026-02-24`, ['s1']],
    ]);
    expect(content(onTheDay[0])).toContain('今天24时到期');
    expect(content(onTheDay[0])).toContain(
      `请在全国政务新媒体信息报送系统完成备案后发送：备案确认 F${ids.F1}`,
    );

    const late = await filingDue('2026-02-25T09:00');
    expect(late.map((r) => r.key)).toEqual([`remind:filing:${ids.F1}:overdue:2026-02-25`]);
    expect(content(late[0])).toContain('已逾期1个工作日');
    expect((await filingDue('2026-02-26T09:00')).map((r) => r.key)).toEqual([
      `remind:filing:${ids.F1}:overdue:2026-02-26`,
    ]);
    // The confirmed F2 is never reminded; nothing before 09:00.
    expect(await filingDue('2026-02-26T08:59')).toEqual([]);
  });

  it('ends with a link to the progress board when PUBLIC_BASE_URL is set', async () => {
    const [reminder] = await filingDue('2026-02-24T09:00', 'https://duban.example.gov.cn/board');
    expect(content(reminder)).toContain('[查看进度看板](https://duban.example.gov.cn/board)');
    expect(content((await filingDue('2026-02-24T09:00'))[0])).not.toContain('进度看板');
  });
});

describe('open items', () => {
  const query = (local: string, topUnitIds?: number[]) => ({ now: shanghai(local), calendar, topUnitIds });

  it('registers the three sources', () => {
    expect(openItemSources).toEqual(
      expect.arrayContaining([guestbookOpenItems, filingOpenItems, domainOpenItems]),
    );
  });

  it('lists open messages (overdue ones stay) for the unit, most urgent first', async () => {
    const items = await guestbookOpenItems.list(tx, query('2026-02-26T09:00', [shuili.id]));
    expect(items.map((item) => item.ref)).toEqual([`L${ids.M1}`, `L${ids.M2}`]);
    expect(items[0]).toMatchObject({
      kind: 'guestbook',
      title: '淄博市水利局网站：M1：页面问题',
      topUnitId: shuili.id,
      state: '待办结',
      awaiting: 'unit',
    });
    expect(items[0]!.deadline!.toISOString()).toBe('2026-02-24T16:00:00.000Z');
    const all = await guestbookOpenItems.list(tx, query('2026-02-26T09:00'));
    expect(all.map((item) => item.ref)).toContain(`L${ids.M3}`);
    expect(all.map((item) => item.ref)).not.toContain(`L${ids.M4}`);
    expect(await guestbookOpenItems.list(tx, query('2026-02-26T09:00', []))).toEqual([]);
  });

  it('lists filings and domain requests waiting for supervisors', async () => {
    const filings = await filingOpenItems.list(tx, query('2026-02-24T09:00'));
    expect(filings).toEqual([
      expect.objectContaining({
        ref: `F${ids.F1}`,
        state: '待确认备案',
        awaiting: 'supervisor',
        topUnitId: shuili.id,
      }),
    ]);
    expect(filings[0]!.title).toBe('开设 抖音“淄博水利F1”');
    const domains = await domainOpenItems.list(tx, query('2026-02-24T09:00', [zhangdian.id]));
    expect(domains).toEqual([
      {
        kind: 'domain',
        ref: `D${ids.D1}`,
        title: '申请二级域名 d1.zibo.gov.cn',
        topUnitId: zhangdian.id,
        deadline: null,
        state: '待审批',
        awaiting: 'supervisor',
      },
    ]);
    expect(await domainOpenItems.list(tx, query('2026-02-24T09:00', [shuili.id]))).toEqual([]);
  });
});
