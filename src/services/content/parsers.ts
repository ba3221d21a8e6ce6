// The parsers that run inside the content worker (src/services/content/worker.ts), one per job kind:
// bytes in, plain values out (structured-cloneable: strings, numbers, arrays, objects, Dates). They
// may be slow or greedy on hostile input; the pool kills a job over its time or memory limit.
// Each loads its libraries when first used, so a worker that only ever reads CSV never loads Excel's.
//
// Adding a kind (a PDF reader for the site patrol, say): add a function here, its size limit to
// limits.ts (with the reason in README), and call `content.parse('<kind>', bytes, options, sizeKind)`.
import type { HolidayCnYear, ParseResult } from '../calendar/import.js';
import type { CsvRecord } from './csv.js';
import type { PageOutline } from './outline.js';
import type { SheetsResult } from './sheet-read.js';
import type { ExtractResult } from './text-extract.js';
import type { PageFacts } from './page-facts.js';

/** What the worker answers to 检查 of a file or page: the whole report, or why there is none. */
export type PiiCheckResult =
  { ok: true; report: string } | { ok: false; error: string } | { ok: false; empty: true };

/** Formats whose text `extractText` returns. */
export type TextFormat = 'txt' | 'docx' | 'html' | 'xlsx';

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; error: string };

async function readableText(data: Buffer, format: TextFormat): Promise<ExtractResult> {
  const { decodeText, extractDocx, htmlText } = await import('./text-extract.js');
  switch (format) {
    case 'txt':
      return { ok: true, text: decodeText(data) };
    case 'docx':
      return extractDocx(data);
    case 'html':
      return htmlText(decodeText(data));
    case 'xlsx': {
      const { readXlsxSheets, sheetsText } = await import('./sheet-read.js');
      const read = await readXlsxSheets(data);
      if (!read.ok)
        return { ok: false, error: '无法读取该 Excel 文件：文件可能已损坏，或并不是 .xlsx 格式。' };
      return { ok: true, text: sheetsText(read.sheets) };
    }
  }
}

export const PARSERS = {
  /** The readable text of a file or a fetched page. */
  text: async (data: Buffer, options: { format: TextFormat }): Promise<ExtractResult> =>
    readableText(data, options.format),
  /**
   * 检查 of a file or page in one job: its text, the PII detector over it and the report (one
   * message) — on a 2 MB page the detector alone would hold the main thread for a few hundred ms.
   * `prefix` (the title and summary WeCom passed along with a link) is checked with the text.
   */
  'pii-check': async (
    data: Buffer,
    options: { format: TextFormat; allowList: readonly string[]; prefix?: string; heading?: string },
  ): Promise<PiiCheckResult> => {
    const extracted = await readableText(data, options.format);
    if (!extracted.ok) return extracted;
    const content = [options.prefix, extracted.text].filter(Boolean).join('\n');
    if (!content.trim()) return { ok: false, empty: true };
    const { detectPii } = await import('../pii/detector.js');
    const { formatPiiReport } = await import('../pii/report.js');
    const findings = detectPii(content, { allowList: options.allowList });
    return { ok: true, report: formatPiiReport(content, findings, options.heading) };
  },
  /** An HTML page's title, headings, links and dated list items (outline.ts), for site readers. */
  outline: async (data: Buffer, options: { url: string }): Promise<PageOutline> => {
    const { outlineHtml } = await import('./outline.js');
    const { decodeText } = await import('./decode.js');
    return outlineHtml(decodeText(data), options.url);
  },
  /** Every sheet of a workbook as rows of plain cells. */
  sheets: async (data: Buffer): Promise<SheetsResult> => {
    const { readXlsxSheets } = await import('./sheet-read.js');
    return readXlsxSheets(data);
  },
  /**
   * A CSV file's records. `strictEncoding`: refuse text that is neither UTF-8 nor GB18030 (with a
   * message saying how to save it) instead of reading it with replacement characters.
   */
  csv: async (data: Buffer, options: { strictEncoding: boolean }): Promise<CsvResult> => {
    const { decodeCsv, parseCsv } = await import('./csv.js');
    if (options.strictEncoding) {
      const decoded = decodeCsv(data);
      return decoded.ok ? { ok: true, records: parseCsv(decoded.text) } : decoded;
    }
    const { decodeText } = await import('./decode.js');
    return { ok: true, records: parseCsv(decodeText(data)) };
  },
  /** The title, headings, publisher and links of an HTML page (repost checks and discovery). */
  'page-facts': async (data: Buffer): Promise<PageFacts> => {
    const { pageFacts } = await import('./page-facts.js');
    const { decodeText } = await import('./decode.js');
    return pageFacts(decodeText(data));
  },
  /** A year of holidays in the holiday-cn JSON format, validated. */
  'holiday-cn': async (data: Buffer): Promise<ParseResult<HolidayCnYear>> => {
    const { parseHolidayCnJson } = await import('../calendar/import.js');
    const { decodeText } = await import('./decode.js');
    return parseHolidayCnJson(decodeText(data));
  },
} as const;

export type JobKind = keyof typeof PARSERS;

/**
 * The libraries each kind loads, loaded by the worker before it says the job has started: the time
 * limit is for parsing, not for a fresh worker loading Excel's reader (seconds on a busy machine).
 */
export const PRELOAD: Readonly<Record<JobKind, () => Promise<unknown>>> = {
  text: () => Promise.all([import('./text-extract.js'), import('./sheet-read.js')]),
  'pii-check': () =>
    Promise.all([
      import('./text-extract.js'),
      import('./sheet-read.js'),
      import('../pii/detector.js'),
      import('../pii/report.js'),
    ]),
  outline: () => Promise.all([import('./outline.js'), import('./decode.js')]),
  sheets: () => import('./sheet-read.js'),
  csv: () => Promise.all([import('./csv.js'), import('./decode.js')]),
  'holiday-cn': () => Promise.all([import('../calendar/import.js'), import('./decode.js')]),
  'page-facts': () => Promise.all([import('./page-facts.js'), import('./decode.js')]),
};
export type JobOptions<K extends JobKind> = Parameters<(typeof PARSERS)[K]>[1];
export type JobValue<K extends JobKind> = Awaited<ReturnType<(typeof PARSERS)[K]>>;
