// 设置联络员 and 停用 in chat, end to end: confirmation steps, what is written, audit rows, notices,
// and who may do what.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { Person } from '../src/entities/person.js';
import { Unit } from '../src/entities/unit.js';
import { UNKNOWN_USER_TEXT } from '../src/handlers/help.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
  await bot.addUnit('高青县', 'district');
  await bot.addUnit('高青县司法局', 'district', '高青县');
  await bot.addUnit('市水利局', 'department');
  await bot.addPerson('sup', { name: '孙督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('sup2', { name: '李督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('adm', { name: '周管理', role: 'admin', unit: '市大数据局' });
  await bot.addPerson('gq1', { name: '王五', role: 'liaison', unit: '高青县' });
  await bot.addPerson('gq2', { name: '赵六', role: 'liaison', unit: '高青县司法局' });
  await bot.addPerson('slj', { name: '钱七', role: 'liaison', unit: '市水利局' });
});

afterAll(async () => {
  await bot.close();
});

beforeEach(async () => {
  await bot.database.dataSource.getRepository(ConversationState).clear();
});

const people = () => bot.database.dataSource.getRepository(Person);
const auditRows = () => bot.database.dataSource.getRepository(AuditLog).find({ order: { id: 'ASC' } });

async function say(userid: string, text: string): Promise<string | undefined> {
  return (await bot.client.sendText(userid, text)).reply?.content;
}

describe('设置联络员', () => {
  it('registers a new liaison after 确认, audits it and tells the new liaison', async () => {
    const auditBefore = (await auditRows()).length;
    expect(await say('sup', '设置联络员 高青司法 wangxiao 王晓')).toBe(
      '请确认：将王晓（wangxiao）设为「高青县司法局」的联络员（新登记）。\n回复“确认”设置；回复“取消”放弃。',
    );
    expect(await people().findOneBy({ userid: 'wangxiao' })).toBeNull();
    // Anything else keeps the step and changes nothing.
    expect(await say('sup', '好的')).toBe('没有看懂。回复“确认”设置；回复“取消”放弃。');
    expect(await people().findOneBy({ userid: 'wangxiao' })).toBeNull();
    expect(await say('sup', '确认')).toBe('已将王晓（wangxiao）设为「高青县司法局」的联络员（新登记）。');

    const unit = await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: '高青县司法局' });
    expect(await people().findOneByOrFail({ userid: 'wangxiao' })).toMatchObject({
      name: '王晓',
      role: 'liaison',
      unitId: unit.id,
      active: true,
    });
    const added = (await auditRows()).slice(auditBefore);
    expect(added).toEqual([
      expect.objectContaining({
        actor: 'sup',
        action: 'person.set-liaison',
        target: 'person:wangxiao',
        result: 'ok',
        detail: '新登记：王*，高青县司法局 联络员',
      }),
    ]);
    bot.fake.addMember('wangxiao');
    await bot.flush();
    expect(bot.texts('wangxiao')).toEqual([
      '您已被登记为「高青县司法局」的督办助手联络员。发送“帮助”查看可用指令。',
    ]);
    await bot.client.sendText('wangxiao', '我的信息');
    await bot.flush();
    expect(bot.texts('wangxiao').at(-1)).toContain('> 单位：高青县司法局（属高青县）');
  });

  it('moves an existing liaison and renames them, saying what changes', async () => {
    expect(await say('adm', '设置联络员 市水利局 gq2 赵小六')).toBe(
      '请确认：将赵小六（gq2）设为「市水利局」的联络员（单位 高青县司法局→市水利局；姓名 赵六→赵小六）。\n回复“确认”设置；回复“取消”放弃。',
    );
    await say('adm', '确认');
    const unit = await bot.database.dataSource.getRepository(Unit).findOneByOrFail({ name: '市水利局' });
    expect(await people().findOneByOrFail({ userid: 'gq2' })).toMatchObject({
      unitId: unit.id,
      name: '赵小六',
    });
    expect((await auditRows()).at(-1)).toMatchObject({
      actor: 'adm',
      target: 'person:gq2',
      detail: '单位 高青县司法局→市水利局；姓名 赵*→赵**',
    });
  });

  it('changes nothing on 取消', async () => {
    const auditBefore = (await auditRows()).length;
    await say('sup', '设置联络员 高青县 newbie 新人');
    expect(await say('sup', '取消')).toBe('已取消。');
    expect(await people().findOneBy({ userid: 'newbie' })).toBeNull();
    expect(await auditRows()).toHaveLength(auditBefore);
    expect(await bot.database.dataSource.getRepository(ConversationState).countBy({ userid: 'sup' })).toBe(0);
  });

  it.each([
    ['设置联络员 高青县 wangwu', '用法：设置联络员 <单位> <userid> <姓名>'],
    ['设置联络员 高青县 王五 王五', '企业微信账号「王五」无效（只能由字母、数字和 _-@. 组成，最长 64 位）。'],
    ['设置联络员 高青县 wangwu 王五5', '姓名「王五5」无效（1–32 个字，不含数字）。'],
    ['设置联络员 青岛市 wangwu 王五', '没有找到单位「青岛市」。您是不是要找：高青县、市水利局、市大数据局？'],
    ['设置联络员 高青 wangwu 王五', '没有找到单位「高青」。您是不是要找：高青县、高青县司法局？'],
    ['设置联络员 高青县 gq1 王五', '王五（gq1）已是「高青县」的联络员，无需修改。'],
    ['设置联络员 高青县 adm 周管理', 'adm 是管理员，只有管理员可以更改其角色。'],
    ['设置联络员 高青县 sup2 李督办', 'sup2 是督办员，只有管理员可以更改其角色。'],
    ['设置联络员 高青县 SUP 孙督办', '不能修改自己的登记信息，请联系其他督办人员或管理员。'],
  ])('%s → %s', async (text, reply) => {
    const auditBefore = (await auditRows()).length;
    expect(await say('sup', text)).toBe(reply);
    expect(await bot.database.dataSource.getRepository(ConversationState).countBy({ userid: 'sup' })).toBe(0);
    expect(await auditRows()).toHaveLength(auditBefore);
  });

  it('is refused to a liaison with 该命令仅限督办人员使用。 and an audit row', async () => {
    expect(await say('slj', '设置联络员 市水利局 someone 某人')).toBe('该命令仅限督办人员使用。');
    expect((await auditRows()).at(-1)).toMatchObject({
      actor: 'slj',
      action: 'command:设置联络员',
      result: 'denied',
    });
  });
});

describe('停用', () => {
  it('deactivates after 确认; the person then gets only the unknown-user line', async () => {
    await bot.addPerson('leaving', { name: '离岗人', role: 'liaison', unit: '市水利局' });
    expect(await say('leaving', '我的信息')).toBeUndefined(); // markdown: answered through the outbox
    expect(await say('adm', '停用 leaving')).toBe(
      '请确认：停用 离岗人（leaving，市水利局 联络员）。停用后该账号不能再使用督办助手，单位的任务不受影响。\n' +
        '回复“确认”停用；回复“取消”放弃。',
    );
    expect((await people().findOneByOrFail({ userid: 'leaving' })).active).toBe(true);
    expect(await say('adm', '确认')).toBe('已停用 离岗人（leaving）。');
    expect((await people().findOneByOrFail({ userid: 'leaving' })).active).toBe(false);
    expect((await auditRows()).at(-1)).toMatchObject({
      actor: 'adm',
      action: 'person.deactivate',
      target: 'person:leaving',
      result: 'ok',
      detail: '停用：离**，市水利局 联络员',
    });
    expect(await say('leaving', '我的信息')).toBe(UNKNOWN_USER_TEXT);
    expect(await say('adm', '停用 leaving')).toBe('离岗人（leaving）已是停用状态。');
  });

  it('warns when the unit would be left without a liaison', async () => {
    await bot.addUnit('沂源县', 'district');
    await bot.addPerson('yy1', { name: '沂源联络', role: 'liaison', unit: '沂源县' });
    expect(await say('adm', '停用 yy1')).toContain(
      '注意：停用后「沂源县」将没有在岗联络员，请尽快用“设置联络员”补充。',
    );
    await say('adm', '取消');
    // 高青县 has a liaison on its sub-unit as well: no warning.
    expect(await say('adm', '停用 gq1')).not.toContain('注意');
  });

  it('can be undone with 设置联络员 (重新启用)', async () => {
    await bot.addPerson('back', { name: '回来了', role: 'liaison', unit: '市水利局', active: false });
    expect(await say('sup', '设置联络员 市水利局 back 回来了')).toContain('（重新启用）');
    await say('sup', '确认');
    expect((await people().findOneByOrFail({ userid: 'back' })).active).toBe(true);
  });

  it.each([
    ['停用 nobody', '没有找到账号「nobody」。'],
    ['停用 adm', '不能停用自己的账号。'],
    ['停用 a b', '用法：停用 <userid>'],
  ])('%s → %s', async (text, reply) => {
    expect(await say('adm', text)).toBe(reply);
  });

  it('is for admins only: a supervisor gets 该命令仅限管理员使用。 and an audit row', async () => {
    expect(await say('sup', '停用 gq1')).toBe('该命令仅限管理员使用。');
    expect((await auditRows()).at(-1)).toMatchObject({
      actor: 'sup',
      action: 'command:停用',
      result: 'denied',
    });
    expect((await people().findOneByOrFail({ userid: 'gq1' })).active).toBe(true);
  });

  it('re-checks at 确认: a person deactivated meanwhile is not deactivated twice', async () => {
    await bot.addPerson('twice', { name: '两次', role: 'liaison', unit: '市水利局' });
    await say('adm', '停用 twice');
    await people().update({ userid: 'twice' }, { active: false });
    const auditBefore = (await auditRows()).length;
    expect(await say('adm', '确认')).toBe('两次（twice）已是停用状态。');
    expect(await auditRows()).toHaveLength(auditBefore);
  });
});
