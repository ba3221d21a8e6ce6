/**
 * Chat texts about PII findings (the `检查` command and submission gating). Pure formatting: the
 * findings come from detectPii, and nothing here ever prints a raw value — quotes are cut from the
 * masked text.
 */
import {
  PII_KIND_LABELS,
  PII_SEVERITY_LABELS,
  maskTextWithSpans,
  type PiiFinding,
  type PiiKind,
  type PiiSeverity,
} from './detector.js';

/** WeCom caps one text message at 2048 bytes (UTF-8). */
export const WECOM_TEXT_MAX_BYTES = 2048;

/** Characters of context either side of a finding in its quote. */
const QUOTE_CONTEXT = 10;

export const NO_FINDINGS_TEXT = '未发现个人信息。';

export interface PiiFindingSummary {
  kind: PiiKind;
  severity: PiiSeverity;
  masked: string;
}

export type SubmissionGate =
  { outcome: 'pass' } | { outcome: 'block'; message: string } | { outcome: 'confirm'; message: string };

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The longest prefix of `s` within `maxBytes` UTF-8 bytes, never splitting a character. */
export function truncateToBytes(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    const size = byteLength(ch);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return s.slice(0, end);
}

function countBySeverity(findings: readonly PiiFinding[]): string {
  const block = findings.filter((f) => f.severity === 'block').length;
  const warn = findings.length - block;
  const parts: string[] = [];
  if (block > 0) parts.push(`拦截 ${block} 处`);
  if (warn > 0) parts.push(`提醒 ${warn} 处`);
  return parts.join('，');
}

/** `…申请人张某某，身份证号110***********002X，联系电话…`, on one line. */
function quoteAround(masked: string, span: { start: number; end: number }): string {
  const before = [...masked.slice(Math.max(0, span.start - QUOTE_CONTEXT * 2), span.start)];
  const after = [...masked.slice(span.end, span.end + QUOTE_CONTEXT * 2)];
  const head = before.slice(-QUOTE_CONTEXT).join('');
  const tail = after.slice(0, QUOTE_CONTEXT).join('');
  const quote =
    (span.start - head.length > 0 ? '…' : '') +
    head +
    masked.slice(span.start, span.end) +
    tail +
    (span.end + tail.length < masked.length ? '…' : '');
  return quote.replace(/\s+/g, ' ');
}

/** One numbered entry per finding; with the text, a second line quotes the masked context. */
function findingEntries(findings: readonly PiiFinding[], text?: string): string[] {
  const masked = text === undefined ? undefined : maskTextWithSpans(text, findings);
  return findings.map((f, i) => {
    const line = `${i + 1}. ${PII_KIND_LABELS[f.kind]} ${f.masked}【${PII_SEVERITY_LABELS[f.severity]}】`;
    const span = masked?.spans[i];
    return masked && span ? `${line}\n   “${quoteAround(masked.text, span)}”` : line;
  });
}

/** As many entries as fit in `maxBytes`, then a line saying how many were left out. */
function fitEntries(entries: readonly string[], maxBytes: number): string {
  const kept: string[] = [];
  let bytes = 0;
  for (const [i, entry] of entries.entries()) {
    const rest = entries.length - i - 1;
    const reserve = rest > 0 ? byteLength(`\n……另有 ${entries.length} 处未列出`) : 0;
    const size = byteLength(entry) + (kept.length > 0 ? 1 : 0);
    if (bytes + size + reserve > maxBytes) {
      kept.push(`……另有 ${entries.length - i} 处未列出`);
      break;
    }
    kept.push(entry);
    bytes += size;
  }
  return kept.join('\n');
}

const MASKED_TEXT_HEADER = '\n\n脱敏后文本：\n';

/** The masked text, cut with a note when it does not fit the bytes left. */
function fitMaskedText(masked: string, maxBytes: number): string {
  if (byteLength(masked) <= maxBytes) return masked;
  const total = [...masked].length;
  const note = (shown: number): string =>
    `\n……（全文共 ${total} 字，仅显示前 ${shown} 字，请分段发送查看全部）`;
  const room = Math.max(0, maxBytes - byteLength(note(total)));
  const shown = truncateToBytes(masked, room);
  return shown + note([...shown].length);
}

/**
 * The reply to `检查`: 未发现个人信息。, or a numbered list of findings followed by the text with
 * every finding masked (ready to publish). Stays within one WeCom text message (2048 bytes): the
 * list keeps at most about two thirds, the masked text takes what is left and is cut with a note.
 */
export function formatPiiReport(text: string, findings: readonly PiiFinding[], title = ''): string {
  // `title` (a line naming what was checked) counts against the one message's budget.
  const lead = title ? `${title}\n` : '';
  if (findings.length === 0) return lead + NO_FINDINGS_TEXT;
  const heading = `${lead}发现 ${findings.length} 处个人信息（${countBySeverity(findings)}）：\n`;
  const listBudget = Math.floor(((WECOM_TEXT_MAX_BYTES - byteLength(heading)) * 2) / 3);
  const list = fitEntries(findingEntries(findings, text), listBudget);
  const head = heading + list + MASKED_TEXT_HEADER;
  const masked = maskTextWithSpans(text, findings).text;
  return head + fitMaskedText(masked, WECOM_TEXT_MAX_BYTES - byteLength(head));
}

/**
 * What to tell a user whose submission (case, rectification reply, filing) contains PII: a block
 * finding stops it; warn findings only ask for `确认`. Pass `text` to quote the masked context.
 */
export function formatSubmissionGate(findings: readonly PiiFinding[], text?: string): SubmissionGate {
  if (findings.length === 0) return { outcome: 'pass' };
  const firstBlock = findings.find((f) => f.severity === 'block');
  const blocking = firstBlock !== undefined;
  const heading = blocking
    ? `提交未受理：内容中含有不应公开的个人信息（${countBySeverity(findings)}）：\n`
    : `内容中可能含有个人信息（${countBySeverity(findings)}）：\n`;
  const footer = blocking
    ? // The example is the first blocked value as it should be written (an ID's, not a phone's).
      `\n请删除或脱敏上述信息（如 ${firstBlock.masked}）后重新发送。`
    : '\n如确认无误、仍需保存，请回复“确认”；如需修改，请重新发送。';
  const budget = WECOM_TEXT_MAX_BYTES - byteLength(heading) - byteLength(footer);
  const message = heading + fitEntries(findingEntries(findings, text), budget) + footer;
  return blocking ? { outcome: 'block', message } : { outcome: 'confirm', message };
}

/** What a stored record keeps about its findings (audit): kinds and masked values, never raw ones. */
export function summariseFindings(findings: readonly PiiFinding[]): PiiFindingSummary[] {
  return findings.map(({ kind, severity, masked }) => ({ kind, severity, masked }));
}
