// The directory's three sheets as people fill them in Excel: reading .xlsx/.csv into tables, telling
// the sheet kind by its header row, and checking each row on its own (references between rows and to
// the database are checked by import.ts). Labels are the Chinese ones people type.
import { extname } from 'node:path';
import type ExcelJS from 'exceljs';
import { MEDIA_ACCOUNT_STATUS_LABELS, MEDIA_PLATFORM_LABELS } from '../../entities/media-account.js';
import type { MediaAccountStatus, MediaPlatform } from '../../entities/media-account.js';
import { ROLE_LABELS, type Role } from '../../entities/person.js';
import { UNIT_KIND_LABELS, type UnitKind } from '../../entities/unit.js';
import type { ContentRefusal } from '../content/refusals.js';
import type { ContentService } from '../content/service.js';
import { plainCell, type PlainCell } from '../content/sheet-read.js';

export type SheetKind = 'people' | 'websites' | 'accounts';

/** In this order: units come from the people sheet, and the other two refer to them. */
export const SHEET_KINDS: readonly SheetKind[] = ['people', 'websites', 'accounts'];

export const SHEET_KIND_LABELS: Record<SheetKind, string> = {
  people: '人员',
  websites: '网站',
  accounts: '新媒体账号',
};

/** The header row of each sheet, in the order export writes it. */
export const SHEET_COLUMNS = {
  people: ['单位名称', '单位类型', '上级单位', '姓名', '企业微信账号', '角色', '手机号'],
  websites: ['网站名称', '网站标识码', '域名', '主办单位'],
  accounts: ['账号名称', '平台', '主办单位', '状态'],
} as const satisfies Record<SheetKind, readonly string[]>;

/** Columns that may be left out of the header altogether. */
const OPTIONAL_COLUMNS = new Set<string>(['上级单位', '手机号']);

/** Where a row came from: the sheet (xlsx) and its 1-based line. */
export interface Where {
  sheet: string | null;
  line: number;
}

export interface RowError {
  where: Where | null;
  message: string;
}

export function describeWhere(where: Where | null): string {
  if (!where) return '文件';
  return where.sheet === null ? `第 ${where.line} 行` : `工作表「${where.sheet}」第 ${where.line} 行`;
}

export interface PersonRow {
  where: Where;
  unitName: string;
  unitKind: UnitKind;
  parentName: string | null;
  /** Null on a unit-only row (a unit with nobody registered yet). */
  person: { name: string; userid: string; role: Role; mobile: string | null } | null;
}

export interface WebsiteRow {
  where: Where;
  name: string;
  siteCode: string;
  domain: string;
  /** A full address when the sheet gave one (an IP, a port, a path, a scheme); null for a bare domain. */
  homeUrl: string | null;
  unitName: string;
}

export interface AccountRow {
  where: Where;
  name: string;
  platform: MediaPlatform;
  unitName: string;
  status: MediaAccountStatus;
}

export interface DirectoryRows {
  people: PersonRow[];
  websites: WebsiteRow[];
  accounts: AccountRow[];
}

/** One sheet as read from the file: each row's cells as text, with its line. */
export interface RawTable {
  sheet: string | null;
  rows: { line: number; cells: string[] }[];
}

// ---------------------------------------------------------------------------------------------
// Labels

function reverse<K extends string>(
  labels: Record<K, string>,
  aliases: Record<string, K> = {},
): Map<string, K> {
  const map = new Map<string, K>();
  for (const [code, label] of Object.entries(labels) as [K, string][]) map.set(label, code);
  for (const [alias, code] of Object.entries(aliases)) map.set(alias, code);
  return map;
}

const UNIT_KINDS = reverse(UNIT_KIND_LABELS, { 其它: 'other', 市直单位: 'department' });
const ROLES = reverse(ROLE_LABELS, { 督办人员: 'supervisor' });
const PLATFORMS = reverse(MEDIA_PLATFORM_LABELS, {
  微信: 'wechat',
  公众号: 'wechat',
  微博: 'weibo',
  头条: 'toutiao',
  头条号: 'toutiao',
  抖音号: 'douyin',
  其它: 'other',
});
const ACCOUNT_STATUSES = reverse(MEDIA_ACCOUNT_STATUS_LABELS, {
  正常: 'running',
  正常运行: 'running',
  关停: 'closed',
  注销: 'cancelled',
});

export function parseUnitKind(label: string): UnitKind | undefined {
  return UNIT_KINDS.get(label);
}
export function parseRole(label: string): Role | undefined {
  return ROLES.get(label);
}
export function parsePlatform(label: string): MediaPlatform | undefined {
  return PLATFORMS.get(label);
}
/** An empty status means 运行. */
export function parseAccountStatus(label: string): MediaAccountStatus | undefined {
  return label === '' ? 'running' : ACCOUNT_STATUSES.get(label);
}

// ---------------------------------------------------------------------------------------------
// Values

/** WeCom userids: 1–64 characters of letters, digits and _-@., starting with a letter or digit. */
export function isValidUserid(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_\-@.]{0,63}$/.test(value);
}

/** People's names: letters (any script), the middle dot of minority names, spaces, brackets. */
export function isValidPersonName(value: string): boolean {
  return /^[\p{L}\p{M}·•.()（）\- ]{1,32}$/u.test(value) && /\p{L}/u.test(value);
}

/** Mainland mobile numbers, written with or without +86, spaces or dashes; null if not one. */
export function normaliseMobile(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** 网站标识码: letters and digits (normally 10, e.g. 3703000001). */
export function isValidSiteCode(value: string): boolean {
  return /^[A-Za-z0-9]{6,32}$/.test(value);
}

/** A domain as typed (a URL is accepted and cut down to its host); null if it is not one. */
export function normaliseDomain(value: string): string | null {
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '');
  return /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](:\d{1,5})?$/.test(host)
    ? host
    : null;
}

/**
 * A website's address as typed in the 域名 column: a bare domain (www.zibo.gov.cn), or a full
 * address (https://www.zibo.gov.cn/zwgk/, http://10.12.3.4:8080/ on the government extranet). The
 * domain is the host (with its port, if any); the home URL is kept when the address says more than
 * the domain does. Null when it is neither.
 */
export function parseSiteAddress(value: string): { domain: string; homeUrl: string | null } | null {
  const typed = value.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed);
  if (hasScheme && !/^https?:\/\//i.test(typed)) return null;
  let url: URL;
  try {
    url = new URL(hasScheme ? typed : `http://${typed}`);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
  const domain = `${host}${url.port ? `:${url.port}` : ''}`;
  if (!ipv4 && normaliseDomain(domain) === null) return null;
  const bare = !hasScheme && !ipv4 && !url.port && url.pathname === '/' && !url.search;
  return { domain, homeUrl: bare ? null : `${url.protocol}//${domain}${url.pathname}${url.search}` };
}

/** The addresses a site is read from, in order: its home URL, or https then http of its domain. */
export function siteHomeUrls(site: { domain: string; homeUrl: string | null }): string[] {
  return site.homeUrl ? [site.homeUrl] : [`https://${site.domain}/`, `http://${site.domain}/`];
}

/** How names compare for uniqueness: the database collation ignores case and full/half width. */
export function nameKey(value: string): string {
  return value.normalize('NFKC').toLowerCase().trim();
}

// ---------------------------------------------------------------------------------------------
// Reading files

export type ReadResult =
  { ok: true; tables: RawTable[] } | { ok: false; error: string } | { ok: false; refusal: ContentRefusal };

/**
 * Reads an .xlsx (every sheet) or a .csv (UTF-8, with or without BOM) into raw tables. The file is
 * parsed in the content pool; a refusal says which limit stopped it.
 */
export async function readTables(
  content: ContentService,
  fileName: string,
  data: Buffer,
): Promise<ReadResult> {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.csv') {
    const parsed = await content.parse('csv', data, { strictEncoding: true }, 'csv');
    if (!parsed.ok) return parsed;
    if (!parsed.value.ok) return parsed.value;
    return { ok: true, tables: [{ sheet: null, rows: parsed.value.records }] };
  }
  if (extension === '.xlsx') {
    const parsed = await content.parse('sheets', data, undefined, 'xlsx');
    if (!parsed.ok) return parsed;
    if (!parsed.value.ok)
      return { ok: false, error: '无法读取该 .xlsx 文件（文件损坏或不是 Excel 工作簿）。' };
    return {
      ok: true,
      tables: parsed.value.sheets.map((sheet) => ({
        sheet: sheet.name,
        rows: sheet.rows.map((row) => ({ line: row.line, cells: row.cells.map(cellText) })),
      })),
    };
  }
  if (extension === '.xls') {
    return { ok: false, error: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入。' };
  }
  return { ok: false, error: '只能导入 .xlsx 或 .csv 文件。' };
}

/** The text a cell shows: numbers without exponents, rich text joined, formulas by their result. */
export function cellText(value: ExcelJS.CellValue | PlainCell): string {
  const cell = plainCell(value as ExcelJS.CellValue);
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isInteger(cell) ? BigInt(cell).toString() : String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return cell.error;
}

// ---------------------------------------------------------------------------------------------
// Header and rows

/** Header cells compared loosely: width, spaces, 帐/账, and marks such as * or （必填）. */
function headerKey(cell: string): string {
  return cell
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/帐/g, '账')
    .replace(/[*＊]/g, '')
    .replace(/\((必填|选填|可选|可不填)\)$/, '');
}

export function detectSheetKind(header: readonly string[]): SheetKind | undefined {
  const keys = new Set(header.map(headerKey));
  if (keys.has('企业微信账号')) return 'people';
  if (keys.has('网站标识码')) return 'websites';
  if (keys.has('账号名称')) return 'accounts';
  return undefined;
}

/** Rows above the header (a title such as "淄博市政府网站名录") are allowed, up to this many. */
const HEADER_SEARCH_ROWS = 5;

export interface ParseResult {
  rows: DirectoryRows;
  errors: RowError[];
  /** Which kinds the file held, with the sheet each came from. */
  sheets: { kind: SheetKind; sheet: string | null }[];
}

/** Recognises each table's kind and checks every row on its own. */
export function parseTables(tables: readonly RawTable[]): ParseResult {
  const result: ParseResult = { rows: { people: [], websites: [], accounts: [] }, errors: [], sheets: [] };
  for (const table of tables) {
    const nonEmpty = table.rows.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
    if (nonEmpty.length === 0) continue;
    const headerIndex = nonEmpty
      .slice(0, HEADER_SEARCH_ROWS)
      .findIndex((row) => detectSheetKind(row.cells) !== undefined);
    const header = nonEmpty[headerIndex];
    if (!header) {
      result.errors.push({
        where: { sheet: table.sheet, line: nonEmpty[0]!.line },
        message:
          '无法识别表头，应为以下之一：' +
          SHEET_KINDS.map((kind) => `${SHEET_KIND_LABELS[kind]}表「${SHEET_COLUMNS[kind].join(',')}」`).join(
            '；',
          ),
      });
      continue;
    }
    const kind = detectSheetKind(header.cells)!;
    if (result.sheets.some((seen) => seen.kind === kind)) {
      result.errors.push({
        where: { sheet: table.sheet, line: header.line },
        message: `文件中有不止一张${SHEET_KIND_LABELS[kind]}表，请合并为一张`,
      });
      continue;
    }
    result.sheets.push({ kind, sheet: table.sheet });
    const columns = new Map<string, number>();
    header.cells.forEach((cell, index) => {
      const key = headerKey(cell);
      if (key && !columns.has(key)) columns.set(key, index);
    });
    const missing = SHEET_COLUMNS[kind].filter((name) => !columns.has(name) && !OPTIONAL_COLUMNS.has(name));
    if (missing.length > 0) {
      result.errors.push({
        where: { sheet: table.sheet, line: header.line },
        message: `${SHEET_KIND_LABELS[kind]}表缺少列：${missing.join('、')}`,
      });
      continue;
    }
    for (const row of nonEmpty.slice(headerIndex + 1)) {
      const get = (name: string) => {
        const index = columns.get(name);
        return index === undefined ? '' : (row.cells[index] ?? '').normalize('NFKC').trim();
      };
      const where = { sheet: table.sheet, line: row.line };
      const errors: string[] = [];
      if (kind === 'people') {
        const parsed = parsePersonRow(get, where, errors);
        if (parsed && errors.length === 0) result.rows.people.push(parsed);
        else if (parsed) {
          // Keep the unit known, so that rows naming it are not reported as well; the errors
          // already stop the import.
          result.rows.people.push({ ...parsed, person: null });
        }
      } else if (kind === 'websites') {
        const parsed = parseWebsiteRow(get, where, errors);
        if (parsed && errors.length === 0) result.rows.websites.push(parsed);
      } else {
        const parsed = parseAccountRow(get, where, errors);
        if (parsed && errors.length === 0) result.rows.accounts.push(parsed);
      }
      for (const message of errors) result.errors.push({ where, message });
    }
  }
  if (result.sheets.length === 0 && result.errors.length === 0) {
    result.errors.push({ where: null, message: '文件中没有数据' });
  }
  return result;
}

type Getter = (column: string) => string;

function required(get: Getter, column: string, errors: string[], max: number): string {
  const value = get(column);
  if (value === '') errors.push(`缺少${column}`);
  else if ([...value].length > max) errors.push(`${column}超过 ${max} 个字`);
  return value;
}

function parsePersonRow(get: Getter, where: Where, errors: string[]): PersonRow | undefined {
  const unitName = required(get, '单位名称', errors, 100);
  const kindLabel = get('单位类型');
  const unitKind = parseUnitKind(kindLabel);
  if (kindLabel === '') errors.push('缺少单位类型');
  else if (!unitKind) errors.push(`单位类型「${kindLabel}」无效（应为 区县、功能区、市直部门 或 其他）`);
  const parentName = get('上级单位') || null;
  if (parentName !== null && unitName !== '' && nameKey(parentName) === nameKey(unitName)) {
    errors.push('上级单位不能是本单位');
  }
  const name = get('姓名');
  const userid = get('企业微信账号');
  const roleLabel = get('角色');
  const mobileText = get('手机号');
  if (name === '' && userid === '' && roleLabel === '') {
    // A unit-only row: the unit is registered before anyone is assigned to it.
    if (mobileText !== '') errors.push('填写了手机号却没有姓名和企业微信账号');
    return unitKind && unitName !== '' ? { where, unitName, unitKind, parentName, person: null } : undefined;
  }
  if (name === '') errors.push('缺少姓名');
  else if (!isValidPersonName(name)) errors.push(`姓名「${name}」无效（应为 1–32 个字，不含数字）`);
  if (userid === '') errors.push('缺少企业微信账号');
  else if (!isValidUserid(userid)) {
    errors.push(`企业微信账号「${userid}」无效（只能由字母、数字和 _-@. 组成，最长 64 位）`);
  }
  const role = parseRole(roleLabel);
  if (roleLabel === '') errors.push('缺少角色');
  else if (!role) errors.push(`角色「${roleLabel}」无效（应为 联络员、督办员 或 管理员）`);
  const mobile = mobileText === '' ? null : normaliseMobile(mobileText);
  if (mobileText !== '' && mobile === null) errors.push('手机号无效（应为 11 位大陆手机号）');
  if (!unitKind || unitName === '') return undefined;
  return { where, unitName, unitKind, parentName, person: role ? { name, userid, role, mobile } : null };
}

function parseWebsiteRow(get: Getter, where: Where, errors: string[]): WebsiteRow | undefined {
  const name = required(get, '网站名称', errors, 100);
  const siteCode = get('网站标识码');
  if (siteCode === '') errors.push('缺少网站标识码');
  else if (!isValidSiteCode(siteCode))
    errors.push(`网站标识码「${siteCode}」无效（应为字母和数字，如 3703000001）`);
  const domainText = get('域名');
  const address = domainText === '' ? null : parseSiteAddress(domainText);
  if (domainText === '') errors.push('缺少域名');
  else if (address === null)
    errors.push(`域名「${domainText}」无效（可写域名，或完整网址如 http://10.12.3.4:8080/）`);
  const unitName = required(get, '主办单位', errors, 100);
  return address === null ? undefined : { where, name, siteCode, ...address, unitName };
}

function parseAccountRow(get: Getter, where: Where, errors: string[]): AccountRow | undefined {
  const name = required(get, '账号名称', errors, 100);
  const platformLabel = get('平台');
  const platform = parsePlatform(platformLabel);
  if (platformLabel === '') errors.push('缺少平台');
  else if (!platform) {
    errors.push(`平台「${platformLabel}」无效（应为 微信公众号、新浪微博、今日头条、抖音 或 其他）`);
  }
  const unitName = required(get, '主办单位', errors, 100);
  const statusLabel = get('状态');
  const status = parseAccountStatus(statusLabel);
  if (!status) errors.push(`状态「${statusLabel}」无效（应为 运行、已关停 或 已注销）`);
  return platform && status ? { where, name, platform, unitName, status } : undefined;
}
