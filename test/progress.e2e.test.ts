// The status commands end to end, through encrypted callbacks and the fake WeCom API, on the seeded
// scenario (test/support/progress-seed.ts) at Saturday 2026-02-14 10:00, a make-up working day:
// 进度 / 统计 / 总览, 进度 <单位>, 逾期, 催办 (delivery, pacing, once a day, audit), 导出进度, 周报,
// and what a liaison sees.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONTENT_BYTES, text } from '../src/messages/outbound.js';
import { enqueue, messagesToItems } from '../src/outbox/queue.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { UrgeLog } from '../src/entities/urge-log.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { StoredFile } from '../src/entities/stored-file.js';
import { loadFile } from '../src/db/files.js';
import { OTHER_UNIT_TEXT } from '../src/services/shared/permissions.js';
import { TASK_SHEET_NAME, UNIT_SHEET_NAME } from '../src/services/progress/export.js';
import type { Delivery } from '../src/sandbox/fake-wecom.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { PEOPLE, seedDirectory, seedScenario, type Seeded } from './support/progress-seed.js';

let bot: TestBot;
let seeded: Seeded;

beforeAll(async () => {
  // Saturday 2026-02-14 10:00 in Shanghai (a make-up working day before Spring Festival).
  bot = await startTestBot({ now: '2026-02-14T02:00:00Z' });
  const units = await seedDirectory(bot.database.dataSource, { withPeople: false });
  for (const [userid, name, role, unit] of PEOPLE) await bot.addPerson(userid, { name, role, unit });
  seeded = await seedScenario(bot.database.dataSource, await bot.runtime.jobDeps.calendar.get(), units);
});

afterAll(async () => {
  await bot.close();
});

const db = () => bot.database.dataSource;

/** Sends a text; returns every markdown/text reply it produced, in order. */
async function say(userid: string, content: string): Promise<string[]> {
  const before = bot.inbox(userid).length;
  const result = await bot.client.sendText(userid, content);
  expect(result.status).toBe(200);
  await bot.flush();
  return [result.reply?.content ?? '', ...bot.texts(userid).slice(before)].filter(Boolean);
}

const delivered = (userid: string, from: number): Delivery[] => bot.inbox(userid).slice(from);

interface UrgeCard {
  main_title: { title: string; desc: string };
  emphasis_content: { title: string; desc: string };
  sub_title_text: string;
  horizontal_content_list: { keyname: string; value: string }[];
  button_list: { text: string; key: string }[];
}

describe('进度', () => {
  it('gives supervisors the batches, red and yellow units, the case call, messages and filings at risk', async () => {
    const replies = await say('sup', '进度');
    for (const reply of replies)
      expect(Buffer.byteLength(reply, 'utf8')).toBeLessThanOrEqual(MAX_CONTENT_BYTES);
    const all = replies.join('\n');
    expect(all).toContain('**督办进度**\u30002026-02-14（周六）10:00');
    expect(all).toContain(
      '未办结任务 4 批 13 项：已办结 2 · 已提交待审 2 · 待办 7 · <font color="warning">逾期 2</font>（其中逾期提交 1）',
    );
    expect(all).toContain(`> **T${seeded.tasks['A-张店区']}起** 首页信息更新不及时整改（整改 · 5 项）`);
    expect(all).toContain('> **T');
    expect(all).toContain('通报《关于网站普查问题整改的通报》（落实情况、整改 · 4 项）');
    expect(all).toContain('（3 个单位，3 项）');
    expect(all).toContain('> 淄川区：1 项，已逾期2个工作日');
    expect(all).toContain('> 张店区：1 项，已逾期1个工作日');
    expect(all).toContain('> 博山区：2 项（任务 1、案例征集 1），今天18:00截止');
    expect(all).toContain(
      `> **征集${seeded.callId}**《2026年第一季度典型案例》：达标 1/4 个单位，有效案例 1 个`,
    );
    expect(all).toContain('未达标</font>：淄川区 0/1、博山区 0/1、高新区 0/1');
    expect(all).toContain(
      `**L${seeded.guestbook.old}** 淄川区 · 淄川区政府网：栏目链接打不开 · 已逾期2个工作日`,
    );
    expect(all).toContain(`**F${seeded.filings.open}** 高新区 · 开设 微信公众号“高新发布” · 今天24时截止`);
    expect(all).not.toContain('已完成的批次');
  });

  it('统计 and 总览 are the same command', async () => {
    const [first] = await say('sup', '进度');
    for (const alias of ['统计', '总览']) expect((await say('adm', alias))[0]).toBe(first);
  });

  it('进度 <单位> shows every open item of the unit with its liaisons and last reply', async () => {
    const all = (await say('sup', '进度 淄川区')).join('\n');
    expect(all).toContain('**淄川区 进度**（区县）');
    expect(all).toContain('联络员：淄川联络员');
    expect(all).toContain('未办结 6 项：<font color="warning">逾期 1</font> · 临期 3 · 待督办审核 1');
    expect(all).toContain(`**T${seeded.tasks['A-淄川区']}** 首页信息更新不及时整改（已提交待审）`);
    expect(all).toContain('最近提交 2026-02-12（周四）15:30 淄川联络员：已完成首页栏目更新，详见附件。');
    // A sub-unit's name gives its top-level unit.
    expect((await say('sup', '进度 张店区大数据中心'))[0]).toContain('**张店区 进度**');
    expect((await say('sup', '进度 不存在的单位'))[0]).toContain('没有找到单位“不存在的单位”');
    // Nothing open: a short plain answer.
    expect(await say('sup', '进度 市大数据局')).toEqual([
      '市大数据局（市直部门）目前没有未办结的事项。\n联络员：未登记',
    ]);
  });

  it('a liaison’s 进度 is their own unit, and another unit is refused (audited)', async () => {
    const own = (await say('zd2', '进度')).join('\n');
    expect(own).toContain('**张店区 进度**');
    expect(own).toContain('联络员：张一、张二');
    expect(own).not.toContain('淄川区');
    expect(await say('zd1', '进度 淄川区')).toEqual([OTHER_UNIT_TEXT]);
    const denied = await db()
      .getRepository(AuditLog)
      .findOneByOrFail({ actor: 'zd1', action: 'progress.view', result: 'denied' });
    expect(denied.target).toBe(`unit:${seeded.units['淄川区']}`);
  });
});

describe('逾期', () => {
  it('gives supervisors only the red and yellow lists', async () => {
    const all = (await say('sup', '逾期')).join('\n');
    expect(all).toContain('逾期单位</font>**（3 个单位，3 项）');
    expect(all).toContain('临期单位</font>**（今天或下一个工作日截止，4 个单位，7 项）');
    expect(all).not.toContain('任务批次');
    expect(all).not.toContain('案例征集**');
  });

  it('逾期 <单位> gives supervisors one unit’s red and yellow items', async () => {
    const all = (await say('sup', '逾期 张店区')).join('\n');
    expect(all).toContain('**张店区 逾期与临期**');
    expect(all).toContain(`**T${seeded.tasks['A-张店区']}**`);
    expect(all).toContain(`**T${seeded.tasks['N1-张店区']}**`);
    expect(all).not.toContain(`**T${seeded.tasks['N2-张店区']}**`);
    expect(await say('sup', '逾期 市大数据局')).toEqual(['市大数据局目前没有逾期或临期的事项。']);
    expect(await say('zd1', '逾期 淄川区')).toEqual([OTHER_UNIT_TEXT]);
  });

  it('gives a liaison the unit’s own red and yellow items', async () => {
    const all = (await say('zc', '逾期')).join('\n');
    expect(all).toContain('**淄川区 逾期与临期**');
    expect(all).toContain(`**L${seeded.guestbook.old}**`);
    expect(all).toContain(`**T${seeded.tasks['N1-淄川区']}**`);
    expect(all).not.toContain(`**T${seeded.tasks['N2-淄川区']}**`);
    expect(all).not.toContain('张店区');
  });
});

describe('催办', () => {
  it('reminds the unit’s liaisons (sub-units included), audits it, and says how many', async () => {
    const from = { zd1: bot.inbox('zd1').length, zd2: bot.inbox('zd2').length };
    const [reply] = await say('sup', '催办 张店区');
    expect(reply).toBe('已催办 张店区：已向联络员 张一、张二 发送提醒（2 人）。');
    for (const userid of ['zd1', 'zd2'] as const) {
      const got = delivered(userid, from[userid]);
      expect(got).toHaveLength(1);
      expect(got[0]!.msgtype).toBe('template_card');
      const card = got[0]!.body.template_card as UrgeCard;
      expect(card.main_title).toEqual({ title: '【督办提醒】张店区', desc: '李督办催办' });
      expect(card.emphasis_content).toEqual({ title: '1', desc: '项已逾期（共 3 项待办）' });
      expect(card.horizontal_content_list[0]).toEqual({
        keyname: `T${seeded.tasks['A-张店区']}`,
        value: '逾期·首页信息更新不及时整改·已逾期1个工作日',
      });
      expect(card.horizontal_content_list).toHaveLength(3);
    }
    // The button lists the unit's open items for whoever clicks it.
    const [card] = delivered('zd1', from.zd1);
    const key = (card!.body.template_card as UrgeCard).button_list[0]!.key;
    const { responseCode, taskId, cardType } = bot.fake.click('zd1', card!.msgid, key);
    const before = bot.inbox('zd1').length;
    const clicked = await bot.client.post(
      bot.client.cardClickXml('zd1', { eventKey: key, taskId, cardType, responseCode }),
    );
    await bot.flush();
    expect(clicked.status).toBe(200);
    const listed = [clicked.reply?.content ?? '', ...bot.texts('zd1').slice(before)].join('\n');
    expect(listed).toContain('**张店区 进度**');
    expect(listed).toContain(`**T${seeded.tasks['A-张店区']}**`);
    const audit = await db()
      .getRepository(AuditLog)
      .findOneByOrFail({ action: 'progress.urge', target: `unit:${seeded.units['张店区']}` });
    expect(audit.actor).toBe('sup');
    expect(audit.detail).toBe('催办 张店区：提醒联络员 张*、张*（2 人）；事项 3 项，逾期 1 项，临期 1 项');
  });

  it('a second 催办 of the same unit on the same day sends nothing', async () => {
    const before = bot.inbox('zd1').length;
    const [reply] = await say('sup', '催办 张店区');
    expect(reply).toBe('没有发送新的提醒。\n今天已催办过、不再重复发送：张店区。');
    expect(bot.inbox('zd1')).toHaveLength(before);
    expect(await db().getRepository(AuditLog).countBy({ action: 'progress.urge' })).toBe(1);
  });

  it('the once-a-day rule reads the 催办 log, not the outbox (which is purged)', async () => {
    const logged = await db()
      .getRepository(UrgeLog)
      .findBy({ target: `unit:${seeded.units['张店区']}` });
    expect(logged.map((row) => [row.recipient, row.urgedBy]).sort()).toEqual([
      ['zd1', 'sup'],
      ['zd2', 'sup'],
    ]);
    await db().getRepository(OutboxMessage).delete({ source: 'urge' });
    const [reply] = await say('sup', '催办 张店区');
    expect(reply).toBe('没有发送新的提醒。\n今天已催办过、不再重复发送：张店区。');
  });

  it('催办 T12 sends the task card with its buttons; the 提交 button works', async () => {
    const id = seeded.tasks['A-市水利局']!;
    const before = bot.inbox('sl').length;
    const [reply] = await say('sup', `催办 T${id}`);
    expect(reply).toBe(`已催办 T${id}：已向联络员 水利联络员 发送提醒（1 人）。`);
    const [card] = delivered('sl', before);
    expect(card!.msgtype).toBe('template_card');
    const body = card!.body.template_card as {
      main_title: { title: string; desc: string };
      horizontal_content_list: { keyname: string; value: string }[];
      button_list: { text: string; key: string }[];
    };
    expect(body.main_title.desc).toBe('督办提醒 · 李督办催办');
    expect(body.horizontal_content_list).toContainEqual({ keyname: '状态', value: '已退回' });
    expect(body.horizontal_content_list).toContainEqual({ keyname: '剩余', value: '已逾期1个工作日' });
    expect(body.button_list.map((button) => button.key)).toEqual([
      `task:submit:${id}`,
      `task:extend:${id}`,
      `task:detail:${id}`,
    ]);
    const key = body.button_list[0]!.key;
    const { responseCode, taskId, cardType } = bot.fake.click('sl', card!.msgid, key);
    const clicked = await bot.client.post(
      bot.client.cardClickXml('sl', { eventKey: key, taskId, cardType, responseCode }),
    );
    await bot.flush();
    expect(clicked.status).toBe(200);
    // The prompt to write the reply rides on the click's answer.
    expect(clicked.reply?.content).toContain(`请发送 T${id}`);
    await say('sl', '取消');
    expect((await say('sup', `催办 T${id}`))[0]).toContain('今天已催办过、不再重复发送');
  });

  it('refuses what needs no reminder, and names units without liaisons', async () => {
    expect(await say('sup', `催办 T${seeded.tasks['A-淄川区']}`)).toEqual([
      `任务 T${seeded.tasks['A-淄川区']} 已提交，正在等待督办人员审核，无需催办。`,
    ]);
    expect(await say('sup', `催办 T${seeded.tasks['A-高新区']}`)).toEqual([
      `任务 T${seeded.tasks['A-高新区']} 已办结，无需催办。`,
    ]);
    expect(await say('sup', '催办 T999999')).toEqual(['没有找到任务 T999999。']);
    expect((await say('sup', '催办 博山区'))[0]).toBe('没有发送新的提醒。\n未登记联络员、无法提醒：博山区。');
    expect((await say('sup', '催办 淄博区'))[0]).toContain('没有找到单位“淄博区”');
    expect(await say('zd1', '催办 张店区')).toEqual(['该命令仅限督办人员使用。']);
  });

  it('is paced by the outbox: a liaison who got 30 messages this minute gets it a minute later, nothing dropped', async () => {
    // A fresh minute, then fill 淄川联络员's.
    bot.clock.advance(66_000);
    await db().transaction((tx) =>
      enqueue(
        tx,
        Array.from({ length: 30 }, (_, i) =>
          messagesToItems('zc', [text(`通知 ${i}`)], { keyPrefix: `burst:${i}`, source: 'test' }),
        ).flat(),
        bot.clock.now(),
      ),
    );
    await bot.flush();
    const before = bot.inbox('zc').length;
    const [reply] = await say('sup', '催办 淄川区');
    expect(reply).toBe('已催办 淄川区：已向联络员 淄川联络员 发送提醒（1 人）。');
    expect(bot.inbox('zc')).toHaveLength(before);
    const row = await db()
      .getRepository(OutboxMessage)
      .findOneByOrFail({ idempotencyKey: `urge:unit:${seeded.units['淄川区']}:2026-02-14:zc:0.0` });
    expect(row.status).toBe('pending');
    bot.clock.advance(66_000); // WeCom's minute plus the dispatcher's 5 s margin
    await bot.flush();
    const got = delivered('zc', before);
    expect(got).toHaveLength(1);
    expect((got[0]!.body.template_card as UrgeCard).main_title.title).toBe('【督办提醒】淄川区');
    expect(bot.fake.dropped).toHaveLength(0);
  });

  it('催办 全部逾期 reminds every red unit once; units reminded today are skipped', async () => {
    const before = { sl: bot.inbox('sl').length, zd1: bot.inbox('zd1').length, zc: bot.inbox('zc').length };
    const [reply] = await say('sup', '催办 全部逾期');
    // 淄川区 and 张店区 were reminded today already; 市水利局 only got the T12 card.
    expect(reply).toBe('已催办 1 个单位，共提醒联络员 1 人。\n今天已催办过、不再重复发送：淄川区、张店区。');
    expect(delivered('sl', before.sl)).toHaveLength(1);
    expect(delivered('zd1', before.zd1)).toHaveLength(0);
    expect(delivered('zc', before.zc)).toHaveLength(0);
  });

  it('the next day the same 催办 goes out again', async () => {
    bot.clock.set('2026-02-15T02:00:00Z');
    const before = bot.inbox('zd1').length;
    expect((await say('sup', '催办 张店区'))[0]).toBe(
      '已催办 张店区：已向联络员 张一、张二 发送提醒（2 人）。',
    );
    expect(delivered('zd1', before)).toHaveLength(1);
    bot.clock.set('2026-02-14T03:00:00Z');
  });

  it('催办 L5 and 催办 征集N remind about that item only', async () => {
    const before = bot.inbox('zc').length;
    const [reply] = await say('sup', `催办 L${seeded.guestbook.old}`);
    expect(reply).toBe(`已催办 L${seeded.guestbook.old}：已向联络员 淄川联络员 发送提醒（1 人）。`);
    const card = delivered('zc', before)[0]!.body.template_card as UrgeCard;
    expect(card.horizontal_content_list).toEqual([
      { keyname: `L${seeded.guestbook.old}`, value: '逾期·淄川区政府网：栏目链接打不开·已逾期2个工作日' },
    ]);
    expect(card.sub_title_text).toBe('请尽快办理。发送“留言办结 L编号 答复摘要”办结留言。');
    const calls = await say('sup', `催办 征集${seeded.callId}`);
    expect(calls[0]).toBe(`已催办 1 个单位，共提醒联络员 1 人。\n未登记联络员、无法提醒：博山区、高新区。`);
  });
});

describe('导出进度 and 周报', () => {
  it('导出进度 sends the workbook as a file', async () => {
    const before = bot.inbox('sup').length;
    const replies = await say('sup', '导出进度');
    expect(replies[0]).toBe('进度表：13 项任务（逾期 2 项），5 个单位，见下方文件（第2页为各单位汇总）。');
    const file = delivered('sup', before).find((delivery) => delivery.msgtype === 'file');
    expect(file).toBeDefined();
    const stored = await db()
      .getRepository(StoredFile)
      .findOneByOrFail({ fileName: '督办进度-20260214.xlsx' });
    const { data } = await loadFile(db().manager, stored.id);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
    expect(workbook.getWorksheet(TASK_SHEET_NAME)!.rowCount).toBe(2 + 13);
    expect(workbook.getWorksheet(UNIT_SHEET_NAME)!.rowCount).toBe(2 + 5 + 1);
    expect(await say('zd1', '导出进度')).toEqual(['该命令仅限督办人员使用。']);
    const one = await say('sup', '导出进度 张店区');
    expect(one[0]).toBe('进度表：3 项任务（逾期 1 项），1 个单位，见下方文件（第2页为各单位汇总）。');
  });

  it('周报 summarises the week for forwarding', async () => {
    const all = (await say('sup', '周报')).join('\n');
    expect(all).toContain('**督办周报**\u30002026-02-09（周一）至2026-02-14（周六）');
    expect(all).toContain('> 新下发任务 6 项（2 批），收到办理情况 5 次');
    expect(all).toContain('> 逾期单位 3 个，临期单位 4 个');
    expect(all).not.toContain('发送“');
  });
});
