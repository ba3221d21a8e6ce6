// `duban import`, `duban export directory` and `duban seed-demo` against a real database: happy
// paths for .csv and .xlsx, idempotent re-import, update in place, whole-file rejection with every
// bad row listed and nothing written, export → import round trip, and the audit rows of each change.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliActor } from '../src/commands/common.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { ConversationState } from '../src/entities/conversation-state.js';
import { MediaAccount } from '../src/entities/media-account.js';
import { Person } from '../src/entities/person.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { directoryTables } from '../src/services/directory/export.js';
import { runCli } from './support/cli.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

let database: TestDatabase;
let db: DataSource;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.dataSource;
  dir = await mkdtemp(join(tmpdir(), 'duban-directory-'));
});

afterAll(async () => {
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

async function clearDirectory(source: DataSource): Promise<void> {
  for (const entity of [AuditLog, MediaAccount, Website, ConversationState, Person]) {
    await source.createQueryBuilder().delete().from(entity).execute();
  }
  await source.createQueryBuilder().update(Unit).set({ parentId: null }).execute();
  await source.createQueryBuilder().delete().from(Unit).execute();
}

beforeEach(async () => {
  await clearDirectory(db);
});

async function counts(source: DataSource = db) {
  return {
    units: await source.getRepository(Unit).count(),
    people: await source.getRepository(Person).count(),
    websites: await source.getRepository(Website).count(),
    accounts: await source.getRepository(MediaAccount).count(),
    audit: await source.getRepository(AuditLog).count(),
  };
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const BOM = '\uFEFF';
const PEOPLE_HEADER = '单位名称,单位类型,上级单位,姓名,企业微信账号,角色,手机号';
const PEOPLE = [
  PEOPLE_HEADER,
  '高青县,区县,,王五,wangwu,联络员,13800000001',
  '高青县司法局,区县,高青县,赵六,zhaoliu,联络员,',
  '市水利局,市直部门,,钱七,qianqi,联络员,138 0000 0003',
  '市大数据局,市直部门,,孙八,sunba,督办员,',
  '市大数据局,市直部门,,周九,zhoujiu,管理员,',
  '文昌湖区,功能区,,,,,',
];
const WEBSITES = [
  '网站名称,网站标识码,域名,主办单位',
  '淄博市高青县人民政府,3703220001,gaoqing.zibo-demo.example,高青县',
  '淄博市水利局,3703000016,slj.zibo-demo.example,市水利局',
];
const ACCOUNTS = [
  '账号名称,平台,主办单位,状态',
  '高青司法行政法律服务,微信,高青县司法局,运行',
  '淄博水利,微信公众号,市水利局,运行',
  '淄博水利,微博,市水利局,已关停',
];

const csv = (lines: string[], eol = '\n') => lines.join(eol) + eol;

async function importPeopleWebsitesAccounts(): Promise<void> {
  expect((await runCli(db, 'import', await file('people.csv', BOM + csv(PEOPLE)))).code).toBe(0);
  expect((await runCli(db, 'import', await file('websites.csv', csv(WEBSITES, '\r\n')))).code).toBe(0);
  expect((await runCli(db, 'import', await file('accounts.csv', csv(ACCOUNTS)))).code).toBe(0);
}

describe('import: CSV', () => {
  it('creates units and people from a people sheet (UTF-8 with BOM), with audit rows', async () => {
    const run = await runCli(db, 'import', await file('people.csv', BOM + csv(PEOPLE)));
    expect(run).toEqual({
      code: 0,
      out:
        `已导入 ${join(dir, 'people.csv')}：人员表\n` +
        '  单位：新建 5，更新 0，未变 0\n' +
        '  人员：新建 5，更新 0，未变 0\n' +
        '  网站：新建 0，更新 0，未变 0\n' +
        '  新媒体账号：新建 0，更新 0，未变 0\n',
      err: '',
    });
    const units = await db.getRepository(Unit).find();
    const byName = new Map(units.map((unit) => [unit.name, unit]));
    expect(byName.get('高青县司法局')?.parentId).toBe(byName.get('高青县')?.id);
    expect(byName.get('文昌湖区')).toMatchObject({ kind: 'zone', parentId: null, active: true });
    expect(await db.getRepository(Person).findOneByOrFail({ userid: 'qianqi' })).toMatchObject({
      name: '钱七',
      role: 'liaison',
      mobile: '13800000003',
      unitId: byName.get('市水利局')?.id,
      active: true,
    });
    expect(await db.getRepository(Person).findOneByOrFail({ userid: 'zhoujiu' })).toMatchObject({
      role: 'admin',
    });

    const audit = await db.getRepository(AuditLog).find({ order: { id: 'ASC' } });
    expect(audit.map((row) => row.action).sort()).toEqual(
      [
        ...Array<string>(5).fill('unit.create'),
        ...Array<string>(5).fill('person.create'),
        'directory.import',
      ].sort(),
    );
    for (const row of audit) expect(row).toMatchObject({ actor: cliActor(), result: 'ok' });
    expect(cliActor()).toMatch(/^cli:/);
    expect(audit.find((row) => row.target === 'person:wangwu')?.detail).toBe(
      '新建：王*，高青县 联络员，手机 138****0001',
    );
    // Personal information never reaches the audit log unmasked.
    for (const row of audit) expect(row.detail).not.toMatch(/13800000001|王五|赵六/);
    expect(audit.find((row) => row.action === 'directory.import')).toMatchObject({
      target: 'file:people.csv',
      detail: expect.stringContaining('单位：新建 5') as string,
    });
  });

  it('reads websites (CRLF, no BOM) and accounts referring to units already imported', async () => {
    await importPeopleWebsitesAccounts();
    expect(await counts()).toMatchObject({ units: 5, people: 5, websites: 2, accounts: 3 });
    const weibo = await db
      .getRepository(MediaAccount)
      .findOneByOrFail({ platform: 'weibo', name: '淄博水利' });
    expect(weibo.status).toBe('closed');
    const site = await db.getRepository(Website).findOneByOrFail({ siteCode: '3703000016' });
    expect(site).toMatchObject({ name: '淄博市水利局', domain: 'slj.zibo-demo.example', status: 'active' });
  });

  it('is idempotent: the same files again change nothing, not even the audit log', async () => {
    await importPeopleWebsitesAccounts();
    const before = await counts();
    for (const [name, content] of [
      ['people.csv', BOM + csv(PEOPLE)],
      ['websites.csv', csv(WEBSITES)],
      ['accounts.csv', csv(ACCOUNTS)],
    ] as const) {
      const run = await runCli(db, 'import', await file(name, content));
      expect(run.code).toBe(0);
      expect(run.out).toContain('（与系统中的数据相同，没有变化）');
      expect(run.out).not.toMatch(/新建 [1-9]|更新 [1-9]/);
    }
    expect(await counts()).toEqual(before);
  });

  it('updates changed rows in place and audits each change', async () => {
    await importPeopleWebsitesAccounts();
    const wangwu = await db.getRepository(Person).findOneByOrFail({ userid: 'wangwu' });
    const people = [...PEOPLE];
    people[1] = '高青县,区县,,王五,wangwu,督办员,13800000009';
    people[3] = '市水利局,市直部门,,钱七,QianQi,联络员,'; // userids compare case-insensitively
    const run = await runCli(db, 'import', await file('people.csv', csv(people)));
    expect(run.out).toContain('  单位：新建 0，更新 0，未变 5\n  人员：新建 0，更新 2，未变 3\n');
    expect(await db.getRepository(Person).findOneByOrFail({ id: wangwu.id })).toMatchObject({
      userid: 'wangwu',
      role: 'supervisor',
      mobile: '13800000009',
    });
    expect(await db.getRepository(Person).findOneByOrFail({ userid: 'qianqi' })).toMatchObject({
      mobile: null,
    });

    const websites = [...WEBSITES];
    websites[2] = '淄博市水利局门户,3703000016,www.slj.zibo-demo.example,市水利局';
    expect((await runCli(db, 'import', await file('websites.csv', csv(websites)))).out).toContain(
      '网站：新建 0，更新 1，未变 1',
    );
    const accounts = [...ACCOUNTS];
    accounts[3] = '淄博水利,微博,高青县,已注销';
    expect((await runCli(db, 'import', await file('accounts.csv', csv(accounts)))).out).toContain(
      '新媒体账号：新建 0，更新 1，未变 2',
    );
    expect(await counts()).toMatchObject({ units: 5, people: 5, websites: 2, accounts: 3 });

    const audit = await db.getRepository(AuditLog).find({ where: { actor: cliActor() } });
    const detail = (target: string) => audit.filter((row) => row.target === target).map((row) => row.detail);
    expect(detail('person:wangwu')).toContain('角色 联络员→督办员；手机 138****0001→138****0009');
    expect(detail('person:qianqi')).toContain('手机 138****0003→无');
    expect(detail('website:3703000016')).toContain(
      '名称 淄博市水利局→淄博市水利局门户；域名 slj.zibo-demo.example→www.slj.zibo-demo.example',
    );
    expect(detail('account:weibo:淄博水利')).toContain(
      '新浪微博「淄博水利」：主办单位 市水利局→高青县；状态 已关停→已注销',
    );
  });

  it('reads a GBK CSV (Excel’s plain “CSV” on Chinese Windows)', async () => {
    const gbk = iconv.encode(`${PEOPLE_HEADER}\n高青县,区县,,王五,wangwu,联络员,\n`, 'gbk');
    const run = await runCli(db, 'import', await file('gbk.csv', gbk));
    expect(run.code).toBe(0);
    expect(await counts()).toMatchObject({ units: 1, people: 1 });
  });

  it('refuses a CSV in an encoding it cannot read, and says how to save it', async () => {
    const run = await runCli(
      db,
      'import',
      await file('bad.csv', Buffer.from([0x81, 0x30, 0xff, 0xff, 0x0a])),
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain('CSV UTF-8');
    expect(await counts()).toMatchObject({ units: 0, people: 0, audit: 0 });
  });

  it('reports usage, a missing file and an unknown header', async () => {
    expect(await runCli(db, 'import')).toMatchObject({
      code: 2,
      err: expect.stringContaining('用法') as string,
    });
    expect(await runCli(db, 'import', join(dir, 'nope.csv'))).toMatchObject({
      code: 1,
      err: `找不到文件 ${join(dir, 'nope.csv')}\n`,
    });
    const run = await runCli(db, 'import', await file('odd.csv', '姓名,电话\n王五,123\n'));
    expect(run.code).toBe(1);
    expect(run.err).toContain('第 1 行：无法识别表头');
  });
});

/** A workbook with the given sheets (name → rows, the first row being the header). */
async function workbook(sheets: Record<string, (string | number)[][]>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const split = (lines: string[]) => lines.map((line) => line.split(','));

describe('import: xlsx', () => {
  it('reads all three sheets whatever their order (units come from the people sheet)', async () => {
    const path = await file(
      'directory.xlsx',
      await workbook({ 账号: split(ACCOUNTS), 网站: split(WEBSITES), 人员: split(PEOPLE) }),
    );
    const run = await runCli(db, 'import', path);
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      '新媒体账号表（工作表「账号」）、网站表（工作表「网站」）、人员表（工作表「人员」）',
    );
    expect(await counts()).toMatchObject({ units: 5, people: 5, websites: 2, accounts: 3 });
    expect((await runCli(db, 'import', path)).out).toContain('没有变化');
  });

  it('rejects the whole file, listing every bad row by sheet and line, and writes nothing', async () => {
    await importPeopleWebsitesAccounts();
    const before = await counts();
    const path = await file(
      'bad.xlsx',
      await workbook({
        人员: [
          PEOPLE_HEADER.split(','),
          ['临淄区', '区县', '', '冯一', 'fengyi', '联络员', ''],
          ['某某镇', '乡镇', '', '陈二', 'chener', '联络员', ''],
          ['桓台县', '区县', '', '褚三', 'chusan', '组长', ''],
          ['沂源县', '区县', '', '卫四', 'FengYi', '联络员', ''],
          ['某局', '区县', '不存在县', '蒋五', 'jiangwu', '联络员', ''],
          ['博山区', '区县', '', '沈六', 'shenliu', '联络员', '12345'],
        ],
        网站: [
          ['网站名称', '网站标识码', '域名', '主办单位'],
          ['淄博市临淄区人民政府', 3703050001, 'linzi.zibo-demo.example', '临淄区'],
          ['无主网站', 3703990001, 'none.zibo-demo.example', '无此单位'],
          ['重复网站', 3703050001, 'dup.zibo-demo.example', '临淄区'],
        ],
        账号: [
          ['账号名称', '平台', '主办单位', '状态'],
          ['临淄发布', '快手', '临淄区', '运行'],
          ['临淄发布', '微信', '', '暂停'],
        ],
      }),
    );
    const run = await runCli(db, 'import', path);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toBe(
      `${path}：文件未导入（整份拒绝），发现 10 个问题：\n` +
        '  - 工作表「人员」第 3 行：单位类型「乡镇」无效（应为 区县、功能区、市直部门 或 其他）\n' +
        '  - 工作表「人员」第 4 行：角色「组长」无效（应为 联络员、督办员 或 管理员）\n' +
        '  - 工作表「人员」第 5 行：企业微信账号「FengYi」与工作表「人员」第 2 行重复\n' +
        '  - 工作表「人员」第 6 行：上级单位「不存在县」不存在（须在本表登记或已在系统中）\n' +
        '  - 工作表「人员」第 7 行：手机号无效（应为 11 位大陆手机号）\n' +
        '  - 工作表「网站」第 3 行：主办单位「无此单位」不存在（须在人员表中登记或已在系统中）\n' +
        '  - 工作表「网站」第 4 行：网站标识码「3703050001」与工作表「网站」第 2 行重复\n' +
        '  - 工作表「账号」第 2 行：平台「快手」无效（应为 微信公众号、新浪微博、今日头条、抖音 或 其他）\n' +
        '  - 工作表「账号」第 3 行：缺少主办单位\n' +
        '  - 工作表「账号」第 3 行：状态「暂停」无效（应为 运行、已关停 或 已注销）\n',
    );
    expect(await counts()).toEqual(before);
  });

  it('numbers CSV lines as the file does', async () => {
    const run = await runCli(
      db,
      'import',
      await file(
        'bad.csv',
        csv([PEOPLE_HEADER, '高青县,区县,,王五,wangwu,联络员,', '', '高青县,区县,,王五,wang wu,联络员,']),
      ),
    );
    expect(run.err).toContain(
      '文件未导入（整份拒绝），发现 1 个问题：\n  - 第 4 行：企业微信账号「wang wu」无效（只能由字母、数字和 _-@. 组成，最长 64 位）\n',
    );
    expect(await counts()).toMatchObject({ units: 0, people: 0, audit: 0 });
  });
});

describe('export directory and the round trip', () => {
  it('writes the three sheets, and importing them changes nothing here and rebuilds the same elsewhere', async () => {
    expect((await runCli(db, 'seed-demo')).code).toBe(0);
    const path = join(dir, 'export.xlsx');
    const exported = await runCli(db, 'export', 'directory', path);
    expect(exported).toEqual({
      code: 0,
      out: `已导出通讯录到 ${path}：人员表 63 行，网站 54 个，新媒体账号 660 个。\n`,
      err: '',
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(path)) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['人员', '网站', '新媒体账号']);
    expect(book.getWorksheet('人员')!.getRow(1).values).toEqual([undefined, ...PEOPLE_HEADER.split(',')]);
    expect(book.getWorksheet('网站')!.getCell('B2').value).toBe('3703020001');

    const before = await counts();
    const again = await runCli(db, 'import', path);
    expect(again.out).toContain('没有变化');
    expect(await counts()).toEqual(before);

    const other = await createTestDatabase();
    try {
      const imported = await runCli(other.dataSource, 'import', path);
      expect(imported.out).toContain('单位：新建 58');
      expect(imported.out).toContain('新媒体账号：新建 660');
      expect(await directoryTables(other.dataSource.manager)).toEqual(await directoryTables(db.manager));
    } finally {
      await other.drop();
    }
  });

  it('keeps units nobody is registered in, and leaves deactivated people out', async () => {
    await importPeopleWebsitesAccounts();
    await db.getRepository(Person).update({ userid: 'zhaoliu' }, { active: false });
    const tables = await directoryTables(db.manager);
    expect(tables.people).toContainEqual(['文昌湖区', '功能区', '', '', '', '', '']);
    expect(tables.people).toContainEqual(['高青县司法局', '区县', '高青县', '', '', '', '']);
    expect(tables.people.flat()).not.toContain('zhaoliu');
    const path = join(dir, 'partial.xlsx');
    await runCli(db, 'export', 'directory', path);
    expect((await runCli(db, 'import', path)).out).toContain('没有变化');
  });

  it.each([[[]], [['tasks', 'x.xlsx']], [['directory']], [['directory', 'x.csv']]])(
    'export %j is a usage error',
    async (args) => {
      expect((await runCli(db, 'export', ...args)).code).toBe(2);
    },
  );
});

describe('seed-demo', () => {
  it('loads a directory shaped like the notice, once', async () => {
    const first = await runCli(db, 'seed-demo');
    expect(first.code).toBe(0);
    expect(first.out).toContain('单位：新建 58，更新 0，未变 0');
    expect(first.out).toContain('npx duban chat --as demo_gaoqing');

    const units = await db.getRepository(Unit).find();
    const byName = new Map(units.map((unit) => [unit.name, unit]));
    const tops = units.filter((unit) => unit.parentId === null);
    expect(tops.filter((unit) => unit.kind === 'district').map((unit) => unit.name)).toEqual([
      '张店区',
      '淄川区',
      '博山区',
      '周村区',
      '临淄区',
      '桓台县',
      '高青县',
      '沂源县',
    ]);
    expect(tops.filter((unit) => unit.kind === 'zone').map((unit) => unit.name)).toEqual([
      '高新区',
      '经济开发区',
      '文昌湖区',
    ]);
    const departments = tops.filter((unit) => unit.kind === 'department').map((unit) => unit.name);
    expect(departments.length).toBeGreaterThanOrEqual(15);
    expect(departments).toEqual(
      expect.arrayContaining([
        '市公安局',
        '市水利局',
        '市信访局',
        '市公共资源交易中心',
        '市自然资源和规划局',
        '市工业和信息化局',
        '市农业农村局',
        '市大数据局',
      ]),
    );
    expect(byName.get('高青县司法局')?.parentId).toBe(byName.get('高青县')?.id);
    expect(byName.get('市公安局张店分局')?.parentId).toBe(byName.get('市公安局')?.id);

    const people = await db.getRepository(Person).find();
    for (const unit of units) {
      expect(
        people.some((p) => p.unitId === unit.id && p.role === 'liaison'),
        unit.name,
      ).toBe(true);
    }
    const staff = people.filter((p) => p.role !== 'liaison');
    expect(staff.map((p) => [p.role, p.unitId])).toEqual([
      ['supervisor', byName.get('市大数据局')!.id],
      ['supervisor', byName.get('市大数据局')!.id],
      ['admin', byName.get('市大数据局')!.id],
    ]);

    expect(await db.getRepository(Website).count()).toBe(54);
    const platforms = await db
      .getRepository(MediaAccount)
      .createQueryBuilder('a')
      .select('a.platform', 'platform')
      .addSelect('COUNT(*)', 'count')
      .groupBy('a.platform')
      .getRawMany<{ platform: string; count: string | number }>();
    expect(Object.fromEntries(platforms.map((row) => [row.platform, Number(row.count)]))).toEqual({
      wechat: 437,
      weibo: 90,
      toutiao: 34,
      douyin: 62,
      other: 37,
    });
    expect(
      await db.getRepository(AuditLog).countBy({ action: 'directory.seed-demo', actor: cliActor() }),
    ).toBe(1);

    const before = await counts();
    const second = await runCli(db, 'seed-demo');
    expect(second.out).toContain('（已存在，没有变化）');
    expect(await counts()).toEqual(before);
  });

  it('refuses a database with real people unless forced', async () => {
    expect((await runCli(db, 'import', await file('people.csv', csv(PEOPLE)))).code).toBe(0);
    const refused = await runCli(db, 'seed-demo');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('数据库中已有 5 名真实人员');
    expect(await db.getRepository(Website).count()).toBe(0);
    expect((await runCli(db, 'seed-demo', '--force')).code).toBe(0);
    expect(await db.getRepository(Website).count()).toBe(54);
  });
});
