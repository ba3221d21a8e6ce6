/**
 * `duban pii-check [--allow 号码 …] [文件或目录 …]`: the PII check for a batch of exported articles
 * or a whole site mirror before publishing. One JSON object per finding on stdout (never a raw
 * value); a summary on stderr. Exit 1 when anything must be blocked, 2 when a file could not be
 * read (the check is then incomplete: missing, unsupported, over its size limit, refused by the zip
 * check or killed over the parse time or memory limit), otherwise 0. Files are read with the same
 * caps and in the same worker pool as files sent to the bot.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { loadPiiAllowList, loadContentLimits } from '../config.js';
import { detectPii, hasBlocking, type PiiFinding } from '../services/pii/detector.js';
import { formatBytes } from '../services/content/limits.js';
import { ContentService } from '../services/content/service.js';
import {
  decodeText,
  isSupportedFile,
  textFormatOf,
  unsupportedFileText,
} from '../services/content/text-extract.js';
import { refusalText } from '../services/content/views.js';
import type { CliCommand, CliIO } from './types.js';

export const EXIT_CLEAN = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_UNREADABLE = 2;

const STDIN_NAME = '-';

const USAGE = 'pii-check [--allow 号码 ...] [文件或目录 ...]';

const HELP = `用法：duban ${USAGE}
  检查 .txt、.docx、.html/.htm/.shtml 文件中的个人信息；目录会递归检查其中支持的文件；
  不给文件（或给 -）时读取标准输入（按文本处理）。
  每处发现输出一行 JSON：{"file","line","kind","severity","masked","reason"}（line 从 1 开始，
  指提取出的文本中的行）。
  --allow 号码   本单位公开的电话号码，不算作个人信息（可重复；另加 PII_ALLOW_LIST 中的号码）
  文件大小上限：.txt 2 MB，.docx 10 MB，.html 2 MB，标准输入 2 MB；超过上限、压缩包异常或
  解析超时（10 秒）、超内存的文件算作无法读取。
  退出码：1 发现需拦截的信息（即使另有文件无法读取）；2 有文件无法读取；0 其余情况。`;

export interface PiiCheckLine {
  file: string;
  line: number;
  kind: PiiFinding['kind'];
  severity: PiiFinding['severity'];
  masked: string;
  reason: string;
}

interface ParsedArgs {
  paths: string[];
  allowList: string[];
  help: boolean;
  error?: string;
}

function parseArgs(args: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { paths: [], allowList: [], help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') parsed.help = true;
    else if (arg === '--allow') {
      const value = args[++i];
      if (value === undefined) return { ...parsed, error: '--allow 后面需要一个电话号码。' };
      parsed.allowList.push(value);
    } else if (arg.startsWith('--allow=')) parsed.allowList.push(arg.slice('--allow='.length));
    else if (arg.startsWith('-') && arg !== STDIN_NAME) return { ...parsed, error: `未知选项：${arg}` };
    else parsed.paths.push(arg);
  }
  return parsed;
}

/** 1-based line of each finding; findings are sorted by start, so one forward scan suffices. */
export function lineNumbers(text: string, findings: readonly PiiFinding[]): number[] {
  let line = 1;
  let scanned = 0;
  return findings.map((f) => {
    for (; scanned < f.start; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    return line;
  });
}

async function writeLine(stream: Writable, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

/** Standard input up to `maxBytes`; null when there is more (the rest is not read). */
async function readAll(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBytes) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return '文件或目录不存在';
  if (code === 'EACCES' || code === 'EPERM') return '没有读取权限';
  return error instanceof Error ? error.message : String(error);
}

type Source = { name: string; text: string } | { name: string; error: string };

/** Files named on the command line, with directories expanded (sorted, supported types only). */
async function* sourcesFrom(
  paths: readonly string[],
  stdin: Readable,
  content: ContentService,
): AsyncGenerator<Source> {
  for (const path of paths) {
    if (path === STDIN_NAME) {
      const limit = content.sizeLimit('txt');
      const data = await readAll(stdin, limit);
      yield data
        ? { name: STDIN_NAME, text: decodeText(data) }
        : { name: STDIN_NAME, error: `标准输入超过 ${formatBytes(limit)}，未检查` };
      continue;
    }
    try {
      if ((await stat(path)).isDirectory()) {
        yield* sourcesInDirectory(path, content);
        continue;
      }
      yield await readSource(path, content);
    } catch (error) {
      yield { name: path, error: describeError(error) };
    }
  }
}

async function* sourcesInDirectory(dir: string, content: ContentService): AsyncGenerator<Source> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourcesInDirectory(path, content);
    else if (entry.isFile() && isSupportedFile(entry.name)) {
      try {
        yield await readSource(path, content);
      } catch (error) {
        yield { name: path, error: describeError(error) };
      }
    }
  }
}

/** One file: its size checked before it is read, its text extracted in the worker pool. */
async function readSource(path: string, content: ContentService): Promise<Source> {
  const format = textFormatOf(path);
  if (!format) return { name: path, error: unsupportedFileText(path) };
  const handle = await open(path, 'r');
  let data: Buffer;
  try {
    const limitBytes = content.sizeLimit(format);
    if ((await handle.stat()).size > limitBytes) {
      return { name: path, error: refusalText({ reason: 'too-large', kind: format, limitBytes }) };
    }
    data = await handle.readFile();
  } finally {
    await handle.close();
  }
  const parsed = await content.extractText(format, data);
  if (!parsed.ok) return { name: path, error: refusalText(parsed.refusal) };
  const result = parsed.value;
  return result.ok ? { name: path, text: result.text } : { name: path, error: result.error };
}

async function runPiiCheck(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed.help) {
    await writeLine(io.stdout, HELP);
    return EXIT_CLEAN;
  }
  if (parsed.error) {
    await writeLine(io.stderr, `pii-check：${parsed.error}\n${HELP}`);
    return EXIT_UNREADABLE;
  }
  const paths = parsed.paths.length > 0 ? parsed.paths : [STDIN_NAME];
  // The office's published numbers from the configuration count everywhere, here too. Only that
  // variable is read: a check must not fail (exit 1 reads as "found") over an unrelated setting.
  const allowList = [...loadPiiAllowList(), ...parsed.allowList];
  const content = new ContentService({ allowPrivateHosts: false, ...loadContentLimits() });
  try {
    return await checkAll(paths, allowList, io, content);
  } finally {
    await content.close();
  }
}

async function checkAll(
  paths: readonly string[],
  allowList: readonly string[],
  io: CliIO,
  content: ContentService,
): Promise<number> {
  let files = 0;
  let unreadable = 0;
  const all: PiiFinding[] = [];
  for await (const source of sourcesFrom(paths, io.stdin, content)) {
    if ('error' in source) {
      unreadable++;
      await writeLine(io.stderr, `pii-check：无法读取 ${source.name}：${source.error}`);
      continue;
    }
    files++;
    const findings = detectPii(source.text, { allowList: [...allowList] });
    const lines = lineNumbers(source.text, findings);
    for (const [i, f] of findings.entries()) {
      const out: PiiCheckLine = {
        file: source.name,
        line: lines[i] ?? 1,
        kind: f.kind,
        severity: f.severity,
        masked: f.masked,
        reason: f.reason,
      };
      await writeLine(io.stdout, JSON.stringify(out));
    }
    // Not push(...findings): a file of 200,000 numbers would overflow the stack with arguments.
    for (const finding of findings) all.push(finding);
  }
  await writeLine(io.stderr, summaryLine(files, unreadable, all));
  // A blocking finding is what stops publication, so it decides the code even beside a bad file.
  if (hasBlocking(all)) return EXIT_BLOCKED;
  return unreadable > 0 ? EXIT_UNREADABLE : EXIT_CLEAN;
}

function summaryLine(files: number, unreadable: number, findings: readonly PiiFinding[]): string {
  const block = findings.filter((f) => f.severity === 'block').length;
  const warn = findings.length - block;
  const failed = unreadable > 0 ? `，${unreadable} 个无法读取` : '';
  return `pii-check：已检查 ${files} 个文件${failed}；拦截 ${block} 处，提醒 ${warn} 处。`;
}

export const piiCheckCommand: CliCommand = {
  name: 'pii-check',
  summary: '发布前检查文件中的个人信息（身份证号、手机号、银行卡号等） / PII check before publishing',
  usage: USAGE,
  run: runPiiCheck,
};
