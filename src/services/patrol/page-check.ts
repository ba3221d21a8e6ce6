// One page or attachment of a unit's site, checked in the content worker (job kind 'patrol-page'):
// its outline (HTML), and the PII detector's blocking findings over its text with a masked snippet.
// Runs only inside the worker: parsing and the detector never hold the main thread.
import { outlineHtml, type PageOutline } from '../content/outline.js';
import { decodeText } from '../content/decode.js';
import { detectPii, maskText, PII_KIND_LABELS, type PiiFinding, type PiiKind } from '../pii/detector.js';

export type PatrolFormat = 'html' | 'docx' | 'xlsx' | 'pdf';

export interface PiiSighting {
  kinds: PiiKind[];
  count: number;
  /** Around the first blocking finding, every finding in it masked. */
  snippet: string;
}

export type PatrolPageResult =
  { ok: true; outline: PageOutline | null; pii: PiiSighting | null } | { ok: false; error: string };

const CONTEXT = 24;

/** A short masked excerpt around `first`: the window is widened so no finding is cut in half. */
export function maskedSnippet(text: string, findings: readonly PiiFinding[], first: PiiFinding): string {
  let start = Math.max(0, first.start - CONTEXT);
  let end = Math.min(text.length, first.end + CONTEXT);
  for (const finding of findings) {
    if (finding.start < start && finding.end > start) start = finding.start;
    if (finding.start < end && finding.end > end) end = finding.end;
  }
  const inside = findings
    .filter((finding) => finding.start >= start && finding.end <= end)
    .map((finding) => ({ ...finding, start: finding.start - start, end: finding.end - start }));
  const snippet = maskText(text.slice(start, end), inside).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${snippet}${end < text.length ? '…' : ''}`;
}

export function piiSighting(text: string, allowList: readonly string[]): PiiSighting | null {
  const findings = detectPii(text, { allowList });
  const blocking = findings.filter((finding) => finding.severity === 'block');
  if (!blocking.length) return null;
  const kinds = [...new Set(blocking.map((finding) => finding.kind))];
  return { kinds, count: blocking.length, snippet: maskedSnippet(text, findings, blocking[0]!) };
}

export function piiKindsText(kinds: readonly PiiKind[]): string {
  return kinds.map((kind) => PII_KIND_LABELS[kind]).join('、');
}

export async function checkPatrolPage(
  data: Buffer,
  options: { format: PatrolFormat; url: string; allowList: readonly string[] },
): Promise<PatrolPageResult> {
  if (options.format === 'html') {
    const { htmlText } = await import('../content/text-extract.js');
    const html = decodeText(data);
    const outline = outlineHtml(html, options.url);
    const text = htmlText(html);
    return { ok: true, outline, pii: text.ok ? piiSighting(text.text, options.allowList) : null };
  }
  let text;
  if (options.format === 'pdf') {
    const { extractPdf } = await import('../content/pdf-text.js');
    text = await extractPdf(data);
  } else if (options.format === 'docx') {
    const { extractDocx } = await import('../content/text-extract.js');
    text = await extractDocx(data);
  } else {
    const { readXlsxSheets, sheetsText } = await import('../content/sheet-read.js');
    const read = await readXlsxSheets(data);
    text = read.ok
      ? { ok: true as const, text: sheetsText(read.sheets) }
      : { ok: false as const, error: 'xlsx' };
  }
  if (!text.ok) return text;
  return { ok: true, outline: null, pii: piiSighting(text.text, options.allowList) };
}
