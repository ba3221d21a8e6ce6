// README's command reference is generated from the route table; this fails when they differ (a
// command added, renamed, re-roled or re-worded without `npx duban commands --markdown --write
// README.md`), and proves every command 帮助 lists appears in it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import {
  commandReferenceMarkdown,
  commandsCommand,
  currentReference,
  markdownTable,
  REFERENCE_BEGIN,
  REFERENCE_END,
  replaceReference,
  rolesText,
} from '../src/commands/command-reference.js';
import { helpReply } from '../src/handlers/help.js';
import { buildRouter } from '../src/handlers/index.js';
import type { Asker, HandlerContext } from '../src/handlers/types.js';
import { runCommand } from './support/cli.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const generated = commandReferenceMarkdown();
const dir = mkdtempSync(join(tmpdir(), 'duban-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The commands 帮助 lists for a member of `role`: usages when the full form fits one message,
 * otherwise the names of its compact form (`**任务**：我的任务 · 办理 · 延期`).
 */
function helpEntries(role: Asker['role']): string[] {
  const router = buildRouter();
  const ctx = { user: { role, name: '测试' } as Asker } as HandlerContext;
  const reply = helpReply(ctx, router.commands).replies![0]!;
  if (reply.type !== 'markdown') return [];
  const lines = reply.content.split('\n');
  const usages = lines.flatMap((line) => /^> `([^`]+)`/.exec(line)?.[1] ?? []);
  if (usages.length) return usages;
  return lines.flatMap((line) => /^\*\*[^*]+\*\*：(.+)$/.exec(line)?.[1]?.split(' · ') ?? []);
}

describe('the command reference in README', () => {
  it('is exactly what the route table generates', () => {
    expect(currentReference(readme), 'run: npx duban commands --markdown --write README.md').toBe(generated);
  });

  it('is laid out as Prettier lays it out, so `prettier --check` and this test agree', async () => {
    const options = await resolveConfig(fileURLToPath(new URL('../README.md', import.meta.url)));
    expect(await format(generated, { ...options, parser: 'markdown' })).toBe(`${generated}\n`);
  });

  it.each(buildRouter().commands.map((command) => [command.name, command] as const))(
    'documents %s with its usage, roles and summary',
    (_name, command) => {
      const usage = `| \`${(command.usage ?? command.name).replace(/\|/g, '\\|')}\``;
      const row = (currentReference(readme) ?? '').split('\n').find((line) => line.startsWith(usage));
      expect(row).toBeDefined();
      expect(row).toContain(`| ${rolesText(command.roles)} `);
      expect(row).toContain(command.summary);
    },
  );

  it.each(['liaison', 'supervisor', 'admin'] as const)('lists everything 帮助 shows a %s', (role) => {
    const section = currentReference(readme) ?? '';
    const listed = helpEntries(role);
    expect(listed.length).toBeGreaterThan(5);
    for (const entry of listed) {
      // A usage appears whole; a name starts the usage in its row.
      expect(section).toContain(`| \`${entry.replace(/\|/g, '\\|')}`);
    }
  });

  it('documents 结束案例征集, which the hand-written tables once missed', () => {
    expect(currentReference(readme)).toMatch(/\| `结束案例征集 \[征集N\]` +\| 督办员、管理员 \|/);
  });
});

describe('markdown tables', () => {
  it('pad CJK text as two columns and escape pipes', () => {
    expect(markdownTable(['指令', '说明'], [['`a\\|b`', '中文']])).toBe(
      ['| 指令   | 说明 |', '| ------ | ---- |', '| `a\\|b` | 中文 |'].join('\n'),
    );
  });
});

describe('duban commands', () => {
  it('prints the reference for a terminal, and as markdown', async () => {
    const text = await runCommand(commandsCommand, null, []);
    expect(text.code).toBe(0);
    expect(text.out).toContain('【典型案例】');
    expect(text.out).toContain('结束案例征集 [征集N]');
    const markdown = await runCommand(commandsCommand, null, ['--markdown']);
    expect(markdown.out).toBe(`${generated}\n`);
  });

  it('rewrites only the part between the markers with --write', async () => {
    const file = join(dir, 'README.md');
    writeFileSync(file, `# 标题\n\n${REFERENCE_BEGIN}\n过时的内容\n${REFERENCE_END}\n\n尾部\n`);
    const run = await runCommand(commandsCommand, null, ['--write', file]);
    expect(run.code).toBe(0);
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(`# 标题\n\n${REFERENCE_BEGIN}\n\n${generated}\n\n${REFERENCE_END}\n\n尾部\n`);
    expect(replaceReference(written, generated)).toBe(written);
    expect((await runCommand(commandsCommand, null, ['--write', file])).out).toContain('已是最新');
  });

  it.each([
    ['a file without the markers', ['--write', 'NOMARKERS'], 1, '没有指令表的起止标记'],
    ['a missing file', ['--write', 'missing.md'], 1, '无法读取'],
    ['--write without a file', ['--write'], 2, '用法：npx duban commands'],
    ['an unknown option', ['--html'], 2, '用法：npx duban commands'],
  ])('refuses %s, changing nothing', async (_case, args, code, message) => {
    const file = join(dir, 'NOMARKERS');
    writeFileSync(file, '# 没有标记\n');
    const resolved = args.map((arg) =>
      arg === 'NOMARKERS' ? file : arg === 'missing.md' ? join(dir, arg) : arg,
    );
    const run = await runCommand(commandsCommand, null, resolved);
    expect(run.code).toBe(code);
    expect(run.err).toContain(message);
    expect(readFileSync(file, 'utf8')).toBe('# 没有标记\n');
  });
});
