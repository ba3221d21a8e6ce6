// The CLI reads files with the bot's caps and in the bot's worker pool: from the TypeScript sources
// (in-process, as the other CLI tests) and as deployed, from the bundle (dist/cli.mjs with its
// worker dist/content-worker.mjs, built by bin/duban.mjs). Exit codes as documented in README.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_LIMIT } from '../src/commands/common.js';
import { importDirectoryCommand } from '../src/commands/import-directory.js';
import { importMessagesCommand } from '../src/commands/import-messages.js';
import { piiCheckCommand } from '../src/commands/pii-check.js';
import { runCommand } from './support/cli.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';
import { makeDocx, makeDocxBomb } from './support/docx.js';
import { makeLongWorkbook } from './support/heavy.js';

const run = promisify(execFile);
let dir = '';
let database: TestDatabase;
const path = (name: string) => join(dir, name);

/** An .xlsx-named zip whose one sheet inflates from ~20 KB to 20 MB. */
async function xlsxBomb(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(20 * 1024 * 1024, 0x20));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-content-cli-'));
  await writeFile(path('big.txt'), Buffer.alloc(2 * 1024 * 1024 + 1, 0x61));
  await writeFile(path('zipbomb.docx'), await makeDocxBomb(200_000, 'DEFLATE'));
  await writeFile(path('slow.xlsx'), await makeLongWorkbook());
  // 200,000 mobile numbers: more findings than a spread call can take as arguments.
  await writeFile(
    path('crowded.docx'),
    await makeDocx(Array.from({ length: 10_000 }, () => '手机13812345678，'.repeat(20))),
  );
  await writeFile(path('phone.docx'), await makeDocx(['联系人手机13812345678']));
  await writeFile(path('名录.xlsx'), await xlsxBomb());
  await writeFile(path('留言.xlsx'), await xlsxBomb());
  await writeFile(path('留言.csv'), Buffer.alloc(5 * 1024 * 1024 + 1, 0x61));
  database = await createTestDatabase();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await database.drop();
});

describe('pii-check: a file refused by a limit is unreadable (exit 2)', () => {
  it.each([
    ['big.txt', '文本文件超过 2 MB，未读取'],
    ['zipbomb.docx', '文件压缩比异常'],
  ])('%s', async (name, words) => {
    const result = await runCommand(piiCheckCommand, null, [path(name)]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(words);
  });

  it('standard input over 2 MB', async () => {
    const result = await runCommand(piiCheckCommand, null, ['-'], 'a'.repeat(2 * 1024 * 1024 + 1));
    expect(result.code).toBe(2);
    expect(result.err).toContain('标准输入超过 2 MB');
  });

  it('a file refused by a limit, beside a file with a block finding: exit 1 still wins', async () => {
    const result = await runCommand(piiCheckCommand, null, [path('zipbomb.docx'), path('phone.docx')]);
    expect(result.err).toContain('文件压缩比异常');
    expect(result.code).toBe(1);
  });
});

describe('pii-check: a file with 200,000 findings', () => {
  it('reports every one and exits 1 (the findings were once spread into one call and overflowed the stack)', async () => {
    const result = await runCommand(piiCheckCommand, null, [path('crowded.docx')]);
    expect(result.code).toBe(1);
    expect(result.out.trimEnd().split('\n')).toHaveLength(200_000);
    expect(result.err).toContain('拦截 200000 处');
  });
});

describe('import and import-messages: a file refused by a limit exits 3', () => {
  it('import: a zip bomb named .xlsx', async () => {
    const result = await runCommand(importDirectoryCommand, database.dataSource, [path('名录.xlsx')]);
    expect(result.code).toBe(EXIT_LIMIT);
    expect(result.err).toContain('文件压缩比异常');
  });

  it('import-messages: a zip bomb named .xlsx, and a .csv over 5 MB (not read)', async () => {
    const bomb = await runCommand(importMessagesCommand(), database.dataSource, [path('留言.xlsx')]);
    expect(bomb.code).toBe(EXIT_LIMIT);
    expect(bomb.err).toContain('文件压缩比异常');
    const big = await runCommand(importMessagesCommand(), database.dataSource, [path('留言.csv')]);
    expect(big.code).toBe(EXIT_LIMIT);
    expect(big.err).toContain('CSV 文件超过 5 MB，未读取');
  });

  it('import-messages: a workbook whose reading runs past CONTENT_PARSE_TIMEOUT_S', async () => {
    const saved = process.env.CONTENT_PARSE_TIMEOUT_S;
    process.env.CONTENT_PARSE_TIMEOUT_S = '1';
    try {
      // Refused before the database is asked for (null: the command must not ask).
      const result = await runCommand(importMessagesCommand(), null, [path('slow.xlsx')]);
      expect(result.code).toBe(EXIT_LIMIT);
      expect(result.err).toContain('文件内容过于复杂（解析超过 1 秒），请拆分后重新发送。');
    } finally {
      if (saved === undefined) delete process.env.CONTENT_PARSE_TIMEOUT_S;
      else process.env.CONTENT_PARSE_TIMEOUT_S = saved;
    }
  });
});

describe('the bundled CLI (dist/cli.mjs and its worker dist/content-worker.mjs)', () => {
  const duban = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, [join(import.meta.dirname, '..', 'bin', 'duban.mjs'), ...args], {
      env: { ...process.env, ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('parses a .docx in the bundled worker', async () => {
    const result = await duban(['pii-check', path('phone.docx')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('"kind":"mobile"');
    // Ran from the bundle, not from the sources through tsx (bin/duban.mjs's fallback).
    expect(result.stderr).not.toContain('running through tsx');
  });

  it('kills a parse over its time limit in the bundled worker', async () => {
    const result = await duban(['import-messages', path('slow.xlsx')], {
      CONTENT_PARSE_TIMEOUT_S: '1',
      CONTENT_WORKER_MEMORY_MB: '512',
    });
    expect(result.code).toBe(EXIT_LIMIT);
    expect(result.stderr).toContain('文件内容过于复杂（解析超过 1 秒），请拆分后重新发送。');
  });
});
