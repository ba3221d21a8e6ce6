// Batch import of guestbook messages from the platform's export (.xlsx or .csv with the columns
// 留言编号, 网站名称, 网站标识码, 留言时间, 留言内容). Rows already known by 留言编号 are skipped and
// reported; any bad row stops the whole import (nothing is stored) and is reported by its line.
import { extname } from 'node:path';
import { In, type EntityManager } from 'typeorm';
import type { Notification } from '../../messages/outbound.js';
import { markdown } from '../../messages/outbound.js';
import { GuestbookMessage } from '../../entities/guestbook-message.js';
import { Website } from '../../entities/website.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import type { ContentRefusal } from '../content/refusals.js';
import type { ContentService } from '../content/service.js';
import type { PlainCell } from '../content/sheet-read.js';
import { liaisonsByTopUnit, topUnitIndex } from '../directory/lookup.js';
import { clip } from '../shared/duty.js';
import { type Effects } from '../shared/effects.js';
import { headerHint, newMessagesText } from './views.js';
import { guestbookRef, messageRow, withSitesAndUnits, type OpenMessage } from './store.js';
import { detectPii, maskText } from '../pii/detector.js';
import { summariseFindings } from '../pii/report.js';
import { isLocalDate, startOfShanghaiDay } from '../calendar/time.js';

export const MESSAGE_COLUMNS = ['留言编号', '网站名称', '网站标识码', '留言时间', '留言内容'] as const;
type MessageColumn = (typeof MESSAGE_COLUMNS)[number];

export const IMPORT_EXTENSIONS = ['.xlsx', '.csv'];

export function isImportableSheet(fileName: string): boolean {
  return IMPORT_EXTENSIONS.includes(extname(fileName).toLowerCase());
}

/** A cell as read: text, an Excel date (wall-clock in UTC fields), a number, or empty. */
export type CellValue = string | number | Date | null;

export interface SheetRow {
  /** The line (row number) as the spreadsheet or editor shows it. */
  line: number;
  cells: Record<MessageColumn, CellValue>;
}

export type SheetResult =
  { ok: true; rows: SheetRow[] } | { ok: false; error: string } | { ok: false; refusal: ContentRefusal };

export const HEADER_HINT = headerHint(MESSAGE_COLUMNS);

/**
 * Reads the first worksheet (or the CSV) into rows keyed by the expected columns. The file is
 * parsed in the content pool; a refusal says which limit stopped it.
 */
export async function readMessageSheet(
  content: ContentService,
  fileName: string,
  data: Buffer,
): Promise<SheetResult> {
  const extension = extname(fileName).toLowerCase();
  let table: { line: number; cells: CellValue[] }[];
  if (extension === '.csv') {
    const parsed = await content.parse('csv', data, { strictEncoding: false }, 'csv');
    if (!parsed.ok) return parsed;
    if (!parsed.value.ok) return parsed.value;
    table = parsed.value.records.map((record) => ({ line: record.line, cells: record.cells }));
  } else if (extension === '.xlsx') {
    const parsed = await content.parse('sheets', data, undefined, 'xlsx');
    if (!parsed.ok) return parsed;
    if (!parsed.value.ok) {
      return {
        ok: false,
        error: '无法读取该 Excel 文件：文件可能已损坏，或并不是 .xlsx 格式（旧版 .xls 请另存为 .xlsx）。',
      };
    }
    const sheet = parsed.value.sheets[0];
    if (!sheet) return { ok: false, error: 'Excel 文件中没有工作表。' };
    table = sheet.rows.map((row) => ({ line: row.line, cells: row.cells.map(excelCell) }));
  } else {
    return {
      ok: false,
      error: `不支持“${extension || '无扩展名'}”文件，请发送平台导出的 .xlsx 或 .csv 文件。`,
    };
  }
  const [header, ...body] = table.filter((row) => row.cells.some((cell) => cellText(cell) !== ''));
  if (!header) return { ok: false, error: `文件中没有内容。${HEADER_HINT}` };
  const names = header.cells.map((cell) => cellText(cell).normalize('NFKC').replace(/\s+/g, ''));
  const missing = MESSAGE_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    return {
      ok: false,
      error: `表头不符：第 ${header.line} 行缺少${missing.map((c) => `“${c}”`).join('')}列。${HEADER_HINT}`,
    };
  }
  const position = Object.fromEntries(MESSAGE_COLUMNS.map((column) => [column, names.indexOf(column)]));
  const rows = body.map((row) => ({
    line: row.line,
    cells: Object.fromEntries(
      MESSAGE_COLUMNS.map((column) => [column, row.cells[position[column]!] ?? null]),
    ) as Record<MessageColumn, CellValue>,
  }));
  if (rows.length === 0) return { ok: false, error: '表格中只有表头，没有留言数据。' };
  return { ok: true, rows };
}

/** A spreadsheet cell as the import reads it: booleans as text, error values as empty. */
function excelCell(value: PlainCell): CellValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || value instanceof Date)
    return value;
  if (typeof value === 'boolean') return String(value);
  return null;
}

function cellText(cell: CellValue): string {
  if (cell === null) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).trim();
}

const EXPORT_TIME =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[\sT]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?)?$/;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * 留言时间 as exported: text such as 2026-03-20 17:30:05 or 2026/3/20 17:30, or an Excel date. Excel
 * dates carry the wall-clock time in their UTC fields (Excel has no time zones), read as Shanghai time.
 */
export function parseExportTime(cell: CellValue): Date | null {
  if (cell === null) return null;
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime()) ? null : new Date(cell.getTime() - SHANGHAI_OFFSET_MS);
  }
  if (typeof cell === 'number') {
    if (!(cell > 0 && cell < 2_958_466)) return null;
    return new Date(EXCEL_EPOCH + Math.round(cell * 86_400_000) - SHANGHAI_OFFSET_MS);
  }
  const match = EXPORT_TIME.exec(cell.normalize('NFKC').trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  const date = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  if (!isLocalDate(date) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return new Date(
    startOfShanghaiDay(date).getTime() + ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000,
  );
}

/** 留言编号 as text: numbers (a code typed into Excel) lose no digits up to 15. */
function platformNoOf(cell: CellValue): string {
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : '';
  return cellText(cell).normalize('NFKC');
}

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportDuplicate {
  line: number;
  platformNo: string;
  /** `L5` when it is already stored, `第 3 行` when it repeats an earlier line of the file. */
  existing: string;
}

export type ImportOutcome =
  | { ok: true; created: OpenMessage[]; duplicates: ImportDuplicate[]; masked: number }
  | { ok: false; errors: ImportProblem[]; duplicates: ImportDuplicate[] };

const CHUNK = 500;

async function inChunks<T, R>(values: T[], load: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(...(await load(values.slice(i, i + CHUNK))));
  return out;
}

/**
 * Validates every row, then stores all new messages or none. Personal information in 留言内容
 * (netizens often leave a phone number) is masked before storage; the count is reported.
 */
export async function importMessages(
  effects: Effects,
  calendar: WorkCalendar,
  rows: SheetRow[],
  options: { actor: string; fileName: string; piiAllowList: readonly string[] },
): Promise<ImportOutcome> {
  const { tx, now } = effects;
  const codes = [...new Set(rows.map((row) => cellText(row.cells.网站标识码)).filter(Boolean))];
  const numbers = [...new Set(rows.map((row) => platformNoOf(row.cells.留言编号)).filter(Boolean))];
  const [sitesByCode, allSites, known, index] = await Promise.all([
    inChunks(codes, (slice) => tx.getRepository(Website).findBy({ siteCode: In(slice) })),
    codes.length < rows.length ? tx.getRepository(Website).find() : Promise.resolve([]),
    inChunks(numbers, (slice) =>
      tx.getRepository(GuestbookMessage).find({
        select: { id: true, platformNo: true },
        where: { platformNo: In(slice) },
      }),
    ),
    topUnitIndex(tx),
  ]);
  const byCode = new Map(sitesByCode.map((site) => [site.siteCode, site]));
  const knownByNo = new Map(known.map((m) => [m.platformNo!, m.id]));
  const seenInFile = new Map<string, number>();

  const errors: ImportProblem[] = [];
  const duplicates: ImportDuplicate[] = [];
  const accepted: { row: SheetRow; website: Website; receivedAt: Date; content: string; no: string }[] = [];
  for (const row of rows) {
    const problems: string[] = [];
    const no = platformNoOf(row.cells.留言编号);
    if (no === '') problems.push('缺少留言编号');
    else if (no.length > 64) problems.push('留言编号过长');

    const code = cellText(row.cells.网站标识码);
    const name = cellText(row.cells.网站名称);
    let website: Website | undefined;
    if (code !== '') {
      website = byCode.get(code);
      if (!website) problems.push(`网站标识码 ${code} 不在网站目录中`);
    } else if (name !== '') {
      const named = allSites.filter((site) => site.name === name);
      if (named.length === 1) website = named[0];
      else
        problems.push(
          named.length === 0 ? `网站“${name}”不在网站目录中` : `网站名称“${name}”不唯一，请填写网站标识码`,
        );
    } else {
      problems.push('缺少网站标识码和网站名称');
    }

    const receivedAt = parseExportTime(row.cells.留言时间);
    if (!receivedAt) {
      const raw = cellText(row.cells.留言时间);
      problems.push(raw ? `留言时间“${clip(raw, 20)}”无法识别（应如 2026-03-20 17:30）` : '缺少留言时间');
    } else if (receivedAt.getTime() > now.getTime()) {
      problems.push('留言时间晚于当前时间');
    }

    const content = cellText(row.cells.留言内容);
    if (content === '') problems.push('缺少留言内容');

    if (problems.length > 0) {
      errors.push({ line: row.line, message: problems.join('；') });
      continue;
    }
    const existingId = knownByNo.get(no);
    const earlierLine = seenInFile.get(no);
    if (existingId !== undefined) {
      duplicates.push({ line: row.line, platformNo: no, existing: guestbookRef(existingId) });
      continue;
    }
    if (earlierLine !== undefined) {
      duplicates.push({ line: row.line, platformNo: no, existing: `第 ${earlierLine} 行` });
      continue;
    }
    seenInFile.set(no, row.line);
    accepted.push({ row, website: website!, receivedAt: receivedAt!, content, no });
  }
  if (errors.length > 0) {
    await effects.audit({
      actor: options.actor,
      action: 'guestbook.import',
      target: 'guestbook',
      result: 'failed',
      detail: `导入 ${clip(options.fileName, 60)}：${errors.length} 行有误，未导入`,
    });
    return { ok: false, errors, duplicates };
  }

  let masked = 0;
  const values = accepted.map(({ website, receivedAt, content, no }) => {
    const findings = detectPii(content, { allowList: options.piiAllowList });
    if (findings.length > 0) masked++;
    return messageRow(calendar, {
      websiteId: website.id,
      topUnitId: index.get(website.unitId) ?? website.unitId,
      receivedAt,
      summary: findings.length > 0 ? maskText(content, findings) : content,
      platformNo: no,
      source: 'import',
      registeredBy: options.actor,
      summaryPii: findings.length > 0 ? summariseFindings(findings) : null,
    });
  });
  for (let i = 0; i < values.length; i += CHUNK) {
    await tx.getRepository(GuestbookMessage).insert(values.slice(i, i + CHUNK));
  }
  // Read back by 留言编号 (unique) for the ids: multi-row inserts need not get consecutive ids.
  const stored = await inChunks(
    accepted.map((a) => a.no),
    (slice) => tx.getRepository(GuestbookMessage).findBy({ platformNo: In(slice) }),
  );
  stored.sort((a, b) => a.id - b.id);
  const created = await withSitesAndUnits(tx, stored);
  await effects.audit({
    actor: options.actor,
    action: 'guestbook.import',
    target:
      created.length > 0
        ? `${guestbookRef(created[0]!.message.id)}-${guestbookRef(created.at(-1)!.message.id)}`
        : 'guestbook',
    detail: `导入 ${clip(options.fileName, 60)}：新增 ${created.length} 条，跳过重复 ${duplicates.length} 条，脱敏 ${masked} 条`,
  });
  return { ok: true, created, duplicates, masked };
}

/**
 * Tells each unit's liaisons about its new messages (one notice per unit); returns the notices and
 * the names of units that have no liaison to tell.
 */
export async function newMessageNotices(
  tx: EntityManager,
  created: OpenMessage[],
  keyPrefix: string,
): Promise<{ notify: Notification[]; unreached: string[] }> {
  const byUnit = new Map<number, OpenMessage[]>();
  for (const entry of created) {
    byUnit.set(entry.message.topUnitId, [...(byUnit.get(entry.message.topUnitId) ?? []), entry]);
  }
  const liaisons = await liaisonsByTopUnit(tx, [...byUnit.keys()]);
  const notify: Notification[] = [];
  const unreached: string[] = [];
  for (const [unitId, entries] of byUnit) {
    const to = (liaisons.get(unitId) ?? []).map((person) => person.userid);
    if (to.length === 0) {
      unreached.push(entries[0]!.unit?.name ?? `单位 ${unitId}`);
      continue;
    }
    notify.push({
      to,
      key: `${keyPrefix}:unit:${unitId}`,
      source: 'guestbook',
      message: markdown(newMessagesText(entries)),
    });
  }
  return { notify, unreached };
}
