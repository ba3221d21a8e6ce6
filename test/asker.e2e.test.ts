// The asker on the hot path: one locked statement gives the person, their dialog and the unit
// table's version; the unit tree is cached per process and read again whenever the version moved,
// whichever instance (a directory import) moved it. And one delivery handled at once commits once, with
// no second run for a copy that arrives while the first is still being handled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpUnitVersion } from '../src/db/unit-version.js';
import { applyDirectoryRows } from '../src/services/directory/import.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { Person } from '../src/entities/person.js';
import { Unit } from '../src/entities/unit.js';
import { FEATURES, buildRouter } from '../src/handlers/index.js';
import type { Command } from '../src/handlers/types.js';
import { text } from '../src/messages/outbound.js';
import { say } from './support/chat.js';
import { startTestBot, type TestBot } from './support/harness.js';

let runs = 0;
let release: (() => void) | undefined;
const slow: Command = {
  name: '慢',
  roles: ['liaison'],
  summary: '',
  args: 'none',
  handle: async () => {
    runs++;
    await new Promise<void>((resolve) => (release = resolve));
    return { replies: [text(`第${runs}次`)] };
  },
};

let a: TestBot;
let b: TestBot;

beforeAll(async () => {
  a = await startTestBot({ router: buildRouter([...FEATURES, { name: 'test', commands: [slow] }]) });
  // A second instance on the same database.
  b = await startTestBot({ database: a.database, fake: a.fake, credentials: a.credentials, clock: a.clock });
  await a.addUnit('张店区', 'district');
  await a.addUnit('淄川区', 'district');
  await a.addUnit('张店区教育局', 'department', '张店区');
  await a.addPerson('jy', { name: '教育联络员', unit: '张店区教育局' });
});

afterAll(async () => {
  await b.close({ keepDatabase: true, keepFake: true });
  await a.close();
});

const units = () => a.database.dataSource.getRepository(Unit);

describe('the unit tree cached per process', () => {
  it('is read again on one instance after the other (or an import) changes a unit', async () => {
    expect(await say(a, 'jy', '我的信息')).toContain('张店区');
    // Another instance's directory import renames the top-level unit, in one transaction with the
    // version, then moves the sub-unit within the same second.
    await a.database.dataSource.transaction(async (tx) => {
      await tx.getRepository(Unit).update({ name: '张店区' }, { name: '张店区（新）' });
      await bumpUnitVersion(tx);
    });
    expect(await say(a, 'jy', '我的信息')).toContain('张店区（新）');
    const zichuan = await units().findOneByOrFail({ name: '淄川区' });
    await a.database.dataSource.transaction(async (tx) => {
      await tx.getRepository(Unit).update({ name: '张店区教育局' }, { parentId: zichuan.id });
      await bumpUnitVersion(tx);
    });
    const info = await say(a, 'jy', '我的信息');
    expect(info).toContain('淄川区');
    expect(info).not.toContain('张店区（新）');
  });

  it('never caches the person: a role changed elsewhere counts at the next message', async () => {
    await a.database.dataSource.getRepository(Person).update({ userid: 'jy' }, { active: false });
    expect(await say(a, 'jy', '我的信息')).toContain('您尚未登记为联络员或督办人员');
    await a.database.dataSource.getRepository(Person).update({ userid: 'jy' }, { active: true });
    expect(await say(b, 'jy', '我的信息')).toContain('教育联络员');
  });

  it('reads the tree again through a real directory import', async () => {
    const where = { sheet: '人员', line: 2 };
    const imported = await b.database.dataSource.transaction((tx) =>
      applyDirectoryRows(
        tx,
        {
          people: [
            { where, unitName: '临淄区', unitKind: 'district', parentName: null, person: null },
            {
              where,
              unitName: '张店区教育局',
              unitKind: 'department',
              parentName: '临淄区',
              person: { name: '教育联络员', userid: 'jy', role: 'liaison', mobile: null },
            },
          ],
          websites: [],
          accounts: [],
        },
        { actor: 'system', now: b.clock.now(), action: 'directory.import', target: 'test' },
      ),
    );
    expect(imported.ok).toBe(true);
    expect(await say(a, 'jy', '我的信息')).toContain('属临淄区');
  });
});

describe('a delivery handled at once', () => {
  it('stores no body, and a copy arriving meanwhile waits and gets the first answer, not a second run', async () => {
    runs = 0;
    const xml = a.client.textXml('jy', '慢');
    const first = a.client.post(xml);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const copy = a.client.post(xml);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release!();
    const [one, two] = await Promise.all([first, copy]);
    expect(runs).toBe(1);
    expect(one.reply?.content).toBe('第1次');
    expect(two.reply?.content).toBe('第1次');
    const rows = await a.database.dataSource.getRepository(InboundMessage).findBy({ fromUser: 'jy' });
    expect(rows.every((row) => row.xml === null)).toBe(true);
    expect(rows.filter((row) => row.status === 'done').length).toBeGreaterThan(0);
  });
});
