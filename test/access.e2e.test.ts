// Access control end to end, through encrypted callbacks: every command the router knows × every
// role (so commands added later are covered without touching this file), 帮助 per role, refusals
// audited, and a liaison never seeing another unit's data through any command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_LABELS, type Role } from '../src/entities/person.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { MediaAccount } from '../src/entities/media-account.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { Person } from '../src/entities/person.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { UNKNOWN_USER_TEXT } from '../src/handlers/help.js';
import { buildRouter, FEATURES } from '../src/handlers/index.js';
import { Router } from '../src/handlers/router.js';
import { helpReply } from '../src/handlers/help.js';
import { seedDemo } from '../src/services/directory/demo.js';
import { unitIdsUnder } from '../src/services/directory/lookup.js';
import { denialText } from '../src/services/shared/permissions.js';
import { startTestBot, type TestBot } from './support/harness.js';

const ROLES: Role[] = ['liaison', 'supervisor', 'admin'];
/** From the demo directory: 高青县's liaison, a supervisor and the admin (both in 市大数据局). */
const AS: Record<Role, string> = { liaison: 'demo_gaoqing', supervisor: 'demo_duban1', admin: 'demo_admin' };
const COMMANDS = buildRouter().commands;
const CASES = COMMANDS.flatMap((command) => ROLES.map((role) => [command.name, role] as const));

let bot: TestBot;

beforeAll(async () => {
  bot = await startTestBot();
  await bot.database.dataSource.transaction((tx) => seedDemo(tx, { actor: 'system', now: bot.clock.now() }));
  for (const userid of [...Object.values(AS), 'demo_gqsfj']) bot.fake.addMember(userid);
});

afterAll(async () => {
  await bot.close();
});

async function reset(userid: string): Promise<void> {
  await bot.database.dataSource.getRepository(ConversationState).delete({ userid });
  // A minute passes between steps, as in real use: the members' 30-a-minute allowance refills.
  bot.clock.advance(61_000);
}

async function deniedRows(userid: string): Promise<AuditLog[]> {
  return bot.database.dataSource.getRepository(AuditLog).find({ where: { actor: userid, result: 'denied' } });
}

async function outboxCount(userid: string): Promise<number> {
  return bot.database.dataSource.getRepository(OutboxMessage).countBy({ recipient: userid });
}

/** Everything a member received after `from` (delivered through the outbox), as one string. */
function receivedSince(userid: string, from: number): string {
  return bot
    .inbox(userid)
    .slice(from)
    .map((delivery) => JSON.stringify(delivery.body))
    .join('\n');
}

describe('every command × every role', () => {
  it('walks a non-empty command list that includes the directory commands', () => {
    expect(COMMANDS.map((command) => command.name)).toEqual(
      expect.arrayContaining(['帮助', '我的信息', '设置联络员', '停用']),
    );
  });

  it.each(CASES)('%s as %s', async (name, role) => {
    const command = COMMANDS.find((candidate) => candidate.name === name)!;
    const userid = AS[role];
    await reset(userid);
    const deniedBefore = (await deniedRows(userid)).length;
    const outboxBefore = await outboxCount(userid);

    const result = await bot.client.sendText(userid, name);
    expect(result.status).toBe(200);
    const denial = denialText(command.roles);
    const denied = await deniedRows(userid);

    if (command.roles.includes(role)) {
      // The command ran: it answered in the response or through the outbox, and was not refused.
      expect(result.reply?.content).not.toBe(denial);
      expect(Boolean(result.reply?.content) || (await outboxCount(userid)) > outboxBefore).toBe(true);
      expect(denied).toHaveLength(deniedBefore);
    } else {
      expect(result.reply).toEqual({ msgType: 'text', content: denial, replaceName: undefined });
      expect(denied).toHaveLength(deniedBefore + 1);
      expect(denied.at(-1)).toMatchObject({
        action: `command:${name}`,
        target: name,
        detail: `角色 ${ROLE_LABELS[role]} 无权使用`,
      });
      expect(await outboxCount(userid)).toBe(outboxBefore);
    }
    await reset(userid);
  });

  it('refuses every card action to the roles it does not list, with an audit row', async () => {
    for (const action of FEATURES.flatMap((feature) => feature.cardActions ?? [])) {
      for (const role of ROLES.filter((candidate) => !action.roles.includes(candidate))) {
        const before = (await deniedRows(AS[role])).length;
        const result = await bot.client.post(
          bot.client.cardClickXml(AS[role], {
            eventKey: `${action.prefix}:1`,
            taskId: `walk-${action.prefix}-${role}`,
            cardType: 'button_interaction',
            responseCode: 'walk',
          }),
        );
        expect(result.reply?.content).toBe(denialText(action.roles));
        expect(await deniedRows(AS[role])).toHaveLength(before + 1);
      }
    }
  });
});

describe('帮助 by role', () => {
  it.each(ROLES)('lists exactly the commands a %s may use', async (role) => {
    const userid = AS[role];
    await reset(userid);
    const from = bot.inbox(userid).length;
    await bot.client.sendText(userid, '帮助');
    await bot.flush();
    const help = bot.texts(userid).slice(from).join('\n');
    // Either the full list (`用法` lines) or, when that would not fit one message, the compact one
    // (**分组**：指令 · 指令).
    const listed = new Set<string>();
    for (const line of help.split('\n')) {
      const usage = /^> `([^`]+)`/.exec(line)?.[1];
      if (usage) listed.add(usage.split(' ')[0]!);
      const compact = /^\*\*[^*]+\*\*：(.+)$/.exec(line)?.[1];
      if (compact) for (const name of compact.split(' · ')) listed.add(name);
    }
    for (const command of COMMANDS.filter((c) => c.summary)) {
      expect(listed.has(command.name), `${command.name} for ${role}`).toBe(command.roles.includes(role));
    }
  });
});

describe('a liaison cannot read another unit’s data', () => {
  /** What only 张店区 (with its sub-unit) has: its people, site, domains and account names. */
  async function zhangdianMarkers(): Promise<string[]> {
    const tx = bot.database.dataSource.manager;
    const top = await tx.getRepository(Unit).findOneByOrFail({ name: '张店区' });
    const ids = await unitIdsUnder(tx, top.id);
    const people = await tx.getRepository(Person).find();
    const sites = await tx.getRepository(Website).find();
    const accounts = await tx.getRepository(MediaAccount).find();
    const mine = (unitId: number | null) => unitId !== null && ids.includes(unitId);
    const markers = [
      ...people.filter((p) => mine(p.unitId)).flatMap((p) => [p.userid, p.name, p.mobile ?? '']),
      ...sites.filter((s) => mine(s.unitId)).flatMap((s) => [s.siteCode, s.domain, s.name]),
      ...accounts.filter((a) => mine(a.unitId)).map((a) => a.name),
      '人力资源和社会保障局',
    ].filter((marker) => marker.length >= 3);
    // Markers that happen to appear in 高青县's own data are not evidence of a leak.
    const own = JSON.stringify([
      ...people.filter((p) => p.userid === AS.liaison),
      ...accounts.filter((a) => !mine(a.unitId)),
    ]);
    return markers.filter((marker) => !own.includes(marker));
  }

  it('through any command, with or without another unit named', async () => {
    const markers = await zhangdianMarkers();
    expect(markers.length).toBeGreaterThan(50);
    const userid = AS.liaison;
    for (const command of COMMANDS) {
      for (const text of [command.name, `${command.name} 张店区`, `${command.name} 市公安局张店分局`]) {
        await reset(userid);
        const from = bot.inbox(userid).length;
        const result = await bot.client.sendText(userid, text);
        await bot.flush();
        const seen = `${result.reply?.content ?? ''}\n${receivedSince(userid, from)}`;
        for (const marker of markers) expect(seen, `${text} leaked ${marker}`).not.toContain(marker);
      }
    }
    await reset(userid);
  });

  it('我的信息 shows the own top-level unit’s holdings (with sub-units) and no city totals', async () => {
    const tx = bot.database.dataSource.manager;
    const gaoqing = await tx.getRepository(Unit).findOneByOrFail({ name: '高青县' });
    const ids = await unitIdsUnder(tx, gaoqing.id);
    expect(ids.length).toBe(3);
    const accounts = (await tx.getRepository(MediaAccount).find()).filter((a) => ids.includes(a.unitId));
    const count = (platform: string) => accounts.filter((a) => a.platform === platform).length;
    const sites = (await tx.getRepository(Website).find()).filter((s) => ids.includes(s.unitId)).length;

    for (const userid of [AS.liaison, 'demo_gqsfj']) {
      const from = bot.inbox(userid).length;
      await bot.client.sendText(userid, '我的信息');
      await bot.flush();
      const [info] = bot.texts(userid).slice(from);
      const person = await tx.getRepository(Person).findOneByOrFail({ userid });
      expect(info).toContain(`> 姓名：${person.name}`);
      expect(info).toContain('> 角色：联络员');
      expect(info).toContain('**高青县**（含下属单位）');
      expect(info).toContain(`> 政府网站：${sites} 个`);
      expect(info).toContain(
        `> 政务新媒体：${accounts.length} 个（微信公众号 ${count('wechat')} · 新浪微博 ${count('weibo')} · ` +
          `今日头条 ${count('toutiao')} · 抖音 ${count('douyin')} · 其他 ${count('other')}）`,
      );
      expect(info).not.toContain('全市合计');
      expect(info).not.toContain('660');
    }
    const sub = bot.texts('demo_gqsfj').at(-1)!;
    expect(sub).toContain('> 单位：高青县司法局（属高青县）');
  });

  it('我的信息 gives supervisors and admins the city totals as well', async () => {
    for (const role of ['supervisor', 'admin'] as const) {
      const from = bot.inbox(AS[role]).length;
      await bot.client.sendText(AS[role], '我的信息');
      await bot.flush();
      const [info] = bot.texts(AS[role]).slice(from);
      expect(info).toContain(`> 角色：${ROLE_LABELS[role]}`);
      expect(info).toContain('**市大数据局**');
      expect(info).toContain(
        '**全市合计**\n> 政府网站：54 个\n> 政务新媒体：660 个（微信公众号 437 · 新浪微博 90 · 今日头条 34 · 抖音 62 · 其他 37）',
      );
    }
  });
});

describe('unknown and deactivated users', () => {
  it('get the one-line refusal for any command, and nothing else', async () => {
    await bot.database.dataSource.getRepository(Person).update({ userid: 'demo_zichuan' }, { active: false });
    for (const userid of ['nobody', 'demo_zichuan']) {
      bot.fake.addMember(userid);
      for (const command of COMMANDS) {
        const result = await bot.client.sendText(userid, command.name);
        expect(result.reply?.content).toBe(UNKNOWN_USER_TEXT);
      }
      await bot.flush();
      expect(bot.inbox(userid)).toHaveLength(0);
    }
  });
});

describe('refusals of card actions and files are audited too', () => {
  it('the router refuses and audits a file route and a card action outside the role', async () => {
    const router = new Router({
      commands: [],
      flows: [],
      events: [],
      cardActions: [{ prefix: 'walk:review', roles: ['supervisor', 'admin'], handle: async () => ({}) }],
      files: [{ accepts: () => true, roles: ['admin'], handle: async () => ({}) }],
      help: helpReply,
    });
    const custom = await startTestBot({ router });
    try {
      await custom.addPerson('li', { role: 'liaison', unit: '高青县' });
      await custom.addPerson('sup', { role: 'supervisor', unit: '市大数据局' });
      const card = await custom.client.post(
        custom.client.cardClickXml('li', {
          eventKey: 'walk:review:3',
          taskId: 'walk-1',
          cardType: 'button_interaction',
          responseCode: 'code-1',
        }),
      );
      expect(card.reply?.content).toBe('该命令仅限督办人员使用。');
      const fileResult = await custom.client.post(custom.client.fileXml('sup', 'media-1', '名单.xlsx'));
      expect(fileResult.reply?.content).toBe('该命令仅限管理员使用。');
      const rows = await custom.database.dataSource
        .getRepository(AuditLog)
        .find({ where: { result: 'denied' }, order: { id: 'ASC' } });
      expect(rows.map((row) => [row.actor, row.action])).toEqual([
        ['li', 'card:walk:review'],
        ['sup', 'file:file'],
      ]);
    } finally {
      await custom.close();
    }
  });
});
