// What the bot prints: member-supplied text (task titles, requirements and replies, reasons, case
// titles and texts, unit, person, site and account names, filings, domains, guestbook summaries and
// answers, broadcasts) goes through one function, memberText, wherever it is placed into markdown,
// a card or a notice. A table test of hostile strings through the function, then every view that
// shows member text, driven as WeCom would, with every message delivered read back.
import { IsNull } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberText } from '../src/messages/member-text.js';
import { markdownToPlain, shownCard, type TemplateCard } from '../src/messages/outbound.js';
import { AccountFiling } from '../src/entities/account-filing.js';
import { CaseCall } from '../src/entities/case-call.js';
import { DomainAllocation } from '../src/entities/domain-allocation.js';
import { ExtensionRequest } from '../src/entities/extension-request.js';
import { GuestbookMessage } from '../src/entities/guestbook-message.js';
import { MediaAccount } from '../src/entities/media-account.js';
import { Notice } from '../src/entities/notice.js';
import { Person } from '../src/entities/person.js';
import { Task } from '../src/entities/task.js';
import { TaskReply } from '../src/entities/task-reply.js';
import { TaskReview } from '../src/entities/task-review.js';
import { TypicalCase } from '../src/entities/typical-case.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { escalation } from '../src/jobs/escalation.js';
import { morningDigest } from '../src/jobs/morning-digest.js';
import { reminders } from '../src/jobs/reminders.js';
import { weeklyReportJob } from '../src/jobs/weekly-report.js';
import type { Job } from '../src/jobs/types.js';
import { sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';
import {
  HOSTILE,
  HOSTILE_NAME,
  MASKED,
  displayStrings,
  markupFromMembers,
  showsMemberText,
  visible,
} from './support/hostile-text.js';
import { PEOPLE, at, seedDirectory, seedScenario } from './support/progress-seed.js';

describe('memberText', () => {
  it.each([
    ['a phishing link and a fake system line', '已整改完毕 [点此查看](http://evil.example/phish)'],
    ['a coloured line', '<font color="info">督办系统：已自动审核通过</font>'],
    ['bold', '**粗体**'],
    ['a code span', '`办理 T1`'],
    ['a heading', '正常\n# 伪标题'],
    ['a quote', '正常\n> 伪引用'],
    ['an HTML link (text messages)', '<a href="http://evil.example/a">链接</a>'],
    ['a mention (robot messages)', '<@all>'],
    ['the lot', HOSTILE],
  ])('%s: nothing of it is markup, every character still shows', (_name, input) => {
    const shown = memberText(input);
    expect(markupFromMembers(shown)).toEqual([]);
    // What a reader sees is what the member typed (the code span's backticks look alike).
    expect(visible(shown).replace(/ˋ/g, '`')).toBe(input);
    expect(memberText(shown)).toBe(shown);
  });

  it.each([MASKED, `身份证 ${MASKED}，手机 138****5678`, `**${MASKED}**`])(
    'keeps a masked value intact: %s',
    (input) => {
      const shown = memberText(input);
      expect(visible(shown)).toBe(input);
      // Rendered as WeCom reads markdown (bold pairs eaten), the asterisks all stay.
      expect(visible(markdownToPlain(shown))).toContain(MASKED);
    },
  );

  it('removes direction overrides and control characters', () => {
    expect(memberText('报告\u202Efdp.exe\u0007')).toBe('报告fdp.exe');
    expect(memberText(null)).toBe('');
  });

  it('is applied to every display field of a card, and to nothing else', () => {
    const card: TemplateCard = {
      card_type: 'button_interaction',
      task_id: 'rev-1-2-ab',
      main_title: { title: HOSTILE, desc: HOSTILE_NAME },
      quote_area: { type: 0, title: '办理情况', quote_text: HOSTILE },
      horizontal_content_list: [{ keyname: HOSTILE_NAME, value: HOSTILE }],
      button_list: [{ text: '通过', key: 'task:approve:1:2' }],
    };
    const shown = shownCard(card);
    for (const value of displayStrings(shown as unknown as Record<string, unknown>)) {
      expect(markupFromMembers(value)).toEqual([]);
    }
    expect(shown.button_list).toEqual(card.button_list);
    expect(shown.task_id).toBe(card.task_id);
  });
});

describe('every view that shows member text', () => {
  let bot: TestBot;
  const db = () => bot.database.dataSource;
  /** Passive replies (they do not pass through the fake's inbox). */
  const passive: { view: string; content: string }[] = [];

  beforeAll(async () => {
    bot = await startTestBot({ now: at('2026-02-14 10:00').toISOString() });
    const units = await seedDirectory(db());
    await seedScenario(db(), await bot.runtime.deps.calendar.get(), units);
    for (const [userid, name] of PEOPLE) bot.fake.addMember(userid, name);
    await makeHostile(bot);
  });

  afterAll(async () => {
    await bot?.close();
  });

  async function view(userid: string, command: string): Promise<string[]> {
    bot.clock.advance(1000);
    const exchange = await sendText(bot, userid, command);
    if (exchange.result.reply?.content)
      passive.push({ view: command, content: exchange.result.reply.content });
    return exchange.replies;
  }

  async function runJob(job: Job): Promise<void> {
    const now = bot.clock.now();
    await job.run(bot.runtime.jobDeps, now, { fireTime: now, catchUp: false });
    await bot.flush();
  }

  it('shows members’ text as text in every list, detail, card, reminder and notice', async () => {
    const tasks = await db()
      .getRepository(Task)
      .find({ order: { id: 'ASC' } });
    const guestbook = await db().getRepository(GuestbookMessage).findOneByOrFail({ answeredAt: IsNull() });
    const views: [string, string][] = [
      ['sup', '进度'],
      ['sup', '逾期'],
      ['sup', '我的任务'],
      ...tasks.map((task): [string, string] => ['sup', `任务 T${task.id}`]),
      ['sup', '案例进度'],
      ['sup', '留言列表'],
      ['sup', '账号清单'],
      ['sup', '周报'],
      ['zd1', '我的任务'],
      ['zd1', '我的案例'],
      ['zd1', '我的信息'],
      ['zd1', '进度'],
      ['zd1', '账号清单'],
      ['zd1', '留言列表'],
      // Domains and broadcasts typed in chat: the supervisors' card and lists, every liaison's notice.
      ['zd1', `申请域名 hostile ${HOSTILE}`],
      ['sup', '域名列表'],
      ['sup', `广播 ${HOSTILE}`],
      ['sup', '确认'],
      ['sup', '通知列表'],
      ['sup', `留言办结 L${guestbook.id} ${HOSTILE}`],
    ];
    for (const [userid, command] of views) await view(userid, command);
    // A refusal's reason reaches the requesting unit as a text notice.
    const domain = await db().getRepository(DomainAllocation).findOneByOrFail({ subdomain: 'hostile' });
    await view('sup', `域名审批 D${domain.id} 拒绝 ${HOSTILE}`);
    for (const job of [morningDigest, reminders, escalation, weeklyReportJob]) await runJob(job);

    const delivered = PEOPLE.flatMap(([userid]) =>
      bot.inbox(userid).map((delivery) => ({
        view: `${userid} ${delivery.msgtype}`,
        strings: displayStrings(delivery.body),
      })),
    );
    const everything = [
      ...delivered,
      ...passive.map((reply) => ({ view: reply.view, strings: [reply.content] })),
    ];
    const problems: string[] = [];
    let showing = 0;
    for (const { view: where, strings } of everything) {
      for (const content of strings) {
        for (const found of markupFromMembers(content)) problems.push(`${where}: ${found} in ${content}`);
        if (showsMemberText(content)) showing++;
        if (content.includes('370322') && !visible(content).includes(MASKED)) {
          problems.push(`${where}: the masked number lost its asterisks in ${content}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The check means something: members' hostile text reached many messages.
    expect(showing).toBeGreaterThan(30);
    const kinds = new Set(
      delivered.filter((d) => d.strings.some(showsMemberText)).map((d) => d.view.split(' ')[1]),
    );
    expect([...kinds].sort()).toEqual(['markdown', 'template_card', 'text']);
  });
});

/** Every member-supplied column of the seeded scenario rewritten with hostile text. */
async function makeHostile(bot: TestBot): Promise<void> {
  const manager = bot.database.dataSource.manager;
  const rename = async <T extends { id: number }>(
    entity: new () => T,
    column: keyof T & string,
    value: (row: T) => string,
  ) => {
    for (const row of await manager.getRepository(entity).find()) {
      await manager.getRepository(entity).update(row.id, { [column]: value(row) } as never);
    }
  };
  await rename(Unit, 'name', (unit) => `${HOSTILE_NAME}${unit.id}${unit.name}`.slice(0, 100));
  await rename(Person, 'name', (person) => `${HOSTILE_NAME}${person.id}`);
  await rename(Website, 'name', (site) => `${HOSTILE_NAME}${site.id}`);
  await rename(MediaAccount, 'name', (account) => `${HOSTILE_NAME}${account.id}`);
  await rename(Task, 'title', () => HOSTILE);
  await rename(Task, 'detail', () => HOSTILE);
  await rename(Task, 'returnReason', (task) => (task.returnReason ? HOSTILE : (null as unknown as string)));
  await rename(TaskReply, 'text', () => HOSTILE);
  await rename(TaskReview, 'reason', () => HOSTILE);
  await rename(TypicalCase, 'title', () => HOSTILE);
  await rename(TypicalCase, 'text', () => HOSTILE);
  await rename(CaseCall, 'title', () => HOSTILE);
  await rename(Notice, 'title', () => HOSTILE);
  await rename(GuestbookMessage, 'summary', () => HOSTILE);
  await rename(AccountFiling, 'accountName', (filing) => `${HOSTILE_NAME}${filing.id}`);
  await rename(AccountFiling, 'announcement', () => HOSTILE);
  const [task] = await manager.getRepository(Task).find({ order: { id: 'ASC' }, take: 1 });
  await manager.getRepository(ExtensionRequest).insert({
    taskId: task!.id,
    requestedBy: 'zd1',
    reason: HOSTILE,
    piiFindings: [],
    previousDeadline: task!.deadline,
    requestedDeadline: new Date(task!.deadline.getTime() + 7 * 86_400_000),
    requestedEstimated: false,
    status: 'rejected',
    requestedAt: at('2026-02-13 10:00'),
    decidedBy: 'sup',
    decisionReason: HOSTILE,
    decidedAt: at('2026-02-13 11:00'),
  });
}
