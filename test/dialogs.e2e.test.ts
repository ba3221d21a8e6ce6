// Dialogs never trap a person: what someone does in the middle of a multi-step dialog, through
// encrypted callbacks and the fake WeCom API. Read-only commands are answered and the dialog goes
// on; another dialog's command or card asks first (是/否); a click that acts at once is done; a
// role or unit change ends the dialog; free text that starts with a command word stays content.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationState } from '../src/entities/conversation-state.js';
import { DomainAllocation } from '../src/entities/domain-allocation.js';
import { Person } from '../src/entities/person.js';
import { Task } from '../src/entities/task.js';
import { Unit } from '../src/entities/unit.js';
import { cardBody, cardsOf, click, say } from './support/chat.js';
import { UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';
import { addDistrictsAndZones } from './support/units.js';

let bot: TestBot;

beforeAll(async () => {
  // Friday 2026-03-20, 09:00 in Shanghai.
  bot = await startTestBot({ now: '2026-03-20T01:00:00Z', ...UNPACED });
  await addDistrictsAndZones(bot);
  await bot.addUnit('市大数据局', 'department');
  await bot.addUnit('市教育局', 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('sup2', { name: '王督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('gq', { name: '高青联络员', role: 'liaison', unit: '高青县' });
  await bot.addPerson('jy', { name: '教育联络员', role: 'liaison', unit: '市教育局' });
});

afterAll(async () => {
  await bot.close();
});

const db = () => bot.database.dataSource;
const stateOf = (userid: string) => db().getRepository(ConversationState).findOneBy({ userid });
const talk = (userid: string, content: string) => {
  bot.clock.advance(60_000);
  return say(bot, userid, content);
};

describe('read-only commands mid-dialog are answered and the dialog goes on', () => {
  it('我的任务, 帮助 and 进度 inside 下发任务 are not taken as the title, the requirement or an answer', async () => {
    await talk('sup', '下发任务');
    await talk('sup', '1');
    const aside = await talk('sup', '我的任务');
    expect(aside).toContain('（正在《下发任务》：请发送任务标题，或回复“取消”）');
    expect((await stateOf('sup'))?.step).toBe('title');

    expect(await talk('sup', '首页信息更新不及时整改')).toContain('请输入任务要求');
    const help = await talk('sup', '帮助');
    expect(help).toContain('督办助手');
    expect(help).toContain('（正在《下发任务》：请发送任务要求，或回复“取消”）');
    expect(await talk('sup', '请整改首页栏目')).toContain('请输入责任单位');
    expect(await talk('sup', '高青县')).toContain('请输入截止时间');
    expect(await talk('sup', '5个工作日')).toContain('请确认下发任务');

    const progress = await talk('sup', '进度');
    expect(progress).not.toContain('没有看懂');
    expect(progress).toContain('（正在《下发任务》：回复“确认”下发；');
    const state = await stateOf('sup');
    expect(state?.step).toBe('preview');
    expect(state?.data).toMatchObject({
      draft: { title: '首页信息更新不及时整改', detail: '请整改首页栏目' },
    });
    expect(await talk('sup', '确认')).toContain('已下发 1 项任务');
    expect(await db().getRepository(Task).countBy({ title: '首页信息更新不及时整改' })).toBe(1);
  });

  it('a liaison in 提交案例-like free text keeps a sentence that starts with a command word', async () => {
    await talk('sup', '下发任务');
    await talk('sup', '1');
    // 进度… with no space is a title here, not 进度 <单位>.
    expect(await talk('sup', '进度滞后问题整改')).toContain('请输入任务要求');
    expect((await stateOf('sup'))?.data).toMatchObject({ draft: { title: '进度滞后问题整改' } });
    expect(await talk('sup', '取消')).toBe('已取消。');
  });

  it('任务 T1 typed while a reply is being written shows the task and keeps the reply', async () => {
    expect(await talk('gq', '办理 T1')).toContain('请发送 T1');
    await talk('gq', '已完成整改');
    const shown = await talk('gq', '任务 T1');
    expect(shown).toContain('T1');
    expect(shown).toContain('（正在《提交办理情况》');
    expect((await stateOf('gq'))?.data).toMatchObject({ draft: { texts: ['已完成整改'] } });
    expect(await talk('gq', '取消')).toBe('已取消。');
  });
});

describe('another dialog asks before leaving the one that is open', () => {
  it('否 goes back to the dialog exactly as it was; 是 leaves it and runs the command', async () => {
    await talk('sup', '下发任务');
    await talk('sup', '1');
    await talk('sup', '网站安全整改');
    const asked = await talk('sup', '发起案例征集');
    expect(asked).toBe(
      '您正在《下发任务》，尚未完成。要放弃它并执行“发起案例征集”吗？回复“是”放弃并继续，回复“否”回到《下发任务》。',
    );
    expect(await talk('sup', '也许')).toContain('请回复“是”放弃《下发任务》并执行“发起案例征集”');
    // A read-only command while asked is answered, and the question stays.
    const aside = await talk('sup', '帮助');
    expect(aside).toContain('下发任务');
    expect(aside).toContain('请回复“是”放弃《下发任务》并执行“发起案例征集”');
    expect((await stateOf('sup'))?.flow).toBe('dialog-switch');
    expect(await talk('sup', '否')).toBe('好的，继续《下发任务》。请发送任务要求。');
    expect((await stateOf('sup'))?.data).toMatchObject({ draft: { title: '网站安全整改' } });

    // A command with arguments typed where free text is asked for: 否 would keep it as the text.
    expect(await talk('sup', '催办 高青县')).toContain('回复“否”则把这条消息作为填写的内容');
    const switched = await talk('sup', '是');
    expect(switched).toContain('已放弃《下发任务》。');
    expect(switched).toContain('已催办 高青县');
    expect(await stateOf('sup')).toBeNull();
  });

  it('否 to a command typed into free text keeps the message as that text', async () => {
    await talk('sup', '下发任务');
    await talk('sup', '1');
    await talk('sup', '催办工作机制整改');
    expect(await talk('sup', '催办 各区县建立催办台账')).toContain(
      '要放弃它并执行“催办 各区县建立催办台账”吗？',
    );
    expect(await talk('sup', '否')).toContain('请输入责任单位');
    expect((await stateOf('sup'))?.data).toMatchObject({
      draft: { title: '催办工作机制整改', detail: '催办 各区县建立催办台账' },
    });
    expect(await talk('sup', '取消')).toBe('已取消。');
  });

  it('a command that opens a dialog of its own starts it after 是', async () => {
    await talk('sup', '下发任务');
    await talk('sup', '下发任务');
    const restarted = await talk('sup', '是');
    expect(restarted).toContain('已放弃《下发任务》。');
    expect(restarted).toContain('请选择任务类型');
    expect((await stateOf('sup'))?.flow).toBe('task-assign');
    expect(await talk('sup', '取消')).toBe('已取消。');
  });
});

describe('card clicks mid-dialog follow the same rule', () => {
  let pending: DomainAllocation;

  it('a 拒绝 button that would open the reason dialog asks first instead of replacing the dialog', async () => {
    expect(await talk('jy', '申请域名 jyzx 教育资讯')).toContain('已提交二级域名申请');
    pending = (await db().getRepository(DomainAllocation).findOneByOrFail({ subdomain: 'jyzx' }))!;
    await talk('sup', '下发任务');
    await talk('sup', '1');
    const card = cardsOf(bot, 'sup').find((c) =>
      cardBody(c).main_title.title.startsWith(`域名申请 D${pending.id}`),
    )!;
    bot.clock.advance(60_000);
    const asked = await click(bot, 'sup', card, `domain:reject:${pending.id}`);
    expect(asked.replies).toContain('要放弃它并处理刚才点击的“拒绝”吗？');
    expect((await stateOf('sup'))?.flow).toBe('dialog-switch');
    // 是: the click runs now, with its own response code, and asks for the reason.
    const yes = await talk('sup', '是');
    expect(yes).toContain('已放弃《下发任务》。');
    expect(yes).toContain(`请发送拒绝域名申请 D${pending.id}`);
    expect(await talk('sup', '与门户栏目重复')).toContain(`已拒绝域名申请 D${pending.id}`);
    expect((await db().getRepository(DomainAllocation).findOneByOrFail({ id: pending.id })).status).toBe(
      'rejected',
    );
  });

  it('a button that acts at once (同意) is done and the dialog goes on', async () => {
    expect(await talk('jy', '申请域名 jyxx 教育信息')).toContain('已提交二级域名申请');
    const request = await db().getRepository(DomainAllocation).findOneByOrFail({ subdomain: 'jyxx' });
    await talk('sup', '下发任务');
    await talk('sup', '1');
    await talk('sup', '教育网站整改');
    const card = cardsOf(bot, 'sup').find((c) =>
      cardBody(c).main_title.title.startsWith(`域名申请 D${request.id}`),
    )!;
    bot.clock.advance(60_000);
    const done = await click(bot, 'sup', card, `domain:approve:${request.id}`);
    expect(done.replies).toContain('（正在《下发任务》：请发送任务要求，或回复“取消”）');
    expect((await db().getRepository(DomainAllocation).findOneByOrFail({ id: request.id })).status).toBe(
      'active',
    );
    expect((await stateOf('sup'))?.data).toMatchObject({ draft: { title: '教育网站整改' } });
    expect(await talk('sup', '取消')).toBe('已取消。');
  });
});

describe('who may go on is checked at every step', () => {
  it('a supervisor demoted to liaison mid-dialog cannot 确认: the dialog ends and nothing is created', async () => {
    await talk('sup2', '下发任务');
    await talk('sup2', '1');
    await talk('sup2', '降级测试任务');
    await talk('sup2', '降级测试要求');
    await talk('sup2', '高青县');
    expect(await talk('sup2', '5个工作日')).toContain('请确认下发任务');
    await db().getRepository(Person).update({ userid: 'sup2' }, { role: 'liaison' });
    expect(await talk('sup2', '确认')).toBe('您的角色已变更为联络员，《下发任务》已结束，未保存任何内容。');
    expect(await db().getRepository(Task).countBy({ title: '降级测试任务' })).toBe(0);
    expect(await stateOf('sup2')).toBeNull();
  });

  it('a liaison moved to another unit mid-reply: the dialog ends', async () => {
    expect(await talk('gq', '办理 T1')).toContain('请发送 T1');
    const other = await db().getRepository(Unit).findOneByOrFail({ name: '沂源县' });
    await db().getRepository(Person).update({ userid: 'gq' }, { unitId: other.id });
    expect(await talk('gq', '整改完成')).toBe('您所在的单位已变更，《提交办理情况》已结束，未保存任何内容。');
    expect(await stateOf('gq')).toBeNull();
  });
});

describe('stored dialogs that no longer fit', () => {
  it('a draft that fails its schema is dropped with a sentence, not run', async () => {
    await db()
      .getRepository(ConversationState)
      .save({
        userid: 'sup',
        flow: 'task-assign',
        step: 'preview',
        data: { draft: { kind: 'no-such-kind' } },
        version: 2,
        role: 'supervisor',
        unitId: (await db().getRepository(Unit).findOneByOrFail({ name: '市大数据局' })).id,
        expiresAt: new Date(bot.clock.now().getTime() + 3_600_000),
      });
    const answer = await talk('sup', '确认');
    expect(answer).toContain('系统已更新，之前未完成的操作已失效，请重新开始。');
    expect(await stateOf('sup')).toBeNull();
  });
});
