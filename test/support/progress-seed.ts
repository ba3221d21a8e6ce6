// One seeded status scenario around Spring Festival 2026 (make-up working Saturday 02-14, holiday
// 02-15…02-23, back to work Tuesday 02-24), with answers known by hand. Tasks go through the task
// service (so batches are recorded as in production); the rest are plain rows.
import type { DataSource, EntityManager } from 'typeorm';
import { AccountFiling } from '../../src/entities/account-filing.js';
import { GuestbookMessage } from '../../src/entities/guestbook-message.js';
import { Person, type Role } from '../../src/entities/person.js';
import { Task, type TaskKind } from '../../src/entities/task.js';
import { Unit, type UnitKind } from '../../src/entities/unit.js';
import { Website } from '../../src/entities/website.js';
import type { WorkCalendar } from '../../src/services/calendar/calendar.js';
import { createCase, openCaseCall } from '../../src/services/cases/store.js';
import { messageRow } from '../../src/services/guestbook/store.js';
import { filingDeadlineFields } from '../../src/services/filings/store.js';
import { createNotice, createTasks, reviewTask, submitReply } from '../../src/services/tasks/store.js';
import { endOfShanghaiDay, parseShanghaiDateTime } from '../../src/services/calendar/time.js';

export const at = (text: string): Date => parseShanghaiDateTime(text);

export const UNITS: [string, UnitKind, string?][] = [
  ['张店区', 'district'],
  ['淄川区', 'district'],
  ['博山区', 'district'],
  ['高新区', 'zone'],
  ['市水利局', 'department'],
  ['市大数据局', 'department'],
  ['张店区大数据中心', 'other', '张店区'],
];

/** Liaisons (博山区 and 高新区 have none), supervisors. */
export const PEOPLE: [string, string, Role, string][] = [
  ['zd1', '张一', 'liaison', '张店区'],
  ['zd2', '张二', 'liaison', '张店区大数据中心'],
  ['zc', '淄川联络员', 'liaison', '淄川区'],
  ['sl', '水利联络员', 'liaison', '市水利局'],
  ['sup', '李督办', 'supervisor', '市大数据局'],
  ['adm', '王管理', 'admin', '市大数据局'],
];

export interface Seeded {
  units: Record<string, number>;
  tasks: Record<string, number>;
  guestbook: Record<string, number>;
  filings: Record<string, number>;
  callId: number;
}

const noAudit = async () => undefined;

/** Units (and, unless `withPeople` is false, people as plain rows). */
export async function seedDirectory(
  dataSource: DataSource,
  options: { withPeople?: boolean } = {},
): Promise<Record<string, number>> {
  const repo = dataSource.getRepository(Unit);
  const units: Record<string, number> = {};
  for (const [name, kind, parent] of UNITS) {
    const saved = await repo.save(
      repo.create({ name, kind, parentId: parent ? units[parent]! : null, active: true }),
    );
    units[name] = saved.id;
  }
  if (options.withPeople !== false) {
    const people = dataSource.getRepository(Person);
    for (const [userid, name, role, unit] of PEOPLE) {
      await people.save(
        people.create({ userid, name, role, unitId: units[unit]!, mobile: null, active: true }),
      );
    }
  }
  return units;
}

export async function assign(
  tx: EntityManager,
  units: Record<string, number>,
  spec: { kind: TaskKind; title: string; unitNames: string[]; deadline: Date; noticeId?: number },
  assignedAt: Date,
): Promise<Record<string, Task>> {
  const tasks = await createTasks(
    tx,
    {
      kind: spec.kind,
      title: spec.title,
      detail: `${spec.title}，请按要求办理。`,
      unitIds: spec.unitNames.map((name) => units[name]!),
      deadline: spec.deadline,
      deadlineEstimated: false,
      noticeId: spec.noticeId ?? null,
    },
    'sup',
    assignedAt,
    noAudit,
  );
  return Object.fromEntries(spec.unitNames.map((name, i) => [name, tasks[i]!]));
}

export async function submit(
  tx: EntityManager,
  task: Task,
  userid: string,
  text: string,
  when: Date,
): Promise<void> {
  const result = await submitReply(tx, task, { userid, text, fileIds: [], piiFindings: [] }, when, noAudit);
  if (!result.ok) throw new Error(result.refusal.kind);
}

export async function review(
  tx: EntityManager,
  task: Task,
  decision: 'approve' | 'return',
  when: Date,
): Promise<void> {
  const result = await reviewTask(
    tx,
    { taskId: task.id, decision, reason: decision === 'return' ? '材料不全' : null, reviewer: 'sup' },
    when,
    noAudit,
  );
  if (!result.ok) throw new Error(result.refusal.kind);
}

/**
 * The scenario (expected answers in test/progress.test.ts):
 * - A 首页信息更新不及时整改 (02-02, due 02-13 24:00): 张店区 pending; 淄川区 submitted 02-12;
 *   博山区 submitted late 02-14 09:00; 高新区 done; 市水利局 returned 02-13 (pending again).
 * - Notice N 《关于网站普查问题整改的通报》 (02-09) with two tasks for 张店区 and 淄川区: 落实情况报送
 *   due 02-24 24:00 and 栏目整改 due 02-25 24:00.
 * - C 信息公开自查 (02-10, due 02-14 18:00): 博山区 pending, 市水利局 done.
 * - D 已完成的批次 (02-03, due 02-06): 张店区 done (not listed: the batch is closed).
 * - Legacy rows (batch 0): 旧任务 for 博山区 and 高新区, due 02-25 24:00.
 * - Guestbook: L-old for 淄川区 received 02-10 (due 02-12 24:00), L-new for 淄川区 received 02-13
 *   (due 02-24 24:00), L-done answered.
 * - Filing for 高新区, change 02-11 (due 02-14 24:00), waiting for confirmation.
 * - Case call 征集 due 02-24 24:00, quota 区县 1, 功能区 1: 张店区 has 1 case.
 */
export async function seedScenario(
  dataSource: DataSource,
  calendar: WorkCalendar,
  units: Record<string, number>,
): Promise<Seeded> {
  return dataSource.transaction(async (tx) => {
    const tasks: Record<string, number> = {};
    const a = await assign(
      tx,
      units,
      {
        kind: 'rectification',
        title: '首页信息更新不及时整改',
        unitNames: ['张店区', '淄川区', '博山区', '高新区', '市水利局'],
        deadline: endOfShanghaiDay('2026-02-13'),
      },
      at('2026-02-02 09:00'),
    );
    await submit(tx, a['淄川区']!, 'zc', '已完成首页栏目更新，详见附件。', at('2026-02-12 15:30'));
    await submit(tx, a['博山区']!, 'bs', '已整改。', at('2026-02-14 09:00'));
    await submit(tx, a['高新区']!, 'gx', '已整改完毕。', at('2026-02-10 10:00'));
    await review(tx, a['高新区']!, 'approve', at('2026-02-11 11:00'));
    await submit(tx, a['市水利局']!, 'sl', '整改中。', at('2026-02-12 10:00'));
    await review(tx, a['市水利局']!, 'return', at('2026-02-13 16:00'));
    for (const [name, task] of Object.entries(a)) tasks[`A-${name}`] = task.id;

    const notice = await createNotice(
      tx,
      {
        title: '关于网站普查问题整改的通报',
        body: '通报全文',
        issuer: null,
        issuedOn: null,
        sourceFileId: null,
      },
      'sup',
      noAudit,
    );
    const n1 = await assign(
      tx,
      units,
      {
        kind: 'report',
        title: '落实情况报送',
        unitNames: ['张店区', '淄川区'],
        deadline: endOfShanghaiDay('2026-02-24'),
        noticeId: notice.id,
      },
      at('2026-02-09 10:00'),
    );
    const n2 = await assign(
      tx,
      units,
      {
        kind: 'rectification',
        title: '栏目整改',
        unitNames: ['张店区', '淄川区'],
        deadline: endOfShanghaiDay('2026-02-25'),
        noticeId: notice.id,
      },
      at('2026-02-09 10:00'),
    );
    for (const [name, task] of Object.entries(n1)) tasks[`N1-${name}`] = task.id;
    for (const [name, task] of Object.entries(n2)) tasks[`N2-${name}`] = task.id;

    const c = await assign(
      tx,
      units,
      {
        kind: 'custom',
        title: '信息公开自查',
        unitNames: ['博山区', '市水利局'],
        deadline: at('2026-02-14 18:00'),
      },
      at('2026-02-10 09:00'),
    );
    await submit(tx, c['市水利局']!, 'sl', '自查完毕。', at('2026-02-11 09:00'));
    await review(tx, c['市水利局']!, 'approve', at('2026-02-11 10:00'));
    for (const [name, task] of Object.entries(c)) tasks[`C-${name}`] = task.id;

    const d = await assign(
      tx,
      units,
      {
        kind: 'report',
        title: '已完成的批次',
        unitNames: ['张店区'],
        deadline: endOfShanghaiDay('2026-02-06'),
      },
      at('2026-02-03 09:00'),
    );
    await submit(tx, d['张店区']!, 'zd1', '已报送。', at('2026-02-04 09:00'));
    await review(tx, d['张店区']!, 'approve', at('2026-02-04 10:00'));
    tasks['D-张店区'] = d['张店区']!.id;

    // Rows from before batches were recorded.
    const repo = tx.getRepository(Task);
    for (const name of ['博山区', '高新区']) {
      const legacy = await repo.save(
        repo.create({
          kind: 'custom',
          title: '旧任务',
          detail: '旧任务',
          unitId: units[name]!,
          noticeId: null,
          batch: 0,
          deadline: endOfShanghaiDay('2026-02-25'),
          deadlineEstimated: false,
          status: 'pending',
          createdBy: 'sup',
          assignedAt: at('2026-01-20 09:00'),
          submittedAt: null,
          doneAt: null,
          returnReason: null,
          returnedAt: null,
        }),
      );
      tasks[`legacy-${name}`] = legacy.id;
    }

    const site = await tx.getRepository(Website).save(
      tx.getRepository(Website).create({
        name: '淄川区政府网',
        siteCode: '3703020001',
        domain: 'zichuan.example.gov.cn',
        unitId: units['淄川区']!,
        status: 'active',
      }),
    );
    const guestbook: Record<string, number> = {};
    const messages = tx.getRepository(GuestbookMessage);
    for (const [key, received, summary] of [
      ['old', '2026-02-10 10:00', '栏目链接打不开'],
      ['new', '2026-02-13 11:00', '联系电话有误'],
      ['done', '2026-02-09 10:00', '错别字'],
    ] as const) {
      const row = messages.create(
        messageRow(calendar, {
          websiteId: site.id,
          topUnitId: units['淄川区']!,
          receivedAt: at(received),
          summary,
          platformNo: null,
          source: 'chat',
          registeredBy: 'zc',
          summaryPii: null,
        }),
      );
      if (key === 'done') {
        row.status = 'answered';
        row.answeredAt = at('2026-02-10 09:00');
        row.answeredBy = 'zc';
        row.answerSummary = '已改正';
      }
      guestbook[key] = (await messages.save(row)).id;
    }

    const filingRepo = tx.getRepository(AccountFiling);
    const { deadline, deadlineEstimated } = filingDeadlineFields(calendar, '2026-02-11');
    const filing = await filingRepo.save(
      filingRepo.create({
        action: 'open',
        platform: 'wechat',
        accountName: '高新发布',
        previousName: null,
        mediaAccountId: null,
        unitId: units['高新区']!,
        topUnitId: units['高新区']!,
        changeDate: '2026-02-11',
        announcement: null,
        deadline,
        deadlineEstimated,
        status: 'submitted',
        submittedBy: 'sup',
        submittedAt: at('2026-02-11 15:00'),
        decidedBy: null,
        decidedAt: null,
        rejectReason: null,
        piiAccepted: null,
      }),
    );

    const opened = await openCaseCall(
      tx,
      {
        title: '2026年第一季度典型案例',
        deadline: endOfShanghaiDay('2026-02-24'),
        quotas: { district: 1, zone: 1, department: 0, other: 0 },
        createdBy: 'sup',
      },
      at('2026-02-05 09:00'),
    );
    await createCase(
      tx,
      {
        callId: opened.call.id,
        topUnitId: units['张店区']!,
        unitId: units['张店区']!,
        theme: '信息公开',
        channel: 'website',
        websiteId: null,
        mediaAccountId: null,
        title: '张店区案例',
        text: '案例正文',
        textLength: 4,
        piiAccepted: [],
      },
      'zd1',
      at('2026-02-06 09:00'),
    );
    return { units, tasks, guestbook, filings: { open: filing.id }, callId: opened.call.id };
  });
}
