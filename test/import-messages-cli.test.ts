// `duban import-messages <file>`: the same import as in chat, from the command line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { commands } from '../src/commands/index.js';
import { importMessagesCommand } from '../src/commands/import-messages.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { GuestbookMessage } from '../src/entities/guestbook-message.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { Person } from '../src/entities/person.js';
import { Unit } from '../src/entities/unit.js';
import { Website } from '../src/entities/website.js';
import { runCommand } from './support/cli.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

let db: TestDatabase;
let dir: string;
const command = importMessagesCommand(new ManualClock('2026-03-20T02:00:00Z'));

const run = (...args: string[]) => runCommand(command, db.dataSource, args);

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'duban-messages-'));
  const tx = db.dataSource.manager;
  const unit = await tx.save(
    tx.create(Unit, { name: '市水利局', kind: 'department', parentId: null, active: true }),
  );
  await tx.save(
    tx.create(Person, {
      userid: 'sl1',
      name: '王水利',
      role: 'liaison',
      unitId: unit.id,
      mobile: null,
      active: true,
    }),
  );
  await tx.save(
    tx.create(Website, {
      name: '淄博市水利局网站',
      siteCode: '3703000012',
      domain: 'x',
      unitId: unit.id,
      status: 'active',
    }),
  );
});

afterAll(async () => {
  await db.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('import-messages', () => {
  it('is registered with a Chinese summary', () => {
    const registered = commands.find((c) => c.name === 'import-messages');
    expect(registered?.summary).toContain('留言');
  });

  it('imports an .xlsx, tells the unit through the outbox, and skips duplicates on a second run', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sheet1');
    sheet.addRow(['留言编号', '网站名称', '网站标识码', '留言时间', '留言内容']);
    sheet.addRow([202603190001, '淄博市水利局网站', 3703000012, '2026-03-19 10:00:00', '新闻图片不显示']);
    sheet.addRow([202603190002, '淄博市水利局网站', 3703000012, '2026-03-19 11:00:00', '下载附件报错']);
    const path = await file('export.xlsx', Buffer.from(await book.xlsx.writeBuffer()));

    const first = await run(path);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/留言导入完成：新增 2 条（L\d+–L\d+），跳过重复 0 条。/);
    const rows = await db.dataSource.getRepository(GuestbookMessage).find({ order: { id: 'ASC' } });
    expect(rows.map((r) => r.platformNo)).toEqual(['202603190001', '202603190002']);
    expect(rows[0]!.registeredBy).toMatch(/^cli/);
    expect(rows[0]!.deadline.toISOString()).toBe('2026-03-23T16:00:00.000Z');
    const outbox = await db.dataSource.getRepository(OutboxMessage).findBy({ recipient: 'sl1' });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload).toContain('新收到“我为政府网站找错”留言 2 条');
    expect(
      await db.dataSource.getRepository(AuditLog).countBy({ action: 'guestbook.import', result: 'ok' }),
    ).toBe(1);

    const second = await run(path);
    expect(second.code).toBe(0);
    expect(second.out).toContain('新增 0 条，跳过重复 2 条');
    expect(second.out).toContain(`第 2 行：留言编号 202603190001（已有 L${rows[0]!.id}）`);
    expect(await db.dataSource.getRepository(OutboxMessage).countBy({ recipient: 'sl1' })).toBe(1);
  });

  it('reads a .csv and reports bad rows by line, importing nothing', async () => {
    const count = await db.dataSource.getRepository(GuestbookMessage).count();
    const csv = [
      '留言编号,网站名称,网站标识码,留言时间,留言内容',
      'C-1,淄博市水利局网站,3703000012,2026-03-19 10:00,栏目更新不及时',
      'C-2,淄博市水利局网站,3703000012,2026-13-01 10:00,错别字',
    ].join('\r\n');
    const path = await file('bad.csv', csv);
    const result = await run(path);
    expect(result.code).toBe(1);
    expect(result.err).toContain('导入未完成：1 行有误，未导入任何留言');
    expect(result.err).toContain('第 3 行：留言时间“2026-13-01 10:00”无法识别');
    expect(await db.dataSource.getRepository(GuestbookMessage).count()).toBe(count);
  });

  it('explains a header mismatch, a missing file and the usage', async () => {
    const wrong = await run(await file('wrong.csv', '编号,内容\n1,a\n'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('表头不符');
    expect((await run(join(dir, 'none.xlsx'))).err).toContain('找不到文件');
    expect((await run()).code).toBe(2);
    expect((await run(join(dir, 'a.txt'))).err).toContain('用法');
  });
});
