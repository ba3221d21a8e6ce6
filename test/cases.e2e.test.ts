// Typical-case collection end to end, through encrypted callbacks and the fake WeCom API: a
// supervisor opens a call, liaisons submit through the card and the dialog (length and PII checks),
// modify and withdraw, supervisors review, follow progress and export the info table.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/entities/audit-log.js';
import { CaseCall } from '../src/entities/case-call.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { MediaAccount } from '../src/entities/media-account.js';
import { TypicalCase } from '../src/entities/typical-case.js';
import type { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { formatIso } from '../src/services/calendar/time.js';
import type { Delivery } from '../src/sandbox/fake-wecom.js';
import { clickButton, sendText } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let bot: TestBot;
const units: Record<string, Unit> = {};

/** A text of exactly `n` characters as a reader counts them, mixing scripts and emoji. */
function mixed(n: number): string {
  const pattern = ['政', '务', '公', '开', 'A', '1', '，', '👍🏽', '网', '站', '🇨🇳', '。'];
  return Array.from({ length: n }, (_, i) => pattern[i % pattern.length]).join('');
}

/** Sends a text and returns what came back: the passive reply and anything delivered after it. */
async function say(userid: string, content: string): Promise<string[]> {
  const { result, replies } = await sendText(bot, userid, content);
  expect(result.status).toBe(200);
  return replies;
}

const lastOf = async (userid: string, content: string) => (await say(userid, content)).join('\n');

/** Clicks a card button the member received and returns the replies. */
async function click(userid: string, delivery: Delivery, key: string): Promise<string[]> {
  const { result, replies } = await clickButton(bot, userid, delivery, key);
  expect(result.status).toBe(200);
  return replies;
}

/** A whole 提交案例 dialog; returns the final reply. */
async function submitCase(
  userid: string,
  answers: [theme: string, channel: string, title: string, text: string],
) {
  await say(userid, '提交案例');
  for (const answer of answers) await say(userid, answer);
  return lastOf(userid, '确认');
}

const cases = () => bot.database.dataSource.getRepository(TypicalCase);
const conversation = (userid: string) =>
  bot.database.dataSource.getRepository(ConversationState).findOneBy({ userid });

beforeAll(async () => {
  // Friday 2023-03-17 10:00 in Shanghai, the day the notice was signed.
  bot = await startTestBot({ now: '2023-03-17T02:00:00Z' });
  units.zhangdian = await bot.addUnit('张店区', 'district');
  units.renshe = await bot.addUnit('张店区人力资源和社会保障局', 'department', '张店区');
  units.zichuan = await bot.addUnit('淄川区', 'district');
  units.gaoxin = await bot.addUnit('高新区', 'zone');
  units.shuili = await bot.addUnit('市水利局', 'department');
  units.gongan = await bot.addUnit('市公安局', 'department');
  units.dashuju = await bot.addUnit('市大数据局', 'other');
  await bot.addPerson('boss', { name: '赵督办', role: 'supervisor', unit: '市大数据局' });
  await bot.addPerson('zd1', { name: '张一', role: 'liaison', unit: '张店区' });
  await bot.addPerson('zd2', { name: '张二', role: 'liaison', unit: '张店区人力资源和社会保障局' });
  await bot.addPerson('zc1', { name: '淄一', role: 'liaison', unit: '淄川区' });
  await bot.addPerson('gx1', { name: '高一', role: 'liaison', unit: '高新区' });
  await bot.addPerson('sl1', { name: '水一', role: 'liaison', unit: '市水利局' });
  const ds = bot.database.dataSource;
  await ds.getRepository(Website).save({
    name: '张店区人民政府网站',
    siteCode: '3703020001',
    domain: 'www.zhangdian.gov.cn',
    unitId: units.zhangdian.id,
    status: 'active',
  });
  await ds.getRepository(MediaAccount).save({
    platform: 'wechat',
    name: '温暖张店人社',
    unitId: units.renshe.id,
    status: 'running',
    consolidationCandidate: false,
  });
});

afterAll(async () => {
  await bot.close();
});

describe('a supervisor opens a call', () => {
  it('walks title → deadline → quotas → preview → 确认 and sends each liaison a card', async () => {
    expect(await lastOf('boss', '发起案例征集')).toContain('请发送征集标题');
    expect(await lastOf('boss', '2023年第一季度政府网站和政务新媒体典型案例')).toContain('请发送截止时间');
    expect(await lastOf('boss', '3月32日')).toContain('不存在');
    const deadline = await lastOf('boss', '3月21日');
    expect(deadline).toContain('截止：2023-03-21（周二）24时');
    expect(await lastOf('boss', '区县五个')).toContain('没有看懂配额');
    const preview = await lastOf('boss', '默认');
    expect(preview).toContain('配额：区县5 功能区5 市直部门1');
    expect(preview).toContain('将通知：区县2个、功能区1个、市直部门2个单位，共 5 名联络员');
    expect(preview).toContain('暂无联络员、不会收到通知：市公安局');
    const done = await lastOf('boss', '确认');
    expect(done).toContain(
      '已发起征集1《2023年第一季度政府网站和政务新媒体典型案例》，已向 4 个单位的 5 名联络员发送通知。',
    );
    expect(done).toContain('以下单位暂无联络员，未能通知：市公安局');

    const call = await bot.database.dataSource.getRepository(CaseCall).findOneByOrFail({ id: 1 });
    expect(call).toMatchObject({
      status: 'open',
      quotaDistrict: 5,
      quotaZone: 5,
      quotaDepartment: 1,
      quotaOther: 0,
      maxLength: 150,
      deadlineEstimated: false,
      createdBy: 'boss',
    });
    expect(formatIso(call.deadline)).toBe('2023-03-22T00:00:00+08:00');
    expect(call.themes).toEqual([
      '加强内容建设',
      '强化解读回应',
      '畅通互动渠道',
      '服务企业群众',
      '推动工作创新',
    ]);

    const taskIds = new Set<string>();
    for (const [userid, quota] of [
      ['zd1', '5个'],
      ['zd2', '5个'],
      ['zc1', '5个'],
      ['gx1', '5个'],
      ['sl1', '1个'],
    ] as const) {
      const cards = bot.inbox(userid).filter((d) => d.msgtype === 'template_card');
      expect(cards).toHaveLength(1);
      const card = cards[0]!.body.template_card as {
        card_type: string;
        task_id: string;
        emphasis_content: { title: string };
        horizontal_content_list: { keyname: string; value: string }[];
        button_list: { text: string; key: string }[];
      };
      expect(card.card_type).toBe('button_interaction');
      expect(card.emphasis_content.title).toBe(quota);
      expect(card.horizontal_content_list[0]).toEqual({
        keyname: '截止时间',
        value: '2023-03-21（周二）24时截止',
      });
      expect(card.button_list).toEqual([{ text: '提交案例', style: 1, key: 'case:submit:1' }]);
      taskIds.add(card.task_id);
    }
    expect(taskIds.size).toBe(5);
    expect(bot.inbox('boss').some((d) => d.msgtype === 'template_card')).toBe(false);
    const audit = await bot.database.dataSource
      .getRepository(AuditLog)
      .findOneByOrFail({ action: 'case-call.open' });
    expect(audit.target).toBe('征集1');
  });
});

describe('a liaison of a sub-unit submits through the card', () => {
  it('checks length (151 rejected, draft kept), blocks and warns on PII, then stores the case', async () => {
    const card = bot.inbox('zd2').find((d) => d.msgtype === 'template_card')!;
    const themes = (await click('zd2', card, 'case:submit:1')).join('\n');
    expect(themes).toContain(
      '向征集1《2023年第一季度政府网站和政务新媒体典型案例》提交案例（张店区已提交 0/5，还需 5 个）',
    );
    expect(themes).toContain('1. 加强内容建设');
    expect(await lastOf('zd2', '9')).toBe('请回复 1–5 的序号或名称选择主题。');
    const channels = await lastOf('zd2', '畅通互动渠道');
    expect(channels).toContain('1. 政府网站（不指定具体网站）');
    expect(channels).toContain('2. 政府网站：张店区人民政府网站');
    expect(channels).toContain('3. 政务新媒体（不指定具体账号）');
    expect(channels).toContain('4. 政务新媒体：微信公众号「温暖张店人社」');
    expect(await lastOf('zd2', '4')).toContain('请发送案例标题');
    expect(await lastOf('zd2', '“温暖张店人社”公众号开通网上咨询')).toContain('请发送案例内容（150字以内');

    const tooLong = await lastOf('zd2', mixed(151));
    expect(tooLong).toBe(
      '案例内容共 151 字，超过 150 字的上限，需删减 1 字。请修改后重新发送，已填写的其他内容都已保留。',
    );
    const kept = await conversation('zd2');
    expect(kept).toMatchObject({ flow: 'case-draft', step: 'text' });
    expect(kept!.data).toMatchObject({ draft: expect.anything() as unknown });
    expect((kept!.data as { draft: Record<string, unknown> }).draft).toMatchObject({
      theme: '畅通互动渠道',
      title: '“温暖张店人社”公众号开通网上咨询',
    });

    const blocked = await lastOf('zd2', '群众可拨打经办人张三手机13812345678咨询社保业务。');
    expect(blocked).toContain('提交未受理');
    expect(blocked).not.toContain('13812345678');
    expect((await conversation('zd2'))!.step).toBe('text');
    expect(await cases().count()).toBe(0);

    const warned = await lastOf('zd2', '  开通网上咨询、政策发布等便民服务，咨询电话0533-3184567。\n');
    expect(warned).toContain('内容中可能含有个人信息');
    expect(warned).toContain('回复“确认”');
    const preview = await lastOf('zd2', '确认');
    expect(preview).toContain('请核对案例');
    expect(preview).toContain('渠道：政务新媒体：微信公众号「温暖张店人社」');
    expect(preview).toContain('内容（34字）：\n开通网上咨询、政策发布等便民服务，咨询电话0533-3184567。');
    expect(await lastOf('zd2', '好')).toBe('没有看懂。回复“确认”提交；回复“修改 内容”修改；回复“取消”放弃。');
    // 修改 内容 takes a new text and shows the preview again, the rest kept.
    expect(await lastOf('zd2', '修改 内容')).toContain('请发送新的案例内容');
    const revised = await lastOf('zd2', '开通网上咨询、政策发布等便民服务，咨询电话0533-3184567。');
    expect(revised).toContain('内容中可能含有个人信息'); // checked again, as any new text
    const again = await lastOf('zd2', '确认');
    expect(again).toContain('请核对案例');
    expect(again).toContain('渠道：政务新媒体：微信公众号「温暖张店人社」');
    expect(again).toContain('内容（34字）：');
    const stored = await lastOf('zd2', '确认');
    expect(stored).toBe(
      '案例C1已提交。\n已提交 1/5，还需 4 个，截止 3月21日（还剩2个工作日）\n继续提交请发送“提交案例”，查看请发送“我的案例”。',
    );
    expect(await conversation('zd2')).toBeNull();

    const row = await cases().findOneByOrFail({ id: 1 });
    expect(row).toMatchObject({
      callId: 1,
      topUnitId: units.zhangdian!.id,
      unitId: units.renshe!.id,
      theme: '畅通互动渠道',
      channel: 'media',
      websiteId: null,
      title: '“温暖张店人社”公众号开通网上咨询',
      text: '开通网上咨询、政策发布等便民服务，咨询电话0533-3184567。',
      textLength: 34,
      submittedBy: 'zd2',
      status: 'submitted',
    });
    expect(row.mediaAccountId).not.toBeNull();
    expect(row.piiAccepted).toEqual([
      { kind: 'landline', severity: 'warn', masked: expect.any(String) as string },
    ]);
    const audits = await bot.database.dataSource.getRepository(AuditLog).findBy({ target: 'C1' });
    expect(audits.map((a) => a.action).sort()).toEqual(['case.submit', 'pii.accept']);
    expect(audits.map((a) => a.detail).join()).not.toContain('3184567');
  });

  it('takes exactly 150 characters and counts the unit’s cases together', async () => {
    const second = await submitCase('zd1', ['1', '2', '张店区政府网站开设政策解读专栏', `  ${mixed(150)}  `]);
    expect(second).toContain('案例C2已提交。\n已提交 2/5，还需 3 个，截止 3月21日（还剩2个工作日）');
    const row = await cases().findOneByOrFail({ id: 2 });
    expect(row.text).toBe(mixed(150));
    expect(row.textLength).toBe(150);
    expect(row.channel).toBe('website');
    expect(row.websiteId).not.toBeNull();

    const third = await submitCase('zd1', [
      '推动工作创新',
      '政务新媒体',
      '构建政务新媒体矩阵',
      '联合区直部门构建政务新媒体矩阵，集体发声。',
    ]);
    expect(third).toContain('已提交 3/5，还需 2 个，截止 3月21日（还剩2个工作日）');

    const department = await submitCase('sl1', [
      '1',
      '1',
      '水利普法专栏',
      '在网站开设普法专栏，对水利法律法规进行全方位宣传普及。',
    ]);
    expect(department).toContain('已提交 1/1，已达标，截止 3月21日（还剩2个工作日）');
  });

  it('lists the unit’s cases with 我的案例 (for every liaison of the unit)', async () => {
    const mine = await lastOf('zd2', '我的案例');
    expect(mine).toContain('**张店区的典型案例**');
    expect(mine).toContain('已提交 3/5，还需 2 个，截止 3月21日（还剩2个工作日）');
    expect(mine).toContain(
      '> C1【已提交】“温暖张店人社”公众号开通网上咨询｜畅通互动渠道｜政务新媒体（微信公众号「温暖张店人社」）｜34字',
    );
    expect(mine).toContain(
      '> C2【已提交】张店区政府网站开设政策解读专栏｜加强内容建设｜政府网站（张店区人民政府网站）｜150字',
    );
    expect(mine).toContain('C3');
    expect(mine).not.toContain('C4');
  });
});

describe('withdraw and modify', () => {
  it('withdraws only the unit’s own case while the call is open', async () => {
    expect(await lastOf('zc1', '撤回案例 C2')).toBe('没有找到本单位的案例C2。发送“我的案例”查看。');
    expect(await lastOf('zd1', '撤回案例 C2')).toBe(
      '已撤回案例C2《张店区政府网站开设政策解读专栏》。\n已提交 2/5，还需 3 个，截止 3月21日（还剩2个工作日）',
    );
    expect((await cases().findOneByOrFail({ id: 2 })).status).toBe('withdrawn');
    expect(await lastOf('zd1', '撤回案例 C2')).toContain('没有找到本单位的案例C2');
    expect(await lastOf('zd1', '撤回案例 2')).toBe('用法：撤回案例 C7（案例编号见“我的案例”）');
  });

  it('audits every refused change, another unit’s attempt above all (it reads as missing to them)', async () => {
    const denied = () =>
      bot.database.dataSource
        .getRepository(AuditLog)
        .find({ where: { result: 'denied', target: 'C1' }, order: { id: 'ASC' } });
    const before = (await denied()).length;
    expect(await lastOf('zc1', '修改案例 C1')).toBe('没有找到本单位的案例C1。发送“我的案例”查看。');
    expect(await lastOf('zc1', '撤回案例 C1')).toBe('没有找到本单位的案例C1。发送“我的案例”查看。');
    const rows = (await denied()).slice(before);
    expect(rows.map((row) => [row.actor, row.action, row.detail])).toEqual([
      ['zc1', 'case.modify', '非本单位案例；提出单位 淄川区'],
      ['zc1', 'case.withdraw', '非本单位案例；提出单位 淄川区'],
    ]);
    expect((await cases().findOneByOrFail({ id: 1 })).status).not.toBe('withdrawn');
  });

  it('modifies the text with the same checks', async () => {
    expect(await lastOf('zc1', '修改案例 C1')).toContain('没有找到本单位的案例C1');
    expect(await lastOf('zd1', '修改案例 C1')).toContain('请发送新的案例内容（150字以内）');
    expect(await lastOf('zd1', mixed(160))).toContain('案例内容共 160 字，超过 150 字的上限，需删减 10 字');
    expect(await lastOf('zd1', '详见身份证370302199003077432')).toMatch(/提交未受理|可能含有个人信息/);
    await say('zd1', '取消');
    await say('zd1', '修改案例 C1');
    const preview = await lastOf('zd1', '开通网上咨询、政策发布、社保查询等便民服务。');
    expect(preview).toContain('请核对修改后的案例C1');
    expect(preview).toContain('渠道：政务新媒体（微信公众号「温暖张店人社」）');
    expect(await lastOf('zd1', '确认')).toBe(
      '案例C1已修改并重新提交。\n已提交 2/5，还需 3 个，截止 3月21日（还剩2个工作日）',
    );
    const row = await cases().findOneByOrFail({ id: 1 });
    expect(row).toMatchObject({
      text: '开通网上咨询、政策发布、社保查询等便民服务。',
      textLength: 22,
      submittedBy: 'zd1',
      piiAccepted: [],
    });
  });
});

describe('review', () => {
  it('returns with a reason and tells every liaison of the unit', async () => {
    // Without a reason it asks for one, as the card's 退回 does (the reason alone was no command).
    expect(await lastOf('boss', '审核案例 C1 退回')).toContain('退回案例C1《');
    expect(await lastOf('boss', '取消')).toBe('已取消。');
    expect(await lastOf('boss', '审核案例 C99 退回')).toBe('没有找到案例C99。');
    expect(await lastOf('boss', '审核案例 C99 采纳')).toBe('没有找到案例C99。');
    expect(await lastOf('boss', '审核案例 C1 退回 缺少具体成效')).toBe(
      '已退回案例C1，已通知张店区 2 名联络员。',
    );
    for (const userid of ['zd1', 'zd2']) {
      expect(bot.texts(userid).at(-1)).toBe(
        '【案例审核】案例C1《“温暖张店人社”公众号开通网上咨询》已退回，理由：缺少具体成效\n' +
          '请发送“修改案例 C1”修改后重新提交。\n本单位已提交 1/5，还需 4 个，截止 3月21日（还剩2个工作日）',
      );
    }
    expect(await cases().findOneByOrFail({ id: 1 })).toMatchObject({
      status: 'returned',
      returnReason: '缺少具体成效',
      reviewedBy: 'boss',
    });
    expect(await lastOf('zd1', '我的案例')).toContain('退回理由：缺少具体成效');
  });

  it('a returned case comes back after 修改案例 and the reviewer hears of it', async () => {
    await say('zd2', '修改案例 C1');
    await say('zd2', '开通网上咨询、政策发布等服务，半年答复咨询3000余次。');
    expect(await lastOf('zd2', '确认')).toContain('案例C1已修改并重新提交。\n已提交 2/5，还需 3 个');
    expect(bot.texts('boss').at(-1)).toBe(
      '【案例审核】张店区已修改退回的案例C1《“温暖张店人社”公众号开通网上咨询》并重新提交，请审核。',
    );
    expect(await cases().findOneByOrFail({ id: 1 })).toMatchObject({
      status: 'submitted',
      returnReason: null,
    });
  });

  it('accepts; an accepted case can no longer be changed', async () => {
    expect(await lastOf('boss', '审核案例 C3 采纳')).toBe('已采纳案例C3，已通知张店区 2 名联络员。');
    expect(bot.texts('zd1').at(-1)).toBe('【案例审核】案例C3《构建政务新媒体矩阵》已采纳。');
    expect(await lastOf('boss', '审核案例C3采纳')).toBe('案例C3已是“已采纳”状态。');
    expect(await lastOf('zd1', '修改案例 C3')).toBe('案例C3已采纳，不能再修改或撤回。');
    expect(await lastOf('zd1', '撤回案例 C3')).toBe('案例C3已采纳，不能再修改或撤回。');
  });
});

describe('progress and export', () => {
  it('案例进度: grouped by kind, units below quota first, sub-units rolled up', async () => {
    const progress = await lastOf('boss', '案例进度');
    expect(progress).toContain('**案例进度｜征集1《2023年第一季度政府网站和政务新媒体典型案例》**');
    expect(progress).toContain('2023-03-21（周二）24时截止，还剩2个工作日');
    expect(progress).toContain('达标 1/5 个单位；有效案例 3 个（已采纳 1 个，已退回待修改 0 个）');
    const order = [
      '**区县**（达标 0/2）',
      '<font color="warning">淄川区 已提交 0/5，还需 5 个</font>',
      '<font color="warning">张店区 已提交 2/5，还需 3 个</font>',
      '**功能区**（达标 0/1）',
      '<font color="warning">高新区 已提交 0/5，还需 5 个</font>',
      '**市直部门**（达标 1/2）',
      '<font color="warning">市公安局 已提交 0/1，还需 1 个</font>',
      '> 市水利局 已提交 1/1，已达标',
    ].map((part) => progress.indexOf(part));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(progress).not.toContain('市大数据局');
    expect(progress).not.toContain('人力资源');
  });

  it('导出案例: media/upload then a file message; the sheets read back cell by cell', async () => {
    const callsBefore = bot.fake.calls.length;
    const replies = await say('boss', '导出案例');
    expect(replies[0]).toBe(
      '征集1《2023年第一季度政府网站和政务新媒体典型案例》：共 3 个案例，信息表见下方文件（第2页为各单位配额汇总）。',
    );
    const paths = bot.fake.calls.slice(callsBefore).map((call) => call.path);
    expect(paths.indexOf('/cgi-bin/media/upload')).toBeGreaterThanOrEqual(0);
    expect(paths.lastIndexOf('/cgi-bin/message/send')).toBeGreaterThan(
      paths.indexOf('/cgi-bin/media/upload'),
    );
    const delivery = bot.inbox('boss').at(-1)!;
    expect(delivery.msgtype).toBe('file');
    const mediaId = (delivery.body.file as { media_id: string }).media_id;
    const media = bot.fake.media.get(mediaId)!;
    expect(media.fileName).toBe('典型案例信息表-征集1-20230317.xlsx');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(media.data as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['典型做法信息表', '配额汇总']);

    const info = workbook.getWorksheet('典型做法信息表')!;
    expect(info.getCell('A1').value).toBe('政府网站、政务新媒体典型做法信息表');
    expect(info.getCell('A1').isMerged).toBe(true);
    expect((info.getRow(2).values as unknown[]).slice(1)).toEqual([
      '序号',
      '单位',
      '单位类型',
      '主题',
      '渠道',
      '网站/账号名称',
      '案例标题',
      '案例内容',
      '字数',
      '联络员',
      '提交时间',
      '状态',
      '案例编号',
    ]);
    // District cases first (张店区: C1, C3), then departments (市水利局: C4); C2 was withdrawn.
    expect((info.getRow(3).values as unknown[]).slice(1)).toEqual([
      1,
      '张店区（张店区人力资源和社会保障局）',
      '区县',
      '畅通互动渠道',
      '政务新媒体',
      '微信公众号「温暖张店人社」',
      '“温暖张店人社”公众号开通网上咨询',
      '开通网上咨询、政策发布等服务，半年答复咨询3000余次。',
      28,
      '张二',
      '2023-03-17 10:00',
      '已提交',
      'C1',
    ]);
    expect((info.getRow(4).values as unknown[]).slice(1)).toEqual([
      2,
      '张店区',
      '区县',
      '推动工作创新',
      '政务新媒体',
      // No account named: the streaming writer leaves an empty cell without a value (bordered all the same).
      undefined,
      '构建政务新媒体矩阵',
      '联合区直部门构建政务新媒体矩阵，集体发声。',
      21,
      '张一',
      '2023-03-17 10:00',
      '已采纳',
      'C3',
    ]);
    expect((info.getRow(5).values as unknown[]).slice(1, 4)).toEqual([3, '市水利局', '市直部门']);
    expect(info.getRow(6).values).toEqual([]);
    expect(info.getColumn(8).width).toBe(60);
    expect(info.getColumn(1).width).toBe(6);
    expect(info.getCell('H3').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(info.getCell('A2').font).toMatchObject({ bold: true });
    expect(info.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(info.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
    expect(info.pageSetup.printTitlesRow).toBe('1:2');

    const summary = workbook.getWorksheet('配额汇总')!;
    expect(summary.getCell('A1').value).toBe(
      '典型案例配额汇总（征集1《2023年第一季度政府网站和政务新媒体典型案例》，2023-03-21（周二）24时截止）',
    );
    expect((summary.getRow(2).values as unknown[]).slice(1)).toEqual([
      '序号',
      '单位',
      '单位类型',
      '应提报',
      '已提交',
      '已采纳',
      '已退回',
      '还需',
      '是否达标',
    ]);
    const rows = [3, 4, 5, 6, 7, 8].map((n) => (summary.getRow(n).values as unknown[]).slice(1));
    expect(rows).toEqual([
      [1, '淄川区', '区县', 5, 0, 0, 0, 5, '否'],
      [2, '张店区', '区县', 5, 2, 1, 0, 3, '否'],
      [3, '高新区', '功能区', 5, 0, 0, 0, 5, '否'],
      [4, '市公安局', '市直部门', 1, 0, 0, 0, 1, '否'],
      [5, '市水利局', '市直部门', 1, 1, 0, 0, 0, '是'],
      ['合计', '5 个单位', undefined, 17, 3, 1, 0, 14, '1/5'],
    ]);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(summary.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1 });
  });
});

describe('permissions', () => {
  it.each([
    ['zd1', '导出案例', '该命令仅限督办人员使用。'],
    ['zd1', '案例进度', '该命令仅限督办人员使用。'],
    ['zd1', '审核案例 C1 采纳', '该命令仅限督办人员使用。'],
    ['zd1', '发起案例征集', '该命令仅限督办人员使用。'],
    ['boss', '提交案例', '该命令仅限联络员使用。'],
    ['boss', '我的案例', '该命令仅限联络员使用。'],
  ])('%s: %s', async (userid, command, answer) => {
    expect(await lastOf(userid, command)).toBe(answer);
  });

  it('writes an audit row for a refused command', async () => {
    const denied = await bot.database.dataSource
      .getRepository(AuditLog)
      .findBy({ actor: 'zd1', result: 'denied' });
    expect(denied.map((row) => row.target)).toContain('导出案例');
  });
});

describe('several calls, then closing', () => {
  it('asks which call when several are open', async () => {
    await say('boss', '发起案例征集 第二轮典型案例');
    await say('boss', '5个工作日');
    await say('boss', '区县1 功能区0 市直部门0');
    expect(await lastOf('boss', '确认')).toContain(
      '已发起征集2《第二轮典型案例》，已向 2 个单位的 3 名联络员发送通知。',
    );
    expect(bot.inbox('sl1').filter((d) => d.msgtype === 'template_card')).toHaveLength(1);

    const which = await lastOf('zd1', '提交案例');
    expect(which).toContain('当前有多个案例征集，请回复序号选择：');
    expect(which).toContain('2. 征集2《第二轮典型案例》，2023-03-24（周五）24时截止');
    expect(await lastOf('zd1', '3')).toContain('请回复 1–2 的序号');
    expect(await lastOf('zd1', '2')).toContain(
      '向征集2《第二轮典型案例》提交案例（张店区已提交 0/1，还需 1 个）',
    );
    await say('zd1', '取消');

    expect(await lastOf('boss', '案例进度')).toContain('请回复序号选择要查看进度的征集');
    expect(await lastOf('boss', '2')).toContain('**案例进度｜征集2《第二轮典型案例》**');
    expect(await lastOf('boss', '案例进度 征集2')).toContain('淄川区 已提交 0/1，还需 1 个');
  });

  it('a title with personal information: block resends, warn asks for 确认 and is kept on the case', async () => {
    expect(await lastOf('gx1', '提交案例 征集1')).toContain('请选择主题');
    await say('gx1', '4');
    await say('gx1', '1');
    expect(await lastOf('gx1', '咨询请拨13812345678')).toContain('提交未受理');
    expect((await conversation('gx1'))!.step).toBe('title');
    expect(await lastOf('gx1', '来信请寄gaoxin_office@163.com')).toContain('内容中可能含有个人信息');
    expect((await conversation('gx1'))!.step).toBe('title:confirm');
    expect(await lastOf('gx1', '确认')).toContain('标题：来信请寄gaoxin_office@163.com\n请发送案例内容');
    await say('gx1', '高新区政务服务网开设企业诉求专区。');
    expect(await lastOf('gx1', '确认')).toContain('已提交 1/5，还需 4 个');
    const row = await cases().findOneByOrFail({ submittedBy: 'gx1' });
    expect(row.piiAccepted.map((finding) => finding.kind)).toEqual(['email']);
  });

  it('closing a call stops submissions and changes', async () => {
    expect(await lastOf('boss', '结束案例征集 征集2')).toContain('**结束征集2《第二轮典型案例》？**');
    expect(await lastOf('boss', '确认')).toContain('已结束征集2《第二轮典型案例》');
    expect(await lastOf('zd1', '提交案例')).toContain('向征集1');
    await say('zd1', '取消');

    // A liaison in the middle of a draft when the call closes.
    await say('zc1', '提交案例');
    await say('zc1', '1');
    expect(await lastOf('boss', '结束案例征集')).toContain('**结束征集1《');
    expect(await lastOf('boss', '确认')).toContain(
      '未达标 4 个（区县2、功能区1、市直部门1）：\n淄川区 已提交 0/5，还需 5 个\n张店区 已提交 2/5，还需 3 个\n高新区 已提交 1/5，还需 4 个\n市公安局 已提交 0/1，还需 1 个',
    );
    expect(await lastOf('zc1', '1')).toBe('征集1已结束，不能再提交或修改案例。');
    expect(await conversation('zc1')).toBeNull();
    expect(await lastOf('zd1', '修改案例 C1')).toBe('征集1已结束，案例C1不能再修改或撤回。');
    expect(await lastOf('zd1', '提交案例')).toBe('当前没有进行中的案例征集。');
    // Closed calls can still be read and exported.
    expect(await lastOf('boss', '案例进度 征集1')).toContain('已结束');
    expect(await lastOf('boss', '审核案例 C1 采纳')).toBe('已采纳案例C1，已通知张店区 2 名联络员。');
    const stale = bot.inbox('gx1').find((d) => d.msgtype === 'template_card')!;
    expect((await click('gx1', stale, 'case:submit:1')).join()).toBe('征集1已结束，不能再提交案例。');
  });
});
