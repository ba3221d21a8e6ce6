// The core loop end to end, through encrypted callbacks and the fake WeCom API: a supervisor
// assigns a task to three units by chat, a liaison clicks the card and replies with text and a file,
// the supervisor returns it, the unit resubmits, it is accepted; plus permissions and extensions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeComApiError } from '../src/bot/api-errors.js';
import type { Delivery } from '../src/sandbox/fake-wecom.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { ExtensionRequest } from '../src/entities/extension-request.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { Task } from '../src/entities/task.js';
import { TaskReply } from '../src/entities/task-reply.js';
import { TaskReview } from '../src/entities/task-review.js';
import { loadFile } from '../src/db/files.js';
import { resolveUnitNames } from '../src/services/directory/lookup.js';
import { buttonKey, cardBody, cardsOf, clickButton, sendFileAs, sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { DISTRICTS, ZONES, addDistrictsAndZones } from './support/units.js';

const DEPARTMENTS = ['市水利局', '市公安局', '市大数据局'];

let bot: TestBot;

beforeAll(async () => {
  // Friday 2026-03-20, 09:00 in Shanghai.
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z' });
  await addDistrictsAndZones(bot);
  for (const name of DEPARTMENTS) await bot.addUnit(name, 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('sup2', { name: '王督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('zd1', { name: '张一', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zd2', { name: '张二', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zc', { name: '淄川联络员', role: 'liaison', unit: '淄川区' });
  await bot.addPerson('bs', { name: '博山联络员', role: 'liaison', unit: '博山区' });
  await bot.addPerson('sl', { name: '水利联络员', role: 'liaison', unit: '市水利局' });
});

afterAll(async () => {
  await bot.close();
});

const db = () => bot.database.dataSource;

/** Sends a text a minute after the last step; returns everything the member got back. */
async function say(userid: string, content: string): Promise<string> {
  bot.clock.advance(60_000);
  return (await sendText(bot, userid, content)).replies.join('\n');
}

/** Clicks a card button as WeCom does, a minute after the last step. */
async function click(userid: string, delivery: Delivery, label: string) {
  bot.clock.advance(60_000);
  const clicked = await clickButton(bot, userid, delivery, buttonKey(delivery, label));
  return { result: clicked.result, responseCode: clicked.responseCode, texts: clicked.replies.join('\n') };
}

async function sendFile(userid: string, fileName: string, data: Buffer): Promise<string> {
  return (await sendFileAs(bot, userid, fileName, data)).replies.join('\n');
}

const tasks = () =>
  db()
    .getRepository(Task)
    .find({ order: { id: 'ASC' } });

describe('unit names', () => {
  it('全部区县 expands to the eight districts, 全部功能区 to the zones only', async () => {
    const districts = await resolveUnitNames(db().manager, '全部区县');
    expect(districts.units.map((unit) => unit.name).sort()).toEqual([...DISTRICTS].sort());
    const zones = await resolveUnitNames(db().manager, '全部功能区');
    expect(zones.units.map((unit) => unit.name).sort()).toEqual([...ZONES].sort());
    const mixed = await resolveUnitNames(db().manager, '全部区县、高新区 市水利局');
    expect(mixed.units).toHaveLength(10);
  });

  it('lists unknown names with the closest matches', async () => {
    const resolved = await resolveUnitNames(db().manager, '张店区，水力局');
    expect(resolved.units.map((unit) => unit.name)).toEqual(['张店区']);
    expect(resolved.unknown[0]!.name).toBe('水力局');
    expect(resolved.unknown[0]!.suggestions).toContain('市水利局');
  });
});

describe('assign, reply, return, resubmit, accept', () => {
  let first: Delivery;

  it('下发任务 walks through the steps and creates nothing before 确认', async () => {
    expect(await say('zd1', '下发任务')).toBe('该命令仅限督办人员使用。');
    expect(await say('sup', '下发任务')).toContain('请选择任务类型');
    expect(await say('sup', '9')).toContain('请回复 1–4 的序号或名称选择任务类型');
    expect(await say('sup', '1')).toContain('请输入任务标题');
    expect(await say('sup', '首页信息更新不及时整改')).toContain('请输入任务要求');
    // The requirement goes to every liaison of the units: personal information is refused there
    // as in a reply, and the refused text is kept nowhere, not even in the dialog.
    const blocked = await say('sup', '请联系张三（身份证110101199003074514）核实后整改。');
    expect(blocked).toContain('身份证');
    expect(blocked).not.toContain('请输入责任单位');
    const dialogs = await db().getRepository(ConversationState).find();
    expect(JSON.stringify(dialogs)).not.toContain('110101199003074514');
    expect(await say('sup', '请对首页“工作动态”栏目长期未更新问题进行整改，并报送整改情况。')).toContain(
      '请输入责任单位',
    );
    const unknown = await say('sup', '张店区、淄川区、水力局');
    expect(unknown).toContain('“水力局”：您是否要找 市水利局');
    expect(await say('sup', '张店区、淄川区，博山区')).toContain('请输入截止时间');
    expect(await say('sup', '下个世纪')).toContain('没有看懂');
    const preview = await say('sup', '3月27日前');
    expect(preview).toContain('请确认下发任务');
    expect(preview).toContain('单位（3个）：张店区、淄川区、博山区');
    expect(preview).toContain('2026-03-27（周五）24时截止，还剩5个工作日');
    expect(await tasks()).toHaveLength(0);

    // 修改 goes back to one field and returns to the preview.
    expect(await say('sup', '修改 标题')).toContain('请输入新的任务标题');
    expect(await say('sup', '首页栏目更新不及时整改')).toContain('标题：首页栏目更新不及时整改');
    expect(await tasks()).toHaveLength(0);

    const done = await say('sup', '确认');
    expect(done).toContain('已下发 3 项任务：T1 张店区、T2 淄川区、T3 博山区');
    const created = await tasks();
    expect(created.map((task) => [task.id, task.status, task.kind, task.deadline.toISOString()])).toEqual([
      [1, 'pending', 'rectification', '2026-03-27T16:00:00.000Z'],
      [2, 'pending', 'rectification', '2026-03-27T16:00:00.000Z'],
      [3, 'pending', 'rectification', '2026-03-27T16:00:00.000Z'],
    ]);
    expect(created.every((task) => task.title === '首页栏目更新不及时整改' && !task.deadlineEstimated)).toBe(
      true,
    );
    const audits = await db().getRepository(AuditLog).findBy({ action: 'task.create' });
    expect(audits.map((row) => row.target).sort()).toEqual(['task:1', 'task:2', 'task:3']);
  });

  it('sends each liaison of the three units one card, and nobody else', async () => {
    for (const userid of ['zd1', 'zd2', 'zc', 'bs']) expect(cardsOf(bot, userid)).toHaveLength(1);
    expect(cardsOf(bot, 'sl')).toHaveLength(0);
    first = cardsOf(bot, 'zd1')[0]!;
    const body = cardBody(first);
    expect(body.main_title.title).toBe('T1 首页栏目更新不及时整改');
    expect(body.button_list.map((button) => button.text)).toEqual(['提交办理情况', '申请延期', '查看详情']);
    expect(body.horizontal_content_list).toContainEqual({ keyname: '责任单位', value: '张店区' });
    expect(body.horizontal_content_list).toContainEqual({
      keyname: '截止时间',
      value: '2026-03-27（周五）24时',
    });
    expect(body.horizontal_content_list).toContainEqual({ keyname: '剩余', value: '还剩5个工作日' });
    // task_id is unique per recipient.
    expect(cardBody(cardsOf(bot, 'zd2')[0]!).task_id).not.toBe(body.task_id);
  });

  it('the card’s 提交办理情况 starts the reply and leaves the button as it is for now', async () => {
    const updatesBefore = bot.fake.calls.filter((call) => call.path.endsWith('update_template_card')).length;
    const { result, texts } = await click('zd1', first, '提交办理情况');
    expect(result.reply?.msgType).toBe('text');
    expect(texts).toContain('请发送 T1「首页栏目更新不及时整改」的办理情况');
    // The click's response code is kept for when the reply is in (取消 would leave the card usable).
    expect(bot.fake.calls.filter((call) => call.path.endsWith('update_template_card'))).toHaveLength(
      updatesBefore,
    );
    const state = await db().getRepository(ConversationState).findOneByOrFail({ userid: 'zd1' });
    expect(state.data).toMatchObject({ draft: { taskId: 1 } });
    expect(typeof (state.data as { draft: { cardCode?: unknown } }).draft.cardCode).toBe('string');
  });

  it('collects text and a file, then 提交 stores them and sends supervisors the review card', async () => {
    expect(await say('zd1', '已完成首页“工作动态”栏目更新，')).toContain('文字1段，附件0个');
    expect(await say('zd1', '并建立每周更新机制。')).toContain('文字2段，附件0个');
    const bytes = Buffer.from('整改报告：首页栏目已更新。'.repeat(20));
    expect(await sendFile('zd1', '整改报告.docx', bytes)).toContain('文字2段，附件1个');
    expect(await say('zd1', '提交')).toContain('已提交 T1 的办理情况（附件1个）');
    // The card the reply was started from now reads 已提交, through the API with that click's code.
    await bot.flush();
    expect(bot.inbox('zd1').find((d) => d.msgid === first.msgid)!.replaceName).toBe('已提交');

    const task = await db().getRepository(Task).findOneByOrFail({ id: 1 });
    expect(task.status).toBe('submitted');
    const [reply] = await db().getRepository(TaskReply).findBy({ taskId: 1 });
    expect(reply!.text).toBe('已完成首页“工作动态”栏目更新，\n并建立每周更新机制。');
    expect(reply!.userid).toBe('zd1');
    expect(reply!.fileIds).toHaveLength(1);
    // WeCom's media id lives 3 days; the bot kept the bytes.
    bot.clock.advance(4 * 86_400_000);
    const stored = await loadFile(db().manager, reply!.fileIds[0]!);
    expect(stored.data.equals(bytes)).toBe(true);
    expect(stored.file.fileName).toBe('整改报告.docx');
    bot.clock.advance(-4 * 86_400_000);

    // The creator is also a supervisor: one card each, not two.
    expect(cardsOf(bot, 'sup')).toHaveLength(1);
    expect(cardsOf(bot, 'sup2')).toHaveLength(1);
    const review = cardBody(cardsOf(bot, 'sup')[0]!);
    expect(review.main_title.title).toContain('待审核 T1');
    expect(review.quote_area?.quote_text).toContain('已完成首页“工作动态”栏目更新');
    expect(review.button_list.map((button) => button.text)).toEqual(['通过', '退回', '查看详情']);
    expect(await say('zd1', '我的任务')).toContain('已提交待审');
  });

  it('查看详情 shows the reply to a supervisor, with its file', async () => {
    const { texts } = await click('sup2', cardsOf(bot, 'sup2')[0]!, '查看详情');
    expect(texts).toContain('T1 首页栏目更新不及时整改');
    expect(texts).toContain('张一 提交办理情况');
    expect(texts).toContain('附件：整改报告.docx');
    expect(bot.inbox('sup2').at(-1)!.msgtype).toBe('file');
  });

  it('退回 asks for the reason and sends it to the unit’s liaisons with a new card', async () => {
    const { result, texts } = await click('sup', cardsOf(bot, 'sup')[0]!, '退回');
    expect(result.reply).toMatchObject({ msgType: 'update_button', replaceName: '退回中' });
    expect(texts).toContain('请输入退回 T1 的理由');
    expect(await say('sup', '请补充整改前后的页面截图')).toContain('已退回 T1（张店区），已通知联络员');

    const task = await db().getRepository(Task).findOneByOrFail({ id: 1 });
    expect(task.status).toBe('pending');
    expect(task.returnReason).toBe('请补充整改前后的页面截图');
    const reviews = await db().getRepository(TaskReview).findBy({ taskId: 1 });
    expect(reviews.map((review) => [review.decision, review.reviewer])).toEqual([['return', 'sup']]);
    for (const userid of ['zd1', 'zd2']) {
      const returned = cardBody(cardsOf(bot, userid).at(-1)!);
      expect(returned.quote_area).toMatchObject({
        title: '退回理由',
        quote_text: '请补充整改前后的页面截图',
      });
      expect(returned.main_title.desc).toContain('被退回');
    }
    expect(await say('zd2', '我的任务')).toMatch(/T1\*\* 首页栏目更新不及时整改\n.*已退回/);
  });

  it('another liaison of the unit resubmits from the returned card', async () => {
    const { texts } = await click('zd2', cardsOf(bot, 'zd2').at(-1)!, '提交办理情况');
    expect(texts).toContain('上次退回理由：请补充整改前后的页面截图');
    await sendFile('zd2', '截图.png', Buffer.from('PNG-bytes-of-a-screenshot'));
    expect(await say('zd2', '提交')).toContain('请先发送办理情况文字');
    await say('zd2', '已补充整改前后截图。');
    expect(await say('zd2', '提交')).toContain('已提交 T1');
    expect((await db().getRepository(Task).findOneByOrFail({ id: 1 })).status).toBe('submitted');
    expect(cardsOf(bot, 'sup')).toHaveLength(2);
  });

  it('a review card for the earlier submission is stale and changes nothing', async () => {
    const { result, texts } = await click('sup2', cardsOf(bot, 'sup2')[0]!, '通过');
    expect(texts).toContain('较早的一次提交');
    expect(result.reply).toMatchObject({ msgType: 'update_button', replaceName: '已处理' });
    expect((await db().getRepository(Task).findOneByOrFail({ id: 1 })).status).toBe('submitted');
    expect(await db().getRepository(TaskReview).countBy({ taskId: 1 })).toBe(1);
  });

  it('审核 T1 通过 closes it and tells the liaisons', async () => {
    expect(await say('zd1', '审核 T1 通过')).toBe('该命令仅限督办人员使用。');
    expect(await say('sup', '审核 T1 通过')).toContain('已审核通过 T1（张店区），任务已办结');
    const task = await db().getRepository(Task).findOneByOrFail({ id: 1 });
    expect(task.status).toBe('done');
    expect(task.doneAt).not.toBeNull();
    expect(bot.texts('zd1').at(-1)).toContain('已审核通过，任务已办结');
    expect(bot.texts('zd2').at(-1)).toContain('已审核通过，任务已办结');
    expect(await say('zd1', '我的任务')).toContain('张店区目前没有未办结的任务');
    const list = await say('zc', '待办');
    expect(list).toContain('**T2** 首页栏目更新不及时整改');
    expect(list).toContain('还剩5个工作日 · 待办');
  });

  it('the other supervisor’s card for a closed task answers clearly and changes nothing', async () => {
    const reviewsBefore = await db().getRepository(TaskReview).countBy({ taskId: 1 });
    const { result, texts } = await click('sup2', cardsOf(bot, 'sup2')[1]!, '通过');
    expect(texts).toContain('任务 T1 已办结，无需再审核');
    expect(result.reply).toMatchObject({ msgType: 'update_button', replaceName: '已办结' });
    expect(await db().getRepository(TaskReview).countBy({ taskId: 1 })).toBe(reviewsBefore);
  });

  it('the history reads in order in 任务 T1', async () => {
    const detail = await say('zd1', '任务 T1');
    expect(detail).toContain('状态：已办结');
    const order = [
      '张一 提交办理情况',
      '李督办 审核<font color="warning">退回</font>',
      '张二 提交办理情况',
      '审核<font color="info">通过</font>',
    ];
    const positions = order.map((part) => detail.indexOf(part));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('replies that are refused change nothing', () => {
  async function snapshot() {
    return {
      replies: await db().getRepository(TaskReply).count(),
      tasks: (await tasks()).map((task) => `${task.id}:${task.status}`),
      conversations: await db().getRepository(ConversationState).count(),
      audits: await db().getRepository(AuditLog).countBy({ result: 'ok' }),
    };
  }

  it.each([
    ['a task of another unit', 'zc', '办理 T1', '任务 T1 不是本单位的任务，无法办理。'],
    ['a closed task', 'zd1', '办理 T1', '任务 T1 已办结，无需再操作。'],
    ['an unknown task', 'zd1', '办理 T999', '没有找到任务 T999，请发送“我的任务”查看本单位的任务。'],
    ['no task number', 'zd1', '办理 首页', '没有找到任务 首页'],
    ['a supervisor', 'sup', '办理 T2', '该命令仅限联络员使用。'],
  ])('%s', async (_name, userid, command, message) => {
    const before = await snapshot();
    expect(await say(userid, command)).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it('a card of a closed task answers clearly, greys the button and changes nothing', async () => {
    const before = await snapshot();
    const { result, texts } = await click('zd2', cardsOf(bot, 'zd2')[0]!, '提交办理情况');
    expect(texts).toContain('任务 T1 已办结，无需再操作。');
    expect(result.reply).toMatchObject({ msgType: 'update_button', replaceName: '已办结' });
    expect(await snapshot()).toEqual(before);
  });

  it('a liaison cannot see another unit’s task', async () => {
    expect(await say('bs', '任务 T1')).toContain('不是本单位的任务');
  });

  it('audits the attempt on another unit’s task', async () => {
    const denied = await db().getRepository(AuditLog).findBy({ actor: 'zc', result: 'denied' });
    expect(denied.some((row) => row.target === 'task:1')).toBe(true);
  });
});

describe('extensions', () => {
  it('a liaison asks with a reason and a date; supervisors get approve/reject cards', async () => {
    expect(await say('zc', '延期 T2 需要协调技术服务公司改版')).toContain('请输入申请延期至的时间');
    expect(await say('zc', '3月26日')).toContain('应晚于当前截止时间');
    expect(await say('zc', '4月3日')).toContain('已提交延期申请：T2 申请延至 2026-04-03（周五）24时');
    const [request] = await db().getRepository(ExtensionRequest).findBy({ taskId: 2 });
    expect(request).toMatchObject({
      status: 'pending',
      requestedBy: 'zc',
      reason: '需要协调技术服务公司改版',
    });
    expect(request!.requestedDeadline.toISOString()).toBe('2026-04-03T16:00:00.000Z');
    for (const userid of ['sup', 'sup2']) {
      const ext = cardBody(cardsOf(bot, userid).at(-1)!);
      expect(ext.main_title.title).toContain('延期申请 T2');
      expect(ext.button_list.map((button) => button.text)).toEqual(['同意', '拒绝', '查看详情']);
    }
    expect(await say('zc', '延期 T2 再申请一次')).toContain('已有待审批的延期申请');
    expect(await say('zc', '我的任务')).toContain('延期申请中');
  });

  it('同意 on the card moves the deadline; the second card is already settled', async () => {
    const { result } = await click('sup', cardsOf(bot, 'sup').at(-1)!, '同意');
    expect(result.reply).toMatchObject({ msgType: 'update_button', replaceName: '已同意' });
    const task = await db().getRepository(Task).findOneByOrFail({ id: 2 });
    expect(task.deadline.toISOString()).toBe('2026-04-03T16:00:00.000Z');
    expect(bot.texts('zc').at(-1)).toContain('延期申请已同意。新的截止时间：2026-04-03（周五）24时截止');

    const second = await click('sup2', cardsOf(bot, 'sup2').at(-1)!, '拒绝');
    expect(second.texts).toContain('已处理（已同意）');
    expect(second.result.reply).toMatchObject({ replaceName: '已处理' });
    expect((await db().getRepository(Task).findOneByOrFail({ id: 2 })).deadline.toISOString()).toBe(
      '2026-04-03T16:00:00.000Z',
    );
  });

  it('延期 T3 拒绝 <理由> by text keeps the deadline and tells the unit why', async () => {
    const { texts } = await click('bs', cardsOf(bot, 'bs')[0]!, '申请延期');
    expect(texts).toContain('请说明理由');
    expect(await say('bs', '人员外出培训')).toContain('请输入申请延期至的时间');
    // 5 working days from Friday 03-20 is 03-27, the current deadline: not later.
    expect(await say('bs', '5个工作日')).toContain('应晚于当前截止时间');
    expect(await say('bs', '8个工作日')).toContain('已提交延期申请：T3 申请延至 2026-04-01（周三）24时');
    expect(await say('sup', '延期 T3')).toContain('用法');
    expect(await say('sup', '延期 T3 拒绝 请按期完成')).toContain('已拒绝 T3（博山区）的延期申请');
    expect(bot.texts('bs').at(-1)).toContain(
      '未获同意（请按期完成），截止时间不变：2026-03-27（周五）24时截止',
    );
    const task = await db().getRepository(Task).findOneByOrFail({ id: 3 });
    expect(task.deadline.toISOString()).toBe('2026-03-27T16:00:00.000Z');
    expect(await say('sup', '延期 T3 同意')).toContain('没有待审批的延期申请');
    const actions = (await db().getRepository(AuditLog).findBy({ target: 'task:3' })).map(
      (row) => row.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['task.create', 'task.extension.request', 'task.extension.reject']),
    );
  });
});

describe('the personal-information gate on replies', () => {
  it('blocks a mobile number, keeps the image, and stores a confirmed landline with its findings', async () => {
    expect(await say('zc', '办理 T2')).toContain('请发送 T2');
    // The card's button, clicked while the reply is already under way, is kept to grey it later.
    const card = cardsOf(bot, 'zc')[0]!;
    expect((await click('zc', card, '提交办理情况')).texts).toContain('请继续发送 T2 的办理情况');
    // A piece with a blocking finding is refused as it arrives and never kept in the dialog state.
    const refused = await say('zc', '已整改，联系人 13812345678');
    expect(refused).toContain('提交未受理');
    expect(refused).toContain('138****5678');
    expect(refused).not.toContain('13812345678');
    expect(refused).toContain('这条消息未记录');
    const state = await db().getRepository(ConversationState).findOneByOrFail({ userid: 'zc' });
    expect(JSON.stringify(state.data)).not.toContain('13812345678');
    // A read-only command is answered and the reply goes on.
    const aside = await say('zc', '我的任务');
    expect(aside).toContain('淄川区 未办结任务');
    expect(aside).toContain('（正在《提交办理情况》：');
    bot.fake.media.set('media_photo_1', {
      data: Buffer.from('JPEG-bytes-of-a-photo'),
      fileName: '整改后.jpg',
      contentType: 'image/jpeg',
      createdAt: bot.clock.now().getTime(),
    });
    const image = await bot.client.post(bot.client.imageXml('zc', 'media_photo_1'));
    await bot.flush();
    expect(image.reply?.content).toContain('文字0段，附件1个');

    expect(await say('zc', '提交')).toContain('请先发送办理情况文字');
    expect(await db().getRepository(TaskReply).countBy({ taskId: 2 })).toBe(0);
    expect((await db().getRepository(Task).findOneByOrFail({ id: 2 })).status).toBe('pending');

    expect(await say('zc', '已整改完毕，咨询电话 0533-2345678')).toContain('文字1段，附件1个');
    expect(await say('zc', '提交')).toContain('回复“确认”');
    expect(await db().getRepository(TaskReply).countBy({ taskId: 2 })).toBe(0);
    expect(await say('zc', '确认')).toContain('已提交 T2 的办理情况（附件1个）');
    await bot.flush();
    expect(bot.inbox('zc').find((d) => d.msgid === card.msgid)!.replaceName).toBe('已提交');

    const [reply] = await db().getRepository(TaskReply).findBy({ taskId: 2 });
    expect(reply!.text).toBe('已整改完毕，咨询电话 0533-2345678');
    expect(reply!.piiFindings).toEqual([expect.objectContaining({ kind: 'landline', severity: 'warn' })]);
    expect(reply!.piiFindings[0]!.masked).not.toBe('0533-2345678');
    const photo = await loadFile(db().manager, reply!.fileIds[0]!);
    expect(photo.data.toString()).toBe('JPEG-bytes-of-a-photo');
    // Submitted with the reply, the photo is kept with it (a draft's files expire after a day).
    expect(photo.file.expiresAt).toBeNull();
    const accepted = await db().getRepository(AuditLog).findBy({ action: 'pii.accept', target: 'task:2' });
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.detail).not.toContain('2345678');
  });

  it('审核 T2 退回 <理由> by text returns it with a card', async () => {
    // Without a reason it asks for one, as the card's 退回 button does (the reason alone was 帮助).
    expect(await say('sup', '审核 T2 退回')).toContain('请输入退回 T2 的理由');
    expect((await db().getRepository(Task).findOneByOrFail({ id: 2 })).status).toBe('submitted');
    expect(await say('sup', '请补充整改前后截图')).toContain('已退回 T2（淄川区）');
    expect(await say('sup', '审核 T2 退回')).toContain('任务 T2 已退回，正在等待单位重新提交');
    expect((await db().getRepository(Task).findOneByOrFail({ id: 2 })).returnReason).toBe(
      '请补充整改前后截图',
    );
    expect(cardBody(cardsOf(bot, 'zc').at(-1)!).quote_area?.quote_text).toBe('请补充整改前后截图');
  });
});

describe('a supervisor’s reason with personal information', () => {
  it('asks to confirm a landline in a return reason, then returns', async () => {
    await say('zc', '办理 T2');
    await say('zc', '已补充整改前后截图。');
    expect(await say('zc', '提交')).toContain('已提交 T2');
    const warned = await say('sup', '审核 T2 退回 请致电 0533-2345678 沟通\n并补充截图');
    expect(warned).toContain('回复“确认”');
    expect((await db().getRepository(Task).findOneByOrFail({ id: 2 })).status).toBe('submitted');
    expect(await say('sup', '确认')).toContain('已退回 T2（淄川区）');
    const task = await db().getRepository(Task).findOneByOrFail({ id: 2 });
    // The reason is kept as typed, line break included.
    expect(task).toMatchObject({ status: 'pending', returnReason: '请致电 0533-2345678 沟通\n并补充截图' });
    expect(await db().getRepository(AuditLog).countBy({ action: 'pii.accept', actor: 'sup' })).toBe(1);
    // The audit trail keeps the reason masked.
    const returned = await db().getRepository(AuditLog).findBy({ action: 'task.return', target: 'task:2' });
    expect(returned.at(-1)!.detail).toContain('请致电');
    expect(returned.at(-1)!.detail).not.toContain('2345678');
  });

  it('refuses a mobile number in a reason and waits for another', async () => {
    await say('zc', '办理 T2');
    await say('zc', '已按要求沟通。');
    await say('zc', '提交');
    expect(await say('sup', '审核 T2 退回 联系 13812345678')).toContain('提交未受理');
    expect((await db().getRepository(Task).findOneByOrFail({ id: 2 })).status).toBe('submitted');
    expect(await say('sup', '请补充沟通记录')).toContain('已退回 T2');
  });

  it('does not record text beyond the limit', async () => {
    await say('zc', '办理 T2');
    expect(await say('zc', '长'.repeat(600))).toContain('文字1段');
    const long = '很长的说明'.repeat(400);
    for (let i = 0; i < 4; i++) await say('zc', long);
    expect(await say('zc', long)).toContain('这条消息未记录');
    expect(await say('zc', '取消')).toBe('已取消。');
  });
});

describe('open drafts', () => {
  it('a card click does not throw away a reply in progress', async () => {
    await say('bs', '办理 T3');
    await say('bs', '正在整改');
    const { result, texts } = await click('bs', cardsOf(bot, 'bs')[0]!, '申请延期');
    // The click would open another dialog: the liaison is asked first, and nothing is lost.
    expect(texts).toBe(
      '您正在《提交办理情况》，尚未完成。要放弃它并处理刚才点击的“申请延期”吗？回复“是”放弃并继续，回复“否”回到《提交办理情况》。',
    );
    expect(result.reply?.msgType).toBe('text');
    expect(await say('bs', '否')).toBe(
      '好的，继续《提交办理情况》。请发送办理情况文字、文件或图片，全部发送后回复“提交”。',
    );
    const state = await db().getRepository(ConversationState).findOneByOrFail({ userid: 'bs' });
    expect(state.flow).toBe('task-submit');
    expect(state.data).toMatchObject({ draft: { taskId: 3, texts: ['正在整改'] } });
    expect(await say('bs', '取消')).toBe('已取消。');
  });
});

describe('card updates use each response code once', () => {
  it('a late answer and a dialog ended later both update the card through the API with the click’s code, once', async () => {
    const delivery = cardsOf(bot, 'bs')[0]!;
    const key = buttonKey(delivery, '提交办理情况');
    const { responseCode, taskId, cardType } = bot.fake.click('bs', delivery.msgid, key);
    // A slow handler: past the passive budget the button update goes through the outbox instead.
    bot.clock.slowDown(5_000);
    let result;
    try {
      result = await bot.client.post(
        bot.client.cardClickXml('bs', { eventKey: key, taskId, cardType, responseCode }),
      );
    } finally {
      bot.clock.slowDown(0);
    }
    // Past the passive budget the prompt comes through the outbox; the card is not touched yet.
    expect(result.body).toBe('');
    await bot.flush();
    expect(bot.texts('bs').at(-1)).toContain('请发送 T3');
    const cardRows = () =>
      db().getRepository(OutboxMessage).findBy({ channel: 'card_update', recipient: 'bs' });
    expect(await cardRows()).toHaveLength(0);
    const callsBefore = bot.fake.calls.filter((call) => call.path.endsWith('update_template_card')).length;

    await say('bs', '已完成整改。');
    expect(await say('bs', '提交')).toContain('已提交 T3 的办理情况');
    const rows = await cardRows();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      response_code: responseCode,
      button: { replace_name: '已提交' },
    });
    const calls = bot.fake.calls.filter((call) => call.path.endsWith('update_template_card'));
    expect(calls.slice(callsBefore).map((call) => call.errcode)).toEqual([0]);
    expect(bot.inbox('bs').find((d) => d.msgid === delivery.msgid)!.replaceName).toBe('已提交');

    // WeCom takes a code once: a second update with it fails, and the card is no longer clickable.
    await expect(
      bot.runtime.api.updateTemplateCard({
        userids: ['bs'],
        response_code: responseCode,
        button: { replace_name: '再次更新' },
        agentid: bot.runtime.api.agentId,
      }),
    ).rejects.toBeInstanceOf(WeComApiError);
    expect(() => bot.fake.click('bs', delivery.msgid, key)).toThrow(/no longer clickable/);
  });
});

describe('deadlines past the published calendar', () => {
  it('stores the provisional deadline, flags it 预估, and says so on the card and in the detail', async () => {
    bot.clock.set('2026-12-28T01:00:00Z');
    await say('sup', '下发任务');
    await say('sup', '落实情况');
    await say('sup', '年底网站安全自查');
    await say('sup', '请开展年底网站安全自查并报送结果。');
    await say('sup', '淄川区');
    const preview = await say('sup', '5个工作日');
    expect(preview).toContain('2027-01-05（周二）24时截止（预估）');
    expect(preview).toContain('2027 年节假日安排尚未发布，期限按周末和法定节假日预估');
    expect(await say('sup', '确认')).toContain('已下发 1 项任务');
    const task = await db().getRepository(Task).findOneByOrFail({ title: '年底网站安全自查' });
    expect(task.deadlineEstimated).toBe(true);
    expect(task.deadline.toISOString()).toBe('2027-01-05T16:00:00.000Z');
    const sent = cardBody(cardsOf(bot, 'zc').at(-1)!);
    expect(sent.quote_area?.quote_text).toContain('预估');
    expect(sent.horizontal_content_list).toContainEqual({
      keyname: '截止时间',
      value: '2027-01-05（周二）24时（预估）',
    });
    expect(sent.horizontal_content_list).toContainEqual({ keyname: '剩余', value: '还剩5个工作日（预估）' });
    expect(await say('zc', '任务 T' + task.id)).toContain('2027-01-05（周二）24时截止（预估）');
  });
});
