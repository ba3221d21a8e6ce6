import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../src/commands/index.js';
import { lineNumbers, piiCheckCommand, type PiiCheckLine } from '../src/commands/pii-check.js';
import { detectPii } from '../src/services/pii/detector.js';
import { runCommand } from './support/cli.js';
import { makeDocx } from './support/docx.js';
import { makeId } from './support/pii-vectors.js';

const ID = makeId('370303', '19850704', '215');

interface Run {
  code: number;
  findings: PiiCheckLine[];
  stdout: string;
  stderr: string;
}

async function run(args: string[], stdin = ''): Promise<Run> {
  const { code, out, err } = await runCommand(piiCheckCommand, null, args, stdin);
  const findings = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as PiiCheckLine);
  return { code, findings, stdout: out, stderr: err };
}

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-pii-check-'));
  await writeFile(join(dir, 'clean.txt'), '根据国办函〔2018〕55号，于2023年3月21日前报送。\n');
  await writeFile(join(dir, 'warn.txt'), '第一行\n咨询电话：0533-2345678\n');
  await writeFile(join(dir, 'block.txt'), `标题\n\n申请人身份证号${ID}，手机13812345678。\n`);
  await writeFile(join(dir, 'article.docx'), await makeDocx(['通报', '联系人邮箱zhangsan@qq.com']));
  await mkdir(join(dir, 'site', 'news'), { recursive: true });
  await writeFile(join(dir, 'site', 'index.shtml'), '<p>首页</p><p>电话13912345678</p>');
  await writeFile(join(dir, 'site', 'news', 'a.html'), '<p>无个人信息</p>');
  await writeFile(join(dir, 'site', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('duban pii-check', () => {
  it('is registered', () => {
    expect(commands.map((c) => c.name)).toContain('pii-check');
  });

  it('exits 0 with no output lines for a clean file', async () => {
    const r = await run([join(dir, 'clean.txt')]);
    expect(r).toMatchObject({ code: 0, findings: [], stdout: '' });
    expect(r.stderr).toBe('pii-check：已检查 1 个文件；拦截 0 处，提醒 0 处。\n');
  });

  it('exits 0 for warn-only findings and reports the 1-based line', async () => {
    const r = await run([join(dir, 'warn.txt')]);
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([
      {
        file: join(dir, 'warn.txt'),
        line: 2,
        kind: 'landline',
        severity: 'warn',
        masked: '0533-***5678',
        reason: '固定电话号码',
      },
    ]);
  });

  it('exits 1 on a block finding; one JSON object per line; no raw values', async () => {
    const r = await run([join(dir, 'block.txt'), join(dir, 'article.docx')]);
    expect(r.code).toBe(1);
    expect(
      r.findings.map((f) => [f.file.slice(dir.length + 1), f.line, f.kind, f.severity, f.masked]),
    ).toEqual([
      ['block.txt', 3, 'id_card', 'block', `370***********${ID.slice(-4)}`],
      ['block.txt', 3, 'mobile', 'block', '138****5678'],
      ['article.docx', 3, 'email', 'warn', 'z***@qq.com'],
    ]);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(r.stdout).not.toContain(ID);
    expect(r.stdout).not.toContain('13812345678');
  });

  it('reads stdin when no file is given, and for -', async () => {
    for (const args of [[], ['-']]) {
      const r = await run(args, '第一行\n第二行 13812345678\n');
      expect(r.code).toBe(1);
      expect(r.findings).toEqual([
        {
          file: '-',
          line: 2,
          kind: 'mobile',
          severity: 'block',
          masked: '138****5678',
          reason: '大陆手机号码',
        },
      ]);
    }
  });

  it('walks a directory (a site mirror), checking supported files only', async () => {
    const r = await run([join(dir, 'site')]);
    expect(r.code).toBe(1);
    expect(r.findings.map((f) => [f.file.slice(dir.length + 1), f.kind])).toEqual([
      [join('site', 'index.shtml'), 'mobile'],
    ]);
    expect(r.stderr).toContain('已检查 2 个文件');
  });

  it('honours --allow for the office hotline', async () => {
    expect((await run(['--allow', '0533-2345678', join(dir, 'warn.txt')])).findings).toEqual([]);
    expect((await run([`--allow=(0533)2345678`, join(dir, 'warn.txt')])).findings).toEqual([]);
  });

  it('honours PII_ALLOW_LIST from the configuration, like every other check', async () => {
    const saved = process.env.PII_ALLOW_LIST;
    process.env.PII_ALLOW_LIST = '0533-2345678，13912345678';
    try {
      expect((await run([join(dir, 'warn.txt')])).findings).toEqual([]);
      const site = await run([join(dir, 'site')]);
      expect(site.findings).toEqual([]);
      expect(site.code).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.PII_ALLOW_LIST;
      else process.env.PII_ALLOW_LIST = saved;
    }
    expect((await run([join(dir, 'warn.txt')])).findings).toHaveLength(1);
  });

  it('does not mind unrelated configuration (a bad PORT is not a finding)', async () => {
    const saved = process.env.PORT;
    process.env.PORT = 'abc';
    try {
      expect((await run([join(dir, 'clean.txt')])).code).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('says clearly which file it could not read, still checks the others, and exits 1 on their block', async () => {
    expect((await run([join(dir, 'missing.txt'), join(dir, 'clean.txt')])).code).toBe(2);
    const r = await run([join(dir, 'missing.txt'), join(dir, 'block.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pii-check：无法读取 ${join(dir, 'missing.txt')}：文件或目录不存在`);
    expect(r.findings).toHaveLength(2);
  });

  it('exits 2 on an unsupported file type given by name', async () => {
    const r = await run([join(dir, 'site', 'logo.png')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('暂不支持“.png”类型的文件');
  });

  it('exits 2 on an unknown option, 0 with usage on --help', async () => {
    const bad = await run(['--verbose']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('未知选项：--verbose');
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('用法：duban pii-check');
  });
});

describe('lineNumbers', () => {
  it.each([
    ['first line', '13812345678', [1]],
    ['after CRLF lines', 'a\r\nb\r\n13812345678', [3]],
    ['two on one line, one later', '13812345678 13912345678\n\n13712345678', [1, 1, 3]],
  ])('%s', (_name, text, expected) => {
    expect(lineNumbers(text, detectPii(text))).toEqual(expected);
  });
});
