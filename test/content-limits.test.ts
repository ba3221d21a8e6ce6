// The content service's limits: size caps before any work, the zip check before any inflating, and
// the worker pool's time and memory limits; each refusal with the words the member is given.
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { SIZE_LIMITS, type ContentKind } from '../src/services/content/limits.js';
import type { ContentRefusal } from '../src/services/content/refusals.js';
import { ContentService } from '../src/services/content/service.js';
import { refusalText } from '../src/services/content/views.js';
import { checkZip } from '../src/services/content/zip-check.js';
import { makeDocx, makeDocxBomb } from './support/docx.js';
import { makeLongWorkbook, makeWideCsv } from './support/heavy.js';

const services: ContentService[] = [];
function service(options: ConstructorParameters<typeof ContentService>[0] = { allowPrivateHosts: false }) {
  const created = new ContentService(options);
  services.push(created);
  return created;
}
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
});

const MB = 1024 * 1024;

describe('size caps, before any work', () => {
  it.each<[ContentKind, number]>([
    ['txt', 2 * MB],
    ['docx', 10 * MB],
    ['html', 2 * MB],
    ['page', 2 * MB],
    ['xlsx', 10 * MB],
    ['csv', 5 * MB],
    ['json', 256 * 1024],
    ['attachment', 20 * MB],
  ])('%s: %i bytes', (kind, bytes) => expect(SIZE_LIMITS[kind]).toBe(bytes));

  it('refuses a file one byte over its kind’s cap, unread', async () => {
    const content = service({ allowPrivateHosts: false, sizeLimits: { txt: 10 } });
    const outcome = await content.extractText('txt', Buffer.alloc(11, 0x61));
    expect(outcome).toEqual({ ok: false, refusal: { reason: 'too-large', kind: 'txt', limitBytes: 10 } });
    expect(await content.extractText('txt', Buffer.alloc(10, 0x61))).toEqual({
      ok: true,
      value: { ok: true, text: 'aaaaaaaaaa' },
    });
  });
});

describe('the zip check reads the central directory only', () => {
  async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
    const zip = new JSZip();
    for (const [name, data] of Object.entries(files)) zip.file(name, data);
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  }

  it('passes a real document', async () => {
    expect(await checkZip(await makeDocx(['一段正文']))).toMatchObject({ ok: true, entries: 5 }); // 3 files and 2 folders;
  });

  it('refuses too many entries (counted from the end record, before any entry is read)', async () => {
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.xml`, 'x']));
    expect(
      await checkZip(await zipOf(files), { maxEntries: 20, maxUncompressedBytes: MB, maxRatio: 100 }),
    ).toEqual({
      ok: false,
      problem: 'entries',
      found: 30,
      limit: 20,
    });
  });

  it('refuses a declared uncompressed total over the cap', async () => {
    const data = await zipOf({ 'a.xml': randomText(300_000), 'b.xml': randomText(300_000) });
    expect(await checkZip(data, { maxEntries: 10, maxUncompressedBytes: 500_000, maxRatio: 100 })).toEqual({
      ok: false,
      problem: 'uncompressed',
      found: 600_000,
      limit: 500_000,
    });
  });

  it('refuses a compression ratio no office file has (a zip bomb)', async () => {
    const data = await zipOf({ 'xl/worksheets/sheet1.xml': Buffer.alloc(20 * MB, 0x20) });
    expect(data.length).toBeLessThan(100_000);
    const verdict = await checkZip(data);
    expect(verdict).toMatchObject({ ok: false, problem: 'ratio', limit: 100 });
  });

  it('says "not a zip" of something else', async () => {
    expect(await checkZip(Buffer.from('not a zip at all'))).toEqual({ ok: false, problem: 'not-zip' });
  });

  it('is applied to .docx and .xlsx before parsing', async () => {
    const content = service();
    const bomb = await makeDocxBomb(200_000, 'DEFLATE');
    const outcome = await content.extractText('docx', bomb);
    expect(outcome).toMatchObject({ ok: false, refusal: { reason: 'zip', verdict: { problem: 'ratio' } } });
  });
});

describe('the worker pool', () => {
  it('parses in a worker and returns plain values', async () => {
    const content = service();
    expect(await content.extractText('docx', await makeDocx(['联系电话13812345678']))).toEqual({
      ok: true,
      value: { ok: true, text: '联系电话13812345678\n\n' },
    });
  });

  it('kills a parse over its time limit, and the next job runs as usual', async () => {
    const content = service({ allowPrivateHosts: false, timeMs: 300, memoryMb: 512 });
    const workbook = await makeLongWorkbook();
    expect(await content.extractText('xlsx', workbook)).toEqual({
      ok: false,
      refusal: { reason: 'time', limitMs: 300 },
    });
    expect(await content.extractText('txt', Buffer.from('下一个'))).toMatchObject({ ok: true });
  });

  it('kills a parse over its worker’s memory limit', async () => {
    const content = service({ allowPrivateHosts: false, memoryMb: 32, timeMs: 120_000 });
    const csv = makeWideCsv();
    expect(await content.parse('csv', csv, { strictEncoding: false }, 'csv')).toEqual({
      ok: false,
      refusal: { reason: 'memory', limitMb: 32 },
    });
    expect(await content.extractText('txt', Buffer.from('之后'))).toMatchObject({ ok: true });
  });

  it('a kept-warm pool survives its worker being killed over the memory limit (the bot does not crash)', async () => {
    const errors: unknown[] = [];
    const content = service({
      allowPrivateHosts: false,
      memoryMb: 32,
      timeMs: 120_000,
      keepWarm: true,
      onWorkerError: (error) => errors.push(error),
    });
    const csv = makeWideCsv();
    expect(await content.parse('csv', csv, { strictEncoding: false }, 'csv')).toMatchObject({
      ok: false,
      refusal: { reason: 'memory' },
    });
    expect(await content.parse('csv', csv, { strictEncoding: false }, 'csv')).toMatchObject({
      ok: false,
      refusal: { reason: 'memory' },
    });
    expect(await content.extractText('txt', Buffer.from('仍在工作'))).toMatchObject({ ok: true });
  });

  it('turns a job away when every thread is busy and the queue is full', async () => {
    const content = service({ allowPrivateHosts: false, maxThreads: 1, maxWaiting: 0, timeMs: 500 });
    const workbook = await makeLongWorkbook();
    // Straight to the pool, so the thread is taken before the next call.
    const slow = content.pool.run('text', workbook, { format: 'xlsx' });
    expect(await content.extractText('txt', Buffer.from('x'))).toEqual({
      ok: false,
      refusal: { reason: 'busy' },
    });
    expect(await slow).toMatchObject({ ok: false, failure: { reason: 'time' } });
  });
});

describe('what the member is told', () => {
  it.each<[ContentRefusal, '文件' | '网页', string]>([
    [{ reason: 'time', limitMs: 10_000 }, '文件', '文件内容过于复杂（解析超过 10 秒），请拆分后重新发送。'],
    [
      { reason: 'memory', limitMb: 128 },
      '文件',
      '文件内容过于复杂（解析所需内存超过 128 MB），请拆分后重新发送。',
    ],
    [
      { reason: 'time', limitMs: 10_000 },
      '网页',
      '网页内容过于复杂（解析超过 10 秒），无法检查。可将文章文字粘贴发送。',
    ],
    [{ reason: 'busy' }, '文件', '正在处理的文件较多，请稍后重新发送。'],
    [{ reason: 'crashed' }, '文件', '文件解析出错，已转交管理员处理。请检查文件后重新发送。'],
    [
      { reason: 'too-large', kind: 'docx', limitBytes: 10 * MB },
      '文件',
      'Word 文档超过 10 MB，未读取。请精简或拆分后重新发送。',
    ],
    [
      { reason: 'too-large', kind: 'attachment', limitBytes: 20 * MB },
      '文件',
      '附件超过 20 MB，未记录。请压缩或拆分后重新发送。',
    ],
    [
      { reason: 'zip', verdict: { ok: false, problem: 'ratio', found: 205, limit: 100 } },
      '文件',
      '文件压缩比异常（205:1，上限 100:1），可能是恶意构造的文件，未读取。',
    ],
    [
      { reason: 'zip', verdict: { ok: false, problem: 'entries', found: 3000, limit: 2000 } },
      '文件',
      '文件包含的部件过多（3000 个，上限 2000 个），未读取。请另存为新文件或拆分后重新发送。',
    ],
    [
      { reason: 'zip', verdict: { ok: false, problem: 'uncompressed', found: 70 * MB, limit: 64 * MB } },
      '文件',
      '文件解压后超过 64 MB，未读取。请拆分后重新发送。',
    ],
  ])('%j', (refusal, what, words) => expect(refusalText(refusal, what)).toBe(words));
});

/** Text that does not compress much (so only the declared size matters). */
function randomText(length: number): string {
  let text = '';
  let seed = 7;
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    text += String.fromCharCode(33 + (seed % 90));
  }
  return text;
}
