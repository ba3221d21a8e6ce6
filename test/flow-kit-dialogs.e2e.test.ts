// The dialogs moved onto the flow kit (issue 17): 定时通知, 广播, 设置联络员, 停用 and 检查, driven
// through encrypted callbacks. Each answers read-only commands mid-dialog with the line saying
// where the person is, asks before another dialog replaces it, says the kit's one confirm wording,
// and ends with a sentence when the person's role changes; nothing is stored before 确认.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Broadcast } from '../src/entities/broadcast.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { Person } from '../src/entities/person.js';
import { say } from './support/chat.js';
import { UNPACED } from './support/duties.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  // Saturday 2026-12-05, 10:00 in Shanghai.
  bot = await startTestBot({ now: '2026-12-05T02:00:00Z', ...UNPACED });
  await bot.addUnit('高青县', 'district');
  await bot.addUnit('市大数据局', 'department');
  await bot.addPerson('sup', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('sup2', { name: '王督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('adm', { name: '管理员', role: 'admin', unit: '市大数据局' });
  await bot.addPerson('adm2', { name: '副管理员', role: 'admin', unit: '市大数据局' });
  await bot.addPerson('gq', { name: '高青联络员', role: 'liaison', unit: '高青县' });
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

describe('定时通知 on the kit', () => {
  it('answers 进度 at each step, asks the year, previews with the one confirm wording', async () => {
    expect(await talk('sup', '定时通知')).toBe('请发送通知内容（最多 1500 字）。发送“取消”退出。');
    expect(await talk('sup', '进度')).toContain('（正在《定时通知》：请发送通知内容，或回复“取消”）');
    expect((await stateOf('sup'))?.step).toBe('content');
    // Free text that starts with a command word is the content.
    expect(await talk('sup', '进度报送请于周五前完成。')).toContain('发给谁');
    expect(await talk('sup', '进度')).toContain('（正在《定时通知》：请发送通知对象');
    expect(await talk('sup', '全部联络员')).toContain('什么时候发送');
    // 3月1日 on 5 December: the year is asked, 否 asks again, 是 takes 2027-03-01.
    expect(await talk('sup', '3月1日 9:00')).toContain('是指明年的');
    expect(await talk('sup', '是')).toContain('**请确认定时通知**');
    expect(await talk('sup', '好的')).toBe('没有看懂。回复“确认”创建；回复“取消”放弃。');
    expect(await db().getRepository(Broadcast).count()).toBe(0);
    expect(await talk('sup', '确认')).toContain('已创建定时通知 #1（2027-03-01');
    expect(await stateOf('sup')).toBeNull();
  });

  it('a text too long gets the kit’s wording and keeps the step', async () => {
    await talk('sup', '定时通知');
    expect(await talk('sup', '通'.repeat(1501))).toBe(
      '通知内容不能超过 1500 个字（现为 1501 个字），请精简后重新发送。',
    );
    expect((await stateOf('sup'))?.step).toBe('content');
    expect(await talk('sup', '取消')).toContain('已取消');
  });

  it('a supervisor demoted mid-dialog cannot 确认: it ends and nothing is created', async () => {
    await talk('sup2', '定时通知');
    await talk('sup2', '降级测试通知');
    await talk('sup2', '全部联络员');
    expect(await talk('sup2', '每个工作日9:00')).toContain('回复“确认”创建；回复“取消”放弃。');
    await db().getRepository(Person).update({ userid: 'sup2' }, { role: 'liaison' });
    expect(await talk('sup2', '确认')).toBe('您的角色已变更为联络员，《定时通知》已结束，未保存任何内容。');
    expect(await db().getRepository(Broadcast).countBy({ content: '降级测试通知' })).toBe(0);
    await db().getRepository(Person).update({ userid: 'sup2' }, { role: 'supervisor' });
  });
});

describe('广播 on the kit', () => {
  it('previews, asks before another dialog replaces it, and sends on 确认', async () => {
    const preview = await talk('sup', '广播 今天下午系统维护。');
    expect(preview).toContain('**将立即发送给全部 1 名联络员：**');
    expect(preview).toContain('回复“确认”发送；回复“取消”放弃。');
    expect(await talk('sup', '定时通知')).toContain('您正在《广播》，尚未完成。要放弃它并执行“定时通知”吗？');
    expect(await talk('sup', '否')).toContain('好的，继续《广播》。回复“确认”发送；回复“取消”放弃。');
    expect(await talk('sup', '确认')).toContain('已开始发送给 1 名联络员');
  });
});

describe('设置联络员 and 停用 on the kit', () => {
  it('设置联络员 answers 我的信息 mid-confirmation and registers on 确认', async () => {
    expect(await talk('sup', '设置联络员 高青县 gq2 高青二号')).toBe(
      '请确认：将高青二号（gq2）设为「高青县」的联络员（新登记）。\n回复“确认”设置；回复“取消”放弃。',
    );
    expect(await talk('sup', '进度')).toContain('（正在《设置联络员》：回复“确认”设置；回复“取消”放弃）');
    expect(await db().getRepository(Person).findOneBy({ userid: 'gq2' })).toBeNull();
    expect(await talk('sup', '确认')).toBe('已将高青二号（gq2）设为「高青县」的联络员（新登记）。');
  });

  it('停用 by an admin demoted before 确认 ends without deactivating', async () => {
    expect(await talk('adm2', '停用 gq2')).toContain('回复“确认”停用；回复“取消”放弃。');
    await db().getRepository(Person).update({ userid: 'adm2' }, { role: 'supervisor' });
    expect(await talk('adm2', '确认')).toBe('您的角色已变更为督办员，《停用》已结束，未保存任何内容。');
    expect((await db().getRepository(Person).findOneByOrFail({ userid: 'gq2' })).active).toBe(true);
    expect(await talk('adm', '停用 gq2')).toContain('请确认：停用 高青二号');
    expect(await talk('adm', '确认')).toBe('已停用 高青二号（gq2）。');
  });
});

describe('检查 on the kit', () => {
  it('answers 进度 while waiting, then checks the text sent', async () => {
    expect(await talk('gq', '检查')).toContain('请发送要检查的文字');
    expect(await talk('gq', '进度')).toContain(
      '（正在《检查个人信息》：请发送要检查的文字或文件，或回复“取消”）',
    );
    expect((await stateOf('gq'))?.step).toBe('waiting');
    const report = await talk('gq', '请联系张三，手机13912345678。');
    expect(report).toContain('手机号');
    expect(await stateOf('gq')).toBeNull();
  });
});
