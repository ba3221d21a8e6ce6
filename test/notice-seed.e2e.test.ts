// 通报 with the seed notice (2023 Q1), end to end: every actionable item is proposed (the 落实情况
// report, the typical-case call with its quotas and 150字 rule, one rectification per problem of
// 三、存在的问题), edited and confirmed; the call is opened through the cases service. Hostile
// notices: no 存在的问题 section, member markup and a fake link in a problem.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseCall } from '../src/entities/case-call.js';
import { Notice } from '../src/entities/notice.js';
import { Task } from '../src/entities/task.js';
import { sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { addDistrictsAndZones, DISTRICTS, ZONES } from './support/units.js';

const NOTICE = readFileSync('/work/shared/docs/notice-2023q1.txt', 'utf8');
const ALL_UNITS = DISTRICTS.length + ZONES.length + 1;

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  await addDistrictsAndZones(bot);
  await bot.addUnit('市水利局', 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市水利局' });
  await bot.addPerson('zd', { name: '张店联络员', role: 'liaison', unit: '张店区' });
  await bot.addPerson('sl', { name: '水利联络员', role: 'liaison', unit: '市水利局' });
});

afterAll(async () => {
  await bot.close();
});

const db = () => bot.database.dataSource;

async function say(userid: string, content: string): Promise<string> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

describe('the seed notice', () => {
  it('proposes the report, the case call and the three rectifications, all units, with the notice deadline', async () => {
    const preview = await say('sup', `通报 ${NOTICE}`);
    expect(preview).toContain('从正文中找到 5 项需要办理的事项');
    const blocks = [
      '**1. [落实情况] 报送工作落实情况和《政府网站、政务新媒体典型做法信息表》**',
      '**2. [案例征集] 典型案例征集：挖掘典型做法，营造创新氛围**',
      '单位：按配额征集（区县5 功能区5 市直部门1，每个案例150字以内），确认后发起案例征集',
      '**3. [整改] 整改：重要信息转载有待加强**',
      '**4. [整改] 整改：信息审核发布制度落实不到位**',
      '**5. [整改] 整改：留言办理有待加强**',
    ];
    for (const block of blocks) expect(preview).toContain(block);
    expect(preview.match(/单位：全部单位（\d+个）/g)).toHaveLength(4);
    // Every item is due with the report, 3月21日 of 2023: past, and said so.
    expect(preview.match(/2023-03-21（周二）24时，已过/g)).toHaveLength(5);
    expect(preview).toContain('回复“确认”下发；回复“取消”放弃。');
    expect(await db().getRepository(Task).count()).toBe(0);
  });

  it('lets the supervisor edit units, quotas, length and deadlines before 确认', async () => {
    expect(await say('sup', '确认')).toContain('第 1、2、3、4、5 项的截止时间未设置或已过');
    expect(await say('sup', '配额 3 区县6')).toContain('第 3 项不是案例征集，不能设置配额');
    expect(await say('sup', '配额 2 区县6')).toContain(
      '按配额征集（区县6 功能区5 市直部门1，每个案例150字以内）',
    );
    expect(await say('sup', '字数 2 9')).toContain('字数请写 20 到 2000');
    expect(await say('sup', '字数 2 200')).toContain('每个案例200字以内');
    expect(await say('sup', '单位 3 全部区县')).toContain('单位：全部区县（8个）');
    // A read-only command is answered and the review goes on.
    expect(await say('sup', '我的任务')).toContain(
      '（正在《通报》：请修改拟下发事项后回复“确认”下发，或回复“取消”）',
    );
    const all = await say('sup', '截止 全部 3月26日');
    expect(all).toContain('已修改全部 5 项的截止时间');
    expect(all.match(/2026-03-26（周四）24时截止/g)).toHaveLength(5);
    for (const n of [1, 2, 3, 4, 5]) {
      const edited = await say('sup', `截止 ${n} 3月27日`);
      expect(edited).toContain(`已修改第 ${n} 项`);
      // Only the item edited is shown again.
      expect(edited.match(/\*\*\d\. \[/g)).toEqual([`**${n}. [`]);
    }
    const listed = await say('sup', '查看');
    expect(listed).toContain('拟下发 5 项：');
    expect(listed.match(/2026-03-27（周五）24时截止/g)).toHaveLength(5);
    expect(await db().getRepository(Task).count()).toBe(0);
    expect(await db().getRepository(CaseCall).count()).toBe(0);
  });

  it('确认 creates the tasks and opens the case call through the cases service', async () => {
    const done = await say('sup', '确认');
    const expected = ALL_UNITS + DISTRICTS.length + 2 * ALL_UNITS;
    expect(done).toContain(`已下发 ${expected} 项任务：`);
    // Summed up by title, the numbers as ranges (not one line per task).
    expect(done).toMatch(
      new RegExp(`> 《整改：重要信息转载有待加强》${DISTRICTS.length} 个单位：T\\d+–T\\d+`),
    );
    expect(done).toMatch(/已发起征集\d+《典型案例征集：挖掘典型做法，营造创新氛围》/);
    const notice = await db().getRepository(Notice).findOneByOrFail({ issuedOn: '2023-03-17' });
    const tasks = await db().getRepository(Task).findBy({ noticeId: notice.id });
    const count = (kind: string, title?: string) =>
      tasks.filter((task) => task.kind === kind && (!title || task.title === title)).length;
    expect(count('report')).toBe(ALL_UNITS);
    expect(count('rectification', '整改：重要信息转载有待加强')).toBe(DISTRICTS.length);
    expect(count('rectification', '整改：信息审核发布制度落实不到位')).toBe(ALL_UNITS);
    expect(count('rectification', '整改：留言办理有待加强')).toBe(ALL_UNITS);
    for (const task of tasks) expect(task.deadline.toISOString()).toBe('2026-03-27T16:00:00.000Z');
    const call = await db().getRepository(CaseCall).findOneByOrFail({ noticeId: notice.id });
    expect(call).toMatchObject({
      status: 'open',
      quotaDistrict: 6,
      quotaZone: 5,
      quotaDepartment: 1,
      maxLength: 200,
    });
    // 张店区: the report and three rectifications, and the call; 市水利局: two rectifications fewer.
    const cards = (userid: string) => bot.inbox(userid).filter((d) => d.msgtype === 'template_card').length;
    expect(cards('zd')).toBe(5);
    expect(cards('sl')).toBe(4);
  });
});

describe('hostile notices', () => {
  it('proposes no rectification for a notice without a 存在的问题 section', async () => {
    const preview = await say(
      'sup',
      '通报 关于网站自查的通知\n一、总体情况\n全市网站运行平稳。\n二、工作要求\n请于4月10日前将自查报告报送市大数据局。\n市大数据局\n2026年3月19日',
    );
    expect(preview).toContain('从正文中找到 1 项需要办理的事项');
    expect(preview).toContain('**1. [落实情况] 报送自查报告**');
    expect(preview).not.toContain('[整改]');
    expect(await say('sup', '取消')).toBe('已取消。');
  });

  it('shows a problem with markup and a fake link as typed, never as a link or a heading', async () => {
    const preview = await say(
      'sup',
      '通报 关于问题整改的通知\n三、存在的问题\n(一)**链接**失效[点此登录](http://evil.example/login)。<font color="info">已整改</font>\n四、下一步\n请于4月10日前完成整改。',
    );
    expect(preview).toContain('从正文中找到 2 项需要办理的事项');
    expect(preview).not.toContain('](http');
    expect(preview).not.toContain('<font color="info">');
    expect(preview).not.toMatch(/\*\*链接\*\*/);
    expect(await say('sup', '取消')).toBe('已取消。');
  });
});
