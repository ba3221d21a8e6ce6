/**
 * Plain text out of the files people send or export: .txt (UTF-8, UTF-16 with BOM, or GB18030/GBK
 * as many office PCs still save), .docx, and .html/.htm/.shtml (.shtml is common on government
 * sites, so a site mirror can be checked as it is). Used by the PII check and for uploaded notices.
 *
 * These functions parse in the calling thread: the bot and the CLI call them only inside the
 * content worker (parsers.ts), through the content service (service.ts), never on the main thread.
 */
import { extname } from 'node:path';
import { decodeText } from './decode.js';
import { docxText } from './docx-text.js';
import { readableHtmlText } from './html-text.js';
import { DOCX_TOO_DEEP_TEXT, DOCX_UNREADABLE_TEXT } from './reader-views.js';

export { decodeText };

export type ExtractResult = { ok: true; text: string } | { ok: false; error: string };

type Extractor = (data: Buffer) => Promise<ExtractResult>;

const EXTRACTORS: Readonly<Record<string, Extractor>> = {
  '.txt': async (data) => ({ ok: true, text: decodeText(data) }),
  '.docx': extractDocx,
  '.html': async (data) => htmlText(decodeText(data)),
  '.htm': async (data) => htmlText(decodeText(data)),
  '.shtml': async (data) => htmlText(decodeText(data)),
};

/** Advice for formats people often try, so the error says what to do instead. */
const UNSUPPORTED_ADVICE: Readonly<Record<string, string>> = {
  '.doc': '暂不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再发送。',
  '.wps': '暂不支持 WPS（.wps）文件，请另存为 .docx 后再发送。',
  '.pdf': '暂不支持 PDF 文件，请复制正文文字直接发送，或另存为 .docx、.txt 后再发送。',
};

export function isSupportedFile(fileName: string): boolean {
  return Object.hasOwn(EXTRACTORS, extname(fileName).toLowerCase());
}

export async function extractText(fileName: string, data: Buffer): Promise<ExtractResult> {
  const extension = extname(fileName).toLowerCase();
  const extractor = EXTRACTORS[extension];
  if (!extractor) return { ok: false, error: unsupportedMessage(extension) };
  return extractor(data);
}

/** Why a file of this name cannot be read, with what to send instead. */
export function unsupportedFileText(fileName: string): string {
  return unsupportedMessage(extname(fileName).toLowerCase());
}

/** The text format of a readable file (.txt, .docx, .html/.htm/.shtml), or undefined. */
export function textFormatOf(fileName: string): 'txt' | 'docx' | 'html' | undefined {
  switch (extname(fileName).toLowerCase()) {
    case '.txt':
      return 'txt';
    case '.docx':
      return 'docx';
    case '.html':
    case '.htm':
    case '.shtml':
      return 'html';
    default:
      return undefined;
  }
}

function unsupportedMessage(extension: string): string {
  const advice = UNSUPPORTED_ADVICE[extension];
  if (advice) return advice;
  const kind = extension ? `“${extension}”类型的` : '没有扩展名的';
  return `暂不支持${kind}文件，目前支持 .txt、.docx、.html（.htm）文件。`;
}

export async function extractDocx(data: Buffer): Promise<ExtractResult> {
  const result = await docxText(data);
  if (result.ok) return result;
  return { ok: false, error: result.problem === 'nesting' ? DOCX_TOO_DEEP_TEXT : DOCX_UNREADABLE_TEXT };
}

/**
 * Elements open at once past which a page is refused unread. Real pages stay far below it (sloppy
 * unclosed <p> count too); the tokenizer's open-element stack makes its time grow faster than
 * linearly with nesting (100,000 nested <div>: ~1.9 s; 20,000 with as many stray closing tags:
 * 0.5 s), so a hostile page is stopped here, before any parsing.
 */
const MAX_NESTING = 5000;

const VOID_ELEMENTS = new Set(
  'area base br col embed hr img input link meta param source track wbr'.split(' '),
);

/** The deepest nesting of elements, counted in one linear pass; stops once past `limit`. */
export function nestingDepth(html: string, limit = MAX_NESTING): number {
  let depth = 0;
  let deepest = 0;
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (closing) depth = Math.max(0, depth - 1);
    else if (!selfClosing && !VOID_ELEMENTS.has(name!.toLowerCase())) depth++;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) break;
  }
  return deepest;
}

/** A page's text, or a clear refusal for one nested too deeply to read safely. */
export function htmlText(html: string): ExtractResult {
  if (nestingDepth(html) > MAX_NESTING) return { ok: false, error: '网页结构嵌套过深，无法读取。' };
  return { ok: true, text: readableHtmlText(html) };
}
