// Case-call reminders, open items and openCaseCall against a real database, with fixed `now`
// across the 2026 National Day holiday (10-01..10-07 off; the deadline is Friday 10-09).
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { CaseCall } from '../src/entities/case-call.js';
import { Person, type Role } from '../src/entities/person.js';
import { TypicalCase, type CaseStatus } from '../src/entities/typical-case.js';
import { Unit, type UnitKind } from '../src/entities/unit.js';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { caseCallOpenItems, caseQuotaReminders } from '../src/services/cases/reminders.js';
import { createCase, openCaseCall } from '../src/services/cases/store.js';
import { openItemSources, reminderRules } from '../src/services/open-items/sources.js';
import { endOfShanghaiDay, parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

let db: TestDatabase;
let tx: EntityManager;
const calendar = WorkCalendar.create();
const at = parseShanghaiDateTime;
const unit: Record<string, Unit> = {};
let callId: number;

async function addUnit(name: string, kind: UnitKind, parent?: Unit): Promise<Unit> {
  const repo = tx.getRepository(Unit);
  return repo.save(repo.create({ name, kind, parentId: parent?.id ?? null, active: true }));
}

async function addPerson(userid: string, role: Role, home: Unit): Promise<void> {
  const repo = tx.getRepository(Person);
  await repo.save(repo.create({ userid, name: userid, role, unitId: home.id, mobile: null, active: true }));
}

async function addCase(topUnit: Unit, by: string, status: CaseStatus = 'submitted', own?: Unit) {
  const kase = await createCase(
    tx,
    {
      callId,
      topUnitId: topUnit.id,
      unitId: (own ?? topUnit).id,
      theme: '加强内容建设',
      channel: 'website',
      websiteId: null,
      mediaAccountId: null,
      title: '案例',
      text: '内容',
      textLength: 2,
      piiAccepted: [],
    },
    by,
    at('2026-09-21 10:00'),
  );
  if (status !== 'submitted') await tx.getRepository(TypicalCase).update({ id: kase.id }, { status });
}

const due = (now: string) => caseQuotaReminders.due(tx, { calendar, now: at(now) });

beforeAll(async () => {
  db = await createTestDatabase();
  tx = db.dataSource.manager;
  unit.zhangdian = await addUnit('张店区', 'district');
  unit.renshe = await addUnit('张店区人力资源和社会保障局', 'department', unit.zhangdian);
  unit.zichuan = await addUnit('淄川区', 'district');
  unit.shuili = await addUnit('市水利局', 'department');
  unit.dashuju = await addUnit('市大数据局', 'other');
  await addPerson('zd1', 'liaison', unit.zhangdian);
  await addPerson('zd2', 'liaison', unit.renshe);
  await addPerson('zc1', 'liaison', unit.zichuan);
  await addPerson('sl1', 'liaison', unit.shuili);
  await addPerson('boss', 'supervisor', unit.dashuju);
  await addPerson('root', 'admin', unit.dashuju);
});

afterAll(async () => {
  await db.drop();
});

describe('openCaseCall (for a notice flow)', () => {
  it('stores the call with the notice id and returns one card per liaison', async () => {
    const opened = await openCaseCall(
      tx,
      {
        title: '2026年第三季度典型案例',
        deadline: endOfShanghaiDay('2026-10-09'),
        quotas: { district: 5 },
        createdBy: 'boss',
        noticeId: 42,
      },
      at('2026-09-21 09:30'),
    );
    callId = opened.call.id;
    const stored = await tx.getRepository(CaseCall).findOneByOrFail({ id: callId });
    expect(stored).toMatchObject({ noticeId: 42, quotaDistrict: 5, quotaDepartment: 1, quotaOther: 0 });
    expect(opened.notifiedUnits.map((u) => u.name)).toEqual(['张店区', '淄川区', '市水利局']);
    expect(opened.liaisonCount).toBe(4);
    expect(opened.unitsWithoutLiaison).toEqual([]);
    expect(opened.notifications.map((n) => [n.to, n.key])).toEqual([
      [['zd1'], `case-call:${callId}:opened:u${unit.zhangdian!.id}`],
      [['zd2'], `case-call:${callId}:opened:u${unit.zhangdian!.id}`],
      [['zc1'], `case-call:${callId}:opened:u${unit.zichuan!.id}`],
      [['sl1'], `case-call:${callId}:opened:u${unit.shuili!.id}`],
    ]);
    const taskIds = opened.notifications.map((n) =>
      n.message.type === 'card' ? n.message.card.task_id : '',
    );
    expect(new Set(taskIds).size).toBe(4);
    for (const taskId of taskIds) expect(taskId).toMatch(/^[A-Za-z0-9_@-]{1,128}$/);
    expect(await tx.getRepository(AuditLog).countBy({ action: 'case-call.open', actor: 'boss' })).toBe(1);
  });
});

describe('reminders for units below quota', () => {
  beforeAll(async () => {
    // 张店区: one case of its own and one from its sub-unit count; a withdrawn and a returned one do not.
    await addCase(unit.zhangdian!, 'zd1');
    await addCase(unit.zhangdian!, 'zd2', 'accepted', unit.renshe);
    await addCase(unit.zhangdian!, 'zd1', 'withdrawn');
    await addCase(unit.zhangdian!, 'zd2', 'returned', unit.renshe);
    await addCase(unit.shuili!, 'sl1');
  });

  it('is registered', () => {
    expect(reminderRules).toContain(caseQuotaReminders);
    expect(openItemSources).toContain(caseCallOpenItems);
    expect(caseQuotaReminders.at).toEqual(['09:00']);
  });

  it.each(['2026-09-28 09:00', '2026-09-30 09:00', '2026-10-06 09:00', '2026-10-09 09:00'])(
    'nothing at %s',
    async (now) => {
      expect(await due(now)).toEqual([]);
    },
  );

  it('3 working days before (09-29, across the holiday): units short and the digest', async () => {
    const reminders = await due('2026-09-29 09:00');
    expect(reminders.map((r) => [r.key, r.to])).toEqual([
      [`remind:case-call:${callId}:unit:${unit.zichuan!.id}:d3@2026-10-09`, ['zc1']],
      [`remind:case-call:${callId}:unit:${unit.zhangdian!.id}:d3@2026-10-09`, ['zd1', 'zd2']],
      [`remind:case-call:${callId}:digest:d3@2026-10-09`, ['boss', 'root']],
    ]);
    expect(reminders[1]!.message).toEqual({
      type: 'text',
      content:
        `【案例征集提醒】征集${callId}《2026年第三季度典型案例》：本单位已提交 2/5，还需 3 个，截止 10月9日（还剩3个工作日）。` +
        '请发送“提交案例”提交，发送“我的案例”查看已提交的案例。',
    });
    const digest = reminders[2]!.message;
    expect(digest.type).toBe('markdown');
    const content = digest.type === 'markdown' ? digest.content : '';
    expect(content).toContain('截止 10月9日（还剩3个工作日），尚有 2 个单位未达标：');
    expect(content).toContain('> 淄川区（区县）已提交 0/5，还需 5 个');
    expect(content).toContain('> 张店区（区县）已提交 2/5，还需 3 个');
    expect(content).not.toContain('市水利局');
    expect(reminders.every((r) => r.source === 'case-call-reminder')).toBe(true);
  });

  it('is idempotent: asked again the same day, the same keys', async () => {
    const first = (await due('2026-09-29 09:00')).map((r) => r.key);
    const again = (await due('2026-09-29 11:00')).map((r) => r.key);
    expect(again).toEqual(first);
  });

  it('1 working day before (10-08): only units still short', async () => {
    for (let i = 0; i < 5; i++) await addCase(unit.zichuan!, 'zc1');
    const reminders = await due('2026-10-08 09:00');
    expect(reminders.map((r) => r.key)).toEqual([
      `remind:case-call:${callId}:unit:${unit.zhangdian!.id}:d1@2026-10-09`,
      `remind:case-call:${callId}:digest:d1@2026-10-09`,
    ]);
    expect(reminders[0]!.message.type === 'text' && reminders[0]!.message.content).toContain(
      '本单位已提交 2/5，还需 3 个，截止 10月9日（还剩1个工作日）',
    );
  });

  it('the supervisors’ digest links to the progress board when PUBLIC_BASE_URL is set', async () => {
    const url = 'https://duban.example.gov.cn/board';
    const reminders = await caseQuotaReminders.due(tx, {
      calendar,
      now: at('2026-10-08 09:00'),
      boardUrl: url,
    });
    const contents = reminders.map((r) =>
      r.message.type === 'text' || r.message.type === 'markdown' ? r.message.content : '',
    );
    // The digest (to supervisors) carries it; the units' reminders (to liaisons) do not.
    expect(contents.at(-1)).toContain(`[查看进度看板](${url})`);
    expect(contents.slice(0, -1).some((content) => content.includes(url))).toBe(false);
  });

  it('open items: one per unit below quota, filtered by unit', async () => {
    const items = await caseCallOpenItems.list(tx, { now: at('2026-10-08 09:00'), calendar });
    expect(items).toEqual([
      {
        kind: 'case-call',
        ref: `征集${callId}`,
        title: '2026年第三季度典型案例',
        topUnitId: unit.zhangdian!.id,
        deadline: endOfShanghaiDay('2026-10-09'),
        deadlineEstimated: false,
        state: '已提交2/5',
        awaiting: 'unit',
      },
    ]);
    const mine = await caseCallOpenItems.list(tx, {
      now: at('2026-10-08 09:00'),
      calendar,
      topUnitIds: [unit.shuili!.id],
    });
    expect(mine).toEqual([]);
  });

  it('sends nothing once every unit is at quota, or once the call is closed', async () => {
    for (let i = 0; i < 3; i++) await addCase(unit.zhangdian!, 'zd1');
    expect(await due('2026-10-08 09:00')).toEqual([]);
    await addCase(unit.zhangdian!, 'zd1', 'withdrawn');
    await tx
      .getRepository(TypicalCase)
      .delete({ callId, topUnitId: unit.zhangdian!.id, status: 'submitted' });
    expect((await due('2026-10-08 09:00')).length).toBe(2);
    await tx.getRepository(CaseCall).update({ id: callId }, { status: 'closed' });
    expect(await due('2026-10-08 09:00')).toEqual([]);
    expect(await caseCallOpenItems.list(tx, { now: at('2026-10-08 09:00'), calendar })).toEqual([]);
  });
});
