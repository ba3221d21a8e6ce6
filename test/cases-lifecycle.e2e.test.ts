// A call's life end to end (issue 20): review cards reach the supervisors (one per case, one digest
// when several arrive together), 采纳/退回 from the card, 案例列表 and 案例 C7, 延长征集,
// 结束案例征集 with its preview and 确认, the closed call in 进度/周报 with its final shortfall, and
// 重新开放征集. Hostile inputs: unknown 征集N, another unit's C-number, a past date, a double 确认,
// a double 采纳, a demoted supervisor clicking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { CaseCall } from '../src/entities/case-call.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { Person } from '../src/entities/person.js';
import { TypicalCase } from '../src/entities/typical-case.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { formatIso } from '../src/services/calendar/time.js';
import { sendReviewCards } from '../src/jobs/case-review-cards.js';
import { boardOverview } from '../src/board/data.js';
import { buttonKey, cardBody, cardsOf, click, say } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

const db = () => bot.database.dataSource;
const calls = () => db().getRepository(CaseCall);
const cases = () => db().getRepository(TypicalCase);
const conversation = (userid: string) => db().getRepository(ConversationState).findOneBy({ userid });
const ask = (userid: string, content: string) => say(bot, userid, content);

async function reviewCardsNow(): Promise<number> {
  const sent = await sendReviewCards(bot.runtime.jobDeps, bot.clock.now());
  await bot.flush();
  return sent;
}

async function submit(userid: string, title: string, body: string): Promise<string> {
  await ask(userid, '提交案例');
  await ask(userid, '1');
  await ask(userid, '1');
  await ask(userid, title);
  await ask(userid, body);
  return ask(userid, '确认');
}

const lastCard = (userid: string) => cardsOf(bot, userid).at(-1)!;

beforeAll(async () => {
  // Friday 2023-03-17 10:00 in Shanghai.
  bot = await startTestBot({ now: '2023-03-17T02:00:00Z' });
  await bot.addUnit('张店区', 'district');
  await bot.addUnit('淄川区', 'district');
  await bot.addUnit('市水利局', 'department');
  await bot.addUnit('市大数据局', 'other');
  await bot.addPerson('boss', { name: '赵督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('boss2', { name: '钱督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('zd1', { name: '张一', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zc1', { name: '淄一', role: 'liaison', unit: '淄川区' });
  await bot.addPerson('sl1', { name: '水一', role: 'liaison', unit: '市水利局' });
  await ask('boss', '发起案例征集 第一季度典型案例');
  await ask('boss', '3月24日');
  await ask('boss', '默认');
  expect(await ask('boss', '确认')).toContain('已发起征集1《第一季度典型案例》');
});

afterAll(async () => {
  await bot.close();
});

describe('review cards', () => {
  it('one case: a card with 采纳/退回 for every supervisor, once', async () => {
    expect(await submit('zd1', '政务公开专区改版', '专区按主题重组栏目，群众查找更方便。')).toContain(
      '案例C1已提交',
    );
    // Nothing before the job runs: the submission itself sends no card.
    expect(cardsOf(bot, 'boss')).toHaveLength(0);
    expect(await reviewCardsNow()).toBe(1);
    for (const userid of ['boss', 'boss2']) {
      const cards = cardsOf(bot, userid);
      expect(cards).toHaveLength(1);
      const card = cardBody(cards[0]!);
      expect(card.main_title).toEqual({ title: '案例C1待审核', desc: '征集1 · 张店区' });
      expect(card.button_list.map((b) => [b.text, b.key])).toEqual([
        ['采纳', 'case:accept:1'],
        ['退回', 'case:return:1'],
      ]);
    }
    // A second run finds nothing new.
    expect(await reviewCardsNow()).toBe(0);
    expect(cardsOf(bot, 'boss')).toHaveLength(1);
  });

  it('several together: one digest card per call, 逐个审核 brings the single cards', async () => {
    await submit('zd1', '办事指南逐项校核', '对照事项清单逐项校核办事指南，纠错120处。');
    await submit('zd1', '12345热线回应', '围绕热线高频问题发布解读，回应关切。');
    await submit('sl1', '水利政策图解', '以图解方式解读防汛政策，阅读量过万。');
    expect(await reviewCardsNow()).toBe(3);
    const cards = cardsOf(bot, 'boss');
    expect(cards).toHaveLength(2);
    const digest = cardBody(cards[1]!);
    expect(digest.main_title).toEqual({ title: '3 个新案例待审核', desc: '征集1《第一季度典型案例》' });
    expect(digest.horizontal_content_list?.map((line) => line.keyname)).toEqual([
      'C2 张店区',
      'C3 张店区',
      'C4 市水利局',
    ]);
    expect(digest.button_list).toEqual([{ text: '逐个审核', style: 1, key: 'case:cards:2-3-4' }]);
    await click(bot, 'boss', cards[1]!, 'case:cards:2-3-4');
    const singles = cardsOf(bot, 'boss').slice(2);
    expect(singles.map((card) => cardBody(card).main_title.title)).toEqual([
      '案例C2待审核',
      '案例C3待审核',
      '案例C4待审核',
    ]);
  });

  it('采纳 from the card tells the unit; a second click changes nothing and tells nobody again', async () => {
    const card = cardsOf(bot, 'boss')[0]!;
    const first = await click(bot, 'boss', card, buttonKey(card, '采纳'));
    expect(first.replies).toBe('已采纳案例C1，已通知张店区 1 名联络员。');
    expect(bot.texts('zd1').at(-1)).toBe('【案例审核】案例C1《政务公开专区改版》已采纳。');
    const told = bot.texts('zd1').length;
    // boss2 clicks the same case on their own card.
    const other = cardsOf(bot, 'boss2')[0]!;
    const second = await click(bot, 'boss2', other, 'case:accept:1');
    expect(second.replies).toBe('案例C1已是“已采纳”状态。');
    expect(bot.texts('zd1')).toHaveLength(told);
    const audits = await db().getRepository(AuditLog).findBy({ action: 'case.accept', target: 'C1' });
    expect(audits).toHaveLength(1);
  });

  it('退回 from the card asks for the reason; read-only commands are answered meanwhile', async () => {
    const card = cardsOf(bot, 'boss').find((d) => cardBody(d).main_title.title === '案例C2待审核')!;
    const asked = await click(bot, 'boss', card, 'case:return:2');
    expect(asked.replies).toContain('退回案例C2《办事指南逐项校核》：请发送退回理由');
    expect(await ask('boss', '案例 C3')).toContain('（正在《退回案例》：请发送退回理由，或回复“取消”）');
    expect(await ask('boss', '缺少量化成效')).toBe('已退回案例C2，已通知张店区 1 名联络员。');
    expect(bot.texts('zd1').at(-1)).toContain(
      '【案例审核】案例C2《办事指南逐项校核》已退回，理由：缺少量化成效',
    );
    expect(await conversation('boss')).toBeNull();
    expect((await cases().findOneByOrFail({ id: 2 })).status).toBe('returned');
    // 退回 again on a returned case: nothing to ask.
    expect((await click(bot, 'boss', card, 'case:return:2')).replies).toBe('案例C2已是“已退回”状态。');
  });

  it('a supervisor demoted to liaison cannot 采纳 from an old card', async () => {
    const digest = cardsOf(bot, 'boss2')[1]!;
    await click(bot, 'boss2', digest, 'case:cards:2-3-4');
    const single = cardsOf(bot, 'boss2').find((d) => cardBody(d).main_title.title === '案例C3待审核')!;
    await db().getRepository(Person).update({ userid: 'boss2' }, { role: 'liaison' });
    const { replies } = await click(bot, 'boss2', single, 'case:accept:3');
    expect(replies).toContain('仅限督办');
    expect((await cases().findOneByOrFail({ id: 3 })).status).toBe('submitted');
    await db().getRepository(Person).update({ userid: 'boss2' }, { role: 'supervisor' });
  });
});

describe('案例列表 and 案例 C7', () => {
  it('lists a call’s cases, per unit, with the C-number; unknown targets are named', async () => {
    const all = await ask('boss', '案例列表');
    expect(all).toContain('**案例列表｜征集1《第一季度典型案例》**');
    expect(all).toContain('共 4 个案例，待审核 2 个');
    expect(all).toContain('C1【已采纳】张店区｜政务公开专区改版');
    expect(all).toContain('C4<font color="warning">【待审核】</font>市水利局｜水利政策图解');
    const zd = await ask('boss', '案例列表 张店区');
    expect(zd).toContain('**案例列表｜征集1《第一季度典型案例》｜张店区**');
    expect(zd).not.toContain('C4');
    expect(await ask('boss', '案例列表 征集9')).toBe('没有找到征集9。');
    expect(await ask('boss', '案例列表 不存在的单位')).toContain('没有找到“不存在的单位”');
    expect(await ask('zd1', '案例列表')).toBe('该命令仅限督办人员使用。');
  });

  it('案例 C7: the whole case for a supervisor with its card; a liaison sees only the unit’s', async () => {
    const before = cardsOf(bot, 'boss').length;
    const shown = await ask('boss', '案例 C4');
    expect(shown).toContain('案例C4【已提交】');
    expect(shown).toContain('单位：市水利局');
    expect(shown).toContain('以图解方式解读防汛政策，阅读量过万。');
    expect(cardsOf(bot, 'boss')).toHaveLength(before + 1);
    expect(cardBody(lastCard('boss')).main_title.title).toBe('案例C4待审核');

    expect(await ask('zd1', '案例 C2')).toContain('退回理由：缺少量化成效');
    expect(await ask('zd1', '案例 C2')).not.toContain('审核案例');
    // Another unit's case reads as missing to a liaison.
    expect(await ask('zd1', '案例 C4')).toBe('没有找到本单位的案例C4。发送“我的案例”查看。');
    const denied = await db().getRepository(AuditLog).findBy({ action: 'case.view', result: 'denied' });
    expect(denied.map((row) => [row.actor, row.target])).toEqual([['zd1', 'C4']]);
    expect(await ask('boss', '案例 C99')).toBe('没有找到案例C99。');
  });

  it('is answered in the middle of a dialog, which goes on', async () => {
    await ask('zc1', '提交案例');
    const answer = await ask('zc1', '案例 C1');
    expect(answer).toContain('没有找到本单位的案例C1');
    expect(answer).toContain('（正在《提交案例》');
    expect((await conversation('zc1'))?.flow).toBe('case-draft');
    await ask('zc1', '取消');
  });
});

describe('延长征集', () => {
  it('refuses an unknown call, a past date and an earlier date; then extends and tells the liaisons', async () => {
    expect(await ask('boss', '延长征集 征集9 3月31日')).toBe('没有找到征集9。发送“案例进度”查看征集。');
    expect(await ask('boss', '延长征集 3月31日')).toContain('请写明征集编号');
    expect(await ask('boss', '延长征集 征集1 2023-03-10')).toContain('已过');
    expect((await conversation('boss'))?.flow).toBe('case-call-deadline');
    expect(await ask('boss', '3月20日')).toContain('新的截止时间应晚于当前的 2023-03-24（周五）24时');
    const before = bot.texts('zc1').length;
    expect(await ask('boss', '3月31日')).toBe(
      '已将征集1《第一季度典型案例》的截止时间由 2023-03-24（周五）24时 延长至 2023-03-31（周五）24时，已通知 3 名联络员。',
    );
    expect(bot.texts('zc1').slice(before)).toEqual([
      '【案例征集】征集1《第一季度典型案例》截止时间延长至 2023-03-31（周五）24时。本单位已提交 0/5，还需 5 个，截止 3月31日（还剩10个工作日）。发送“提交案例”提交。',
    ]);
    const call = await calls().findOneByOrFail({ id: 1 });
    expect(formatIso(call.deadline)).toBe('2023-04-01T00:00:00+08:00');
    expect(await conversation('boss')).toBeNull();
  });

  it('an earlier date typed with the command asks again in the dialog', async () => {
    expect(await ask('boss', '延长征集 征集1 3月27日')).toContain(
      '新的截止时间应晚于当前的 2023-03-31（周五）24时',
    );
    expect((await conversation('boss'))?.flow).toBe('case-call-deadline');
    expect(await ask('boss', '取消')).toBe('已取消。');
  });

  it('a date it cannot read, typed with the command, says the dialog waits for the date', async () => {
    expect(await ask('boss', '延长征集 征集1 2月30日')).toBe(
      '日期“2月30日”不存在，请检查。请直接发送新的截止时间，或回复“取消”。',
    );
    expect((await conversation('boss'))?.flow).toBe('case-call-deadline');
    expect(await ask('boss', '取消')).toBe('已取消。');
  });

  it('takes any phrase of the date reader, e.g. N个工作日', async () => {
    expect(await ask('boss', '延长征集 征集1 12个工作日')).toContain('延长至 2023-04-04');
  });
});

describe('结束案例征集', () => {
  it('previews the shortfall, closes on 确认, tells every liaison; a second 确认 does nothing', async () => {
    const preview = await ask('boss', '结束案例征集');
    expect(preview).toContain('**结束征集1《第一季度典型案例》？**');
    expect(preview).toContain('达标 1/3 个单位');
    expect(preview).toContain('> 张店区 已提交 2/5，还需 3 个');
    expect(preview).toContain('> 淄川区 已提交 0/5，还需 5 个');
    expect(preview).toContain('回复“确认”结束征集；回复“取消”放弃。');
    expect((await calls().findOneByOrFail({ id: 1 })).status).toBe('open');
    expect(await ask('boss', '好的')).toContain('没有看懂。回复“确认”结束征集');

    const before = {
      zd1: bot.texts('zd1').length,
      zc1: bot.texts('zc1').length,
      sl1: bot.texts('sl1').length,
    };
    const done = await ask('boss', '确认');
    expect(done).toContain('已结束征集1《第一季度典型案例》，已通知 3 名联络员。');
    expect(done).toContain('达标 1/3 个单位');
    expect(bot.texts('zc1').slice(before.zc1)).toEqual([
      '【案例征集】征集1《第一季度典型案例》已结束，不能再提交、修改或撤回案例。本单位最终已提交 0/5，未达标，差 5 个。',
    ]);
    expect(bot.texts('sl1').slice(before.sl1)).toEqual([
      '【案例征集】征集1《第一季度典型案例》已结束，不能再提交、修改或撤回案例。本单位最终已提交 1/1，已达标。',
    ]);
    expect(bot.texts('zd1')).toHaveLength(before.zd1 + 1);

    const again = await ask('boss', '确认');
    expect(again).not.toContain('已结束征集1');
    expect(bot.texts('zc1')).toHaveLength(before.zc1 + 1);
    expect(await ask('boss', '结束案例征集 征集1')).toBe('征集1已结束。');
    const audits = await db().getRepository(AuditLog).findBy({ action: 'case-call.close' });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.detail).toBe('达标 1/3');
    expect(await ask('boss', '延长征集 征集1 4月10日')).toContain('征集1已结束；如需继续征集');
  });

  it('the closed call stays in 进度, 周报 and the board with its final shortfall', async () => {
    const progress = await ask('boss', '进度');
    expect(progress).toContain('**征集1**《第一季度典型案例》：达标 1/3 个单位');
    expect(progress).toContain('已于 2023-03-17（周五）10:00 结束征集');
    expect(progress).toContain('最终未达标：淄川区 0/5、张店区 2/5');
    // No longer a live flag: nobody is red or yellow for a closed call.
    expect(progress).not.toContain('案例征集 1');
    expect(await ask('boss', '周报')).toContain('最终未达标：淄川区 0/5、张店区 2/5');
    const calendar = await bot.runtime.jobDeps.calendar.get();
    const overview = await db().transaction((tx) => boardOverview(tx, { now: bot.clock.now(), calendar }));
    expect(
      overview.model.caseCalls.map((call) => [call.ref, call.met, call.owing, Boolean(call.closedAt)]),
    ).toEqual([['征集1', 1, 3, true]]);
    expect(overview.caseCharts.map((chart) => chart.callId)).toEqual([1]);
  });
});

describe('重新开放征集', () => {
  it('reopens while the deadline is ahead and tells the liaisons; refuses an open call', async () => {
    const before = bot.texts('zc1').length;
    expect(await ask('boss', '重新开放征集 征集9')).toBe('没有找到征集9。发送“案例进度”查看征集。');
    expect(await ask('boss', '重新开放征集 征集1')).toBe(
      '已重新开放征集1《第一季度典型案例》，2023-04-04（周二）24时截止，已通知 3 名联络员。',
    );
    expect(bot.texts('zc1').slice(before)[0]).toContain('【案例征集】征集1《第一季度典型案例》重新开放');
    expect(await ask('boss', '重新开放征集 征集1')).toContain('征集1仍在征集中');
    expect(await ask('zc1', '提交案例')).toContain('向征集1《第一季度典型案例》提交案例');
    await ask('zc1', '取消');
  });

  it('after the deadline it asks for a new one (a past one refused)', async () => {
    await ask('boss', '结束案例征集');
    await ask('boss', '确认');
    bot.clock.set(new Date('2023-04-06T02:00:00Z'));
    expect(await ask('boss', '重新开放征集 征集1')).toContain('已过期。请发送新的截止时间');
    expect(await ask('boss', '2023-04-01')).toContain('已过');
    expect(await ask('boss', '4月14日')).toContain(
      '已重新开放征集1《第一季度典型案例》，2023-04-14（周五）24时截止',
    );
    expect((await calls().findOneByOrFail({ id: 1 })).status).toBe('open');
  });
});

describe('the dialogs on the kit', () => {
  it('发起案例征集: 修改 配额 goes back to one step and then to the preview; 案例列表 is answered meanwhile', async () => {
    await ask('boss', '发起案例征集 第二轮');
    await ask('boss', '4月28日');
    const preview = await ask('boss', '默认');
    expect(preview).toContain('回复“确认”发出征集；回复“修改 标题”（或 截止、配额）修改；回复“取消”放弃。');
    const meanwhile = await ask('boss', '案例列表 征集1');
    expect(meanwhile).toContain('**案例列表｜征集1《第一季度典型案例》**');
    expect(meanwhile).toContain('（正在《发起案例征集》');
    expect(await ask('boss', '修改 配额')).toContain('请设置各类单位至少提报的案例数');
    const again = await ask('boss', '区县2 市直部门0');
    expect(again).toContain('配额：区县2 功能区5');
    expect(again).toContain('将通知：区县2个单位，共 2 名联络员');
    await ask('boss', '取消');
    expect(await calls().count()).toBe(1);
  });

  it('a supervisor demoted at the close preview cannot 确认: the dialog ends, the call stays open', async () => {
    expect(await ask('boss2', '结束案例征集')).toContain('**结束征集1《第一季度典型案例》？**');
    await db().getRepository(Person).update({ userid: 'boss2' }, { role: 'liaison' });
    expect(await ask('boss2', '确认')).toContain('《结束案例征集》已结束，未保存任何内容');
    expect((await calls().findOneByOrFail({ id: 1 })).status).toBe('open');
    await db().getRepository(Person).update({ userid: 'boss2' }, { role: 'supervisor' });
  });

  it('a liaison’s 我的案例 keeps a closed call with the unit’s final count', async () => {
    await ask('boss', '结束案例征集');
    await ask('boss', '确认');
    const mine = await ask('zd1', '我的案例');
    expect(mine).toContain('**征集1《第一季度典型案例》**');
    expect(mine).toContain('已提交 2/5，还需 3 个，已结束征集');
    expect(await ask('zd1', '提交案例')).toBe('当前没有进行中的案例征集。');
  });

  it('逐个审核 on a digest whose cases were all settled says so', async () => {
    await ask('boss', '审核案例 C3 采纳');
    await ask('boss', '审核案例 C4 采纳');
    const digest = cardsOf(bot, 'boss').find((d) => cardBody(d).main_title.title === '3 个新案例待审核')!;
    expect((await click(bot, 'boss', digest, 'case:cards:2-3-4')).replies).toBe(
      '这些案例都已审核或撤回。发送“案例列表”查看全部。',
    );
  });
});

describe('a unit with many channels', () => {
  it('pages the channel list with 更多 and takes a number from a later page', async () => {
    const zichuan = await db().getRepository(Unit).findOneByOrFail({ name: '淄川区' });
    for (let i = 1; i <= 25; i++) {
      await db()
        .getRepository(Website)
        .save({
          name: `淄川区网站${i}`,
          siteCode: `37030300${String(i).padStart(2, '0')}`,
          domain: `s${i}.zichuan.gov.cn`,
          unitId: zichuan.id,
          status: 'active',
        });
    }
    expect(await ask('boss', '重新开放征集 征集1')).toContain('已重新开放征集1');
    await ask('zc1', '提交案例');
    const first = await ask('zc1', '1');
    expect(first).toContain('20. 政府网站：淄川区网站19');
    expect(first).toContain('（另有 7 项，回复“更多”查看）');
    const more = await ask('zc1', '更多');
    expect(more).toContain('21. 政府网站：淄川区网站20');
    expect(more).toContain('27. 政务新媒体（不指定具体账号）');
    expect(await ask('zc1', '23')).toContain('渠道：政府网站：淄川区网站22');
    await ask('zc1', '取消');
  });
});
