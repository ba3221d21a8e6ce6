// Applies directory sheets to the database: all or nothing. Every row is checked (including
// references to units in the file or the database) before anything is written; then units, people,
// websites and accounts are created or updated in place in bulk, with one audit row per change and
// one for the import. Re-applying the same rows changes nothing.
import type { ContentRefusal } from '../content/refusals.js';
import type { ContentService } from '../content/service.js';
import { basename } from 'node:path';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../../entities/audit-log.js';
import {
  MEDIA_ACCOUNT_STATUS_LABELS,
  MEDIA_PLATFORM_LABELS,
  MediaAccount,
} from '../../entities/media-account.js';
import { Person, ROLE_LABELS } from '../../entities/person.js';
import { bumpUnitVersion } from '../../db/unit-version.js';
import { UNIT_KIND_LABELS, Unit, type UnitKind } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { auditRow, type AuditEntry } from '../shared/audit.js';
import { endBoardSessions } from '../shared/board-sessions.js';
import { maskMobile, maskName } from './lookup.js';
import {
  describeWhere,
  nameKey,
  parseTables,
  readTables,
  SHEET_KIND_LABELS,
  type DirectoryRows,
  type RowError,
  type Where,
} from './sheets.js';

export type DirectoryKind = 'units' | 'people' | 'websites' | 'accounts';

export const DIRECTORY_KIND_LABELS: Record<DirectoryKind, string> = {
  units: '单位',
  people: '人员',
  websites: '网站',
  accounts: '新媒体账号',
};

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export type ImportSummary = Record<DirectoryKind, Counts>;

export type ApplyResult = { ok: true; summary: ImportSummary } | { ok: false; errors: RowError[] };

export interface ApplyOptions {
  /** Audit actor: `cli:<os user>`, a userid, or `system`. */
  actor: string;
  now: Date;
  /** Audit action and target of the summary row, e.g. directory.import / file:通讯录.xlsx. */
  action: string;
  target: string;
  /** Problems found while reading the rows: reported together with the reference checks. */
  priorErrors?: RowError[];
}

const INSERT_CHUNK = 200;

interface UnitDecl {
  name: string;
  kind: UnitKind;
  parentName: string | null;
  where: Where;
}

/** Checks the rows against each other and the database, then writes them (or nothing). */
export async function applyDirectoryRows(
  tx: EntityManager,
  rows: DirectoryRows,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const existing = {
    units: await tx.getRepository(Unit).find({ order: { id: 'ASC' } }),
    people: await tx.getRepository(Person).find({ order: { id: 'ASC' } }),
    websites: await tx.getRepository(Website).find({ order: { id: 'ASC' } }),
    accounts: await tx.getRepository(MediaAccount).find({ order: { id: 'ASC' } }),
  };
  const errors: RowError[] = [...(options.priorErrors ?? [])];
  const fail = (where: Where, message: string) => errors.push({ where, message });

  // Units come from the people sheet; the same unit on several rows must agree.
  const unitByKey = new Map(existing.units.map((unit) => [nameKey(unit.name), unit]));
  const declared = new Map<string, UnitDecl>();
  for (const row of rows.people) {
    const key = nameKey(row.unitName);
    const before = declared.get(key);
    if (!before) {
      declared.set(key, {
        name: row.unitName,
        kind: row.unitKind,
        parentName: row.parentName,
        where: row.where,
      });
      continue;
    }
    if (before.kind !== row.unitKind) {
      fail(row.where, `单位「${row.unitName}」的单位类型与${describeWhere(before.where)}不一致`);
    }
    if (nameKey(before.parentName ?? '') !== nameKey(row.parentName ?? '')) {
      fail(row.where, `单位「${row.unitName}」的上级单位与${describeWhere(before.where)}不一致`);
    }
  }
  const unitKnown = (name: string) => declared.has(nameKey(name)) || unitByKey.has(nameKey(name));
  const parentKeyOf = new Map<string, string | null>();
  const unitNameById = new Map(existing.units.map((unit) => [unit.id, unit.name]));
  for (const unit of existing.units) {
    const parent = unit.parentId === null ? undefined : unitNameById.get(unit.parentId);
    parentKeyOf.set(nameKey(unit.name), parent === undefined ? null : nameKey(parent));
  }
  for (const [key, decl] of declared) {
    parentKeyOf.set(key, decl.parentName === null ? null : nameKey(decl.parentName));
  }
  for (const [key, decl] of declared) {
    if (decl.parentName !== null && !unitKnown(decl.parentName)) {
      fail(decl.where, `上级单位「${decl.parentName}」不存在（须在本表登记或已在系统中）`);
      continue;
    }
    let current = parentKeyOf.get(key) ?? null;
    for (let depth = 0; current !== null && depth < 20; depth++) {
      if (current === key) {
        fail(decl.where, `单位「${decl.name}」与上级单位形成循环`);
        break;
      }
      current = parentKeyOf.get(current) ?? null;
    }
  }

  const seenUserids = new Map<string, Where>();
  for (const row of rows.people) {
    if (!row.person) continue;
    const key = row.person.userid.toLowerCase();
    const first = seenUserids.get(key);
    if (first) fail(row.where, `企业微信账号「${row.person.userid}」与${describeWhere(first)}重复`);
    else seenUserids.set(key, row.where);
  }

  const seenSiteCodes = new Map<string, Where>();
  for (const row of rows.websites) {
    if (!unitKnown(row.unitName)) fail(row.where, unknownUnit(row.unitName));
    const key = row.siteCode.toLowerCase();
    const first = seenSiteCodes.get(key);
    if (first) fail(row.where, `网站标识码「${row.siteCode}」与${describeWhere(first)}重复`);
    else seenSiteCodes.set(key, row.where);
  }

  const seenAccounts = new Map<string, Where>();
  for (const row of rows.accounts) {
    if (!unitKnown(row.unitName)) fail(row.where, unknownUnit(row.unitName));
    const key = `${row.platform}\u0000${nameKey(row.name)}`;
    const first = seenAccounts.get(key);
    if (first) {
      fail(
        row.where,
        `${MEDIA_PLATFORM_LABELS[row.platform]}账号「${row.name}」与${describeWhere(first)}重复`,
      );
    } else seenAccounts.set(key, row.where);
  }

  if (errors.length > 0) return { ok: false, errors };
  const writer = new DirectoryWriter(tx, options);
  const summary = {
    units: await writer.units(existing.units, [...declared.values()]),
    people: await writer.people(existing.people, rows),
    websites: await writer.websites(existing.websites, rows),
    accounts: await writer.accounts(existing.accounts, rows),
  };
  await writer.finish(summary);
  return { ok: true, summary };
}

function unknownUnit(name: string): string {
  return `主办单位「${name}」不存在（须在人员表中登记或已在系统中）`;
}

/** Writes the checked rows: bulk inserts, in-place updates of what changed, audit rows. */
class DirectoryWriter {
  private readonly unitIds = new Map<string, number>();
  private readonly unitNames = new Map<number, string>();
  private readonly audit: AuditEntry[] = [];

  constructor(
    private readonly tx: EntityManager,
    private readonly options: ApplyOptions,
  ) {}

  private unitId(name: string): number {
    const id = this.unitIds.get(nameKey(name));
    if (id === undefined) throw new Error(`unit ${name} was checked but not written`);
    return id;
  }

  private unitName(id: number | null): string {
    return id === null ? '无' : (this.unitNames.get(id) ?? `#${id}`);
  }

  private note(action: string, target: string, detail: string): void {
    this.audit.push({ actor: this.options.actor, action, target, detail });
  }

  private async insert<T extends object>(entity: new () => T, values: Partial<T>[]): Promise<void> {
    for (let start = 0; start < values.length; start += INSERT_CHUNK) {
      await this.tx
        .createQueryBuilder()
        .insert()
        .into(entity)
        .values(values.slice(start, start + INSERT_CHUNK) as never)
        .updateEntity(false)
        .execute();
    }
  }

  async units(existing: Unit[], declared: UnitDecl[]): Promise<Counts> {
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const byKey = new Map(existing.map((unit) => [nameKey(unit.name), unit]));
    for (const unit of existing) {
      this.unitIds.set(nameKey(unit.name), unit.id);
      this.unitNames.set(unit.id, unit.name);
    }
    // New units level by level, so that each one's parent already has an id.
    let pending = declared.filter((decl) => !byKey.has(nameKey(decl.name)));
    while (pending.length > 0) {
      const ready = pending.filter(
        (decl) => decl.parentName === null || this.unitIds.has(nameKey(decl.parentName)),
      );
      if (ready.length === 0) throw new Error('unit parents form a cycle');
      await this.insert(
        Unit,
        ready.map((decl) => ({
          name: decl.name,
          kind: decl.kind,
          parentId: decl.parentName === null ? null : this.unitId(decl.parentName),
          active: true,
        })),
      );
      const created = await this.tx
        .getRepository(Unit)
        .createQueryBuilder('u')
        .select(['u.id', 'u.name'])
        .where('u.name IN (:...names)', { names: ready.map((decl) => decl.name) })
        .getMany();
      for (const unit of created) {
        this.unitIds.set(nameKey(unit.name), unit.id);
        this.unitNames.set(unit.id, unit.name);
      }
      for (const decl of ready) {
        counts.created++;
        const parent = decl.parentName === null ? '' : `，上级单位 ${decl.parentName}`;
        this.note('unit.create', `unit:${decl.name}`, `新建单位：${UNIT_KIND_LABELS[decl.kind]}${parent}`);
      }
      pending = pending.filter((decl) => !ready.includes(decl));
    }
    for (const decl of declared) {
      const unit = byKey.get(nameKey(decl.name));
      if (!unit) continue;
      const parentId = decl.parentName === null ? null : this.unitId(decl.parentName);
      const changes: Partial<Unit> = {};
      const said: string[] = [];
      if (unit.name !== decl.name) {
        changes.name = decl.name;
        said.push(`名称 ${unit.name}→${decl.name}`);
      }
      if (unit.kind !== decl.kind) {
        changes.kind = decl.kind;
        said.push(`单位类型 ${UNIT_KIND_LABELS[unit.kind]}→${UNIT_KIND_LABELS[decl.kind]}`);
      }
      if (unit.parentId !== parentId) {
        changes.parentId = parentId;
        said.push(`上级单位 ${this.unitName(unit.parentId)}→${this.unitName(parentId)}`);
      }
      if (!unit.active) {
        changes.active = true;
        said.push('重新启用');
      }
      if (said.length === 0) {
        counts.unchanged++;
        continue;
      }
      await this.tx.getRepository(Unit).update({ id: unit.id }, changes);
      counts.updated++;
      this.note('unit.update', `unit:${decl.name}`, said.join('；'));
    }
    // Cached unit trees (the pipeline's, on every instance) are read again once this commits.
    if (counts.created + counts.updated > 0) await bumpUnitVersion(this.tx);
    return counts;
  }

  async people(existing: Person[], rows: DirectoryRows): Promise<Counts> {
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const byUserid = new Map(existing.map((person) => [person.userid.toLowerCase(), person]));
    const inserts: Partial<Person>[] = [];
    for (const row of rows.people) {
      if (!row.person) continue;
      const wanted = { ...row.person, unitId: this.unitId(row.unitName) };
      const person = byUserid.get(wanted.userid.toLowerCase());
      if (!person) {
        inserts.push({ ...wanted, active: true });
        counts.created++;
        this.note(
          'person.create',
          `person:${wanted.userid}`,
          `新建：${maskName(wanted.name)}，${row.unitName} ${ROLE_LABELS[wanted.role]}` +
            (wanted.mobile ? `，手机 ${maskMobile(wanted.mobile)}` : ''),
        );
        continue;
      }
      const changes: Partial<Person> = {};
      const said: string[] = [];
      if (person.name !== wanted.name) {
        changes.name = wanted.name;
        said.push(`姓名 ${maskName(person.name)}→${maskName(wanted.name)}`);
      }
      if (person.unitId !== wanted.unitId) {
        changes.unitId = wanted.unitId;
        said.push(`单位 ${this.unitName(person.unitId)}→${row.unitName}`);
      }
      if (person.role !== wanted.role) {
        changes.role = wanted.role;
        said.push(`角色 ${ROLE_LABELS[person.role]}→${ROLE_LABELS[wanted.role]}`);
      }
      if (person.mobile !== wanted.mobile) {
        changes.mobile = wanted.mobile;
        said.push(`手机 ${maskMobile(person.mobile)}→${maskMobile(wanted.mobile)}`);
      }
      if (!person.active) {
        changes.active = true;
        said.push('重新启用');
      }
      if (said.length === 0) {
        counts.unchanged++;
        continue;
      }
      await this.tx.getRepository(Person).update({ id: person.id }, changes);
      // A new role or unit decides what the board shows: sessions opened before it end.
      if (changes.role !== undefined || changes.unitId !== undefined)
        await endBoardSessions(this.tx, person.userid);
      counts.updated++;
      this.note('person.update', `person:${person.userid}`, said.join('；'));
    }
    await this.insert(Person, inserts);
    return counts;
  }

  async websites(existing: Website[], rows: DirectoryRows): Promise<Counts> {
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const byCode = new Map(existing.map((site) => [site.siteCode.toLowerCase(), site]));
    const inserts: Partial<Website>[] = [];
    for (const row of rows.websites) {
      const unitId = this.unitId(row.unitName);
      const site = byCode.get(row.siteCode.toLowerCase());
      if (!site) {
        inserts.push({
          name: row.name,
          siteCode: row.siteCode,
          domain: row.domain,
          homeUrl: row.homeUrl,
          unitId,
          status: 'active',
        });
        counts.created++;
        this.note(
          'website.create',
          `website:${row.siteCode}`,
          `新建：${row.name}（${row.domain}），${row.unitName}`,
        );
        continue;
      }
      const changes: Partial<Website> = {};
      const said: string[] = [];
      if (site.name !== row.name) {
        changes.name = row.name;
        said.push(`名称 ${site.name}→${row.name}`);
      }
      if (site.siteCode !== row.siteCode) {
        changes.siteCode = row.siteCode;
        said.push(`标识码 ${site.siteCode}→${row.siteCode}`);
      }
      if (site.domain !== row.domain) {
        changes.domain = row.domain;
        said.push(`域名 ${site.domain}→${row.domain}`);
      }
      if ((site.homeUrl ?? null) !== row.homeUrl) {
        changes.homeUrl = row.homeUrl;
        said.push(`网址 ${site.homeUrl ?? site.domain}→${row.homeUrl ?? row.domain}`);
      }
      if (site.unitId !== unitId) {
        changes.unitId = unitId;
        said.push(`主办单位 ${this.unitName(site.unitId)}→${row.unitName}`);
      }
      if (said.length === 0) {
        counts.unchanged++;
        continue;
      }
      await this.tx.getRepository(Website).update({ id: site.id }, changes);
      counts.updated++;
      this.note('website.update', `website:${row.siteCode}`, said.join('；'));
    }
    await this.insert(Website, inserts);
    return counts;
  }

  async accounts(existing: MediaAccount[], rows: DirectoryRows): Promise<Counts> {
    const counts: Counts = { created: 0, updated: 0, unchanged: 0 };
    const byKey = new Map(
      existing.map((account) => [`${account.platform}\u0000${nameKey(account.name)}`, account]),
    );
    const inserts: Partial<MediaAccount>[] = [];
    for (const row of rows.accounts) {
      const unitId = this.unitId(row.unitName);
      const label = `${MEDIA_PLATFORM_LABELS[row.platform]}「${row.name}」`;
      const target = `account:${row.platform}:${row.name}`;
      const account = byKey.get(`${row.platform}\u0000${nameKey(row.name)}`);
      if (!account) {
        inserts.push({
          platform: row.platform,
          name: row.name,
          unitId,
          status: row.status,
          consolidationCandidate: false,
        });
        counts.created++;
        this.note(
          'account.create',
          target,
          `新建：${label}，${row.unitName}，${MEDIA_ACCOUNT_STATUS_LABELS[row.status]}`,
        );
        continue;
      }
      const changes: Partial<MediaAccount> = {};
      const said: string[] = [];
      if (account.name !== row.name) {
        changes.name = row.name;
        said.push(`名称 ${account.name}→${row.name}`);
      }
      if (account.unitId !== unitId) {
        changes.unitId = unitId;
        said.push(`主办单位 ${this.unitName(account.unitId)}→${row.unitName}`);
      }
      if (account.status !== row.status) {
        changes.status = row.status;
        said.push(
          `状态 ${MEDIA_ACCOUNT_STATUS_LABELS[account.status]}→${MEDIA_ACCOUNT_STATUS_LABELS[row.status]}`,
        );
      }
      if (said.length === 0) {
        counts.unchanged++;
        continue;
      }
      await this.tx.getRepository(MediaAccount).update({ id: account.id }, changes);
      counts.updated++;
      this.note('account.update', target, `${label}：${said.join('；')}`);
    }
    await this.insert(MediaAccount, inserts);
    return counts;
  }

  /**
   * The per-change audit rows and the summary row, in the same transaction as the changes. A
   * re-import that changes nothing writes nothing, not even the summary.
   */
  async finish(summary: ImportSummary): Promise<void> {
    if (changedCount(summary) === 0) return;
    this.note(this.options.action, this.options.target, describeSummary(summary).join('；'));
    const { now } = this.options;
    await this.insert(
      AuditLog,
      this.audit.map((entry) => auditRow(now, entry)),
    );
  }
}

/** One line per kind: `单位：新建 3，更新 0，未变 12`. */
export function describeSummary(summary: ImportSummary): string[] {
  return (Object.keys(DIRECTORY_KIND_LABELS) as DirectoryKind[]).map((kind) => {
    const counts = summary[kind];
    return `${DIRECTORY_KIND_LABELS[kind]}：新建 ${counts.created}，更新 ${counts.updated}，未变 ${counts.unchanged}`;
  });
}

export function changedCount(summary: ImportSummary): number {
  return Object.values(summary).reduce((sum, counts) => sum + counts.created + counts.updated, 0);
}

export type FileImportResult =
  | { ok: true; summary: ImportSummary; sheets: string[] }
  | { ok: false; errors: RowError[]; refusal?: ContentRefusal };

/**
 * Reads a directory file (.xlsx with any of the three sheets, or one .csv sheet) and applies it in
 * the given transaction. Errors list every bad row, sorted by sheet and line; nothing is written.
 */
export async function importDirectoryFile(
  tx: EntityManager,
  fileName: string,
  data: Buffer,
  options: { actor: string; now: Date; content: ContentService },
): Promise<FileImportResult> {
  const read = await readTables(options.content, fileName, data);
  if (!read.ok && 'refusal' in read) return { ok: false, errors: [], refusal: read.refusal };
  if (!read.ok) return { ok: false, errors: [{ where: null, message: read.error }] };
  const parsed = parseTables(read.tables);
  const result = await applyDirectoryRows(tx, parsed.rows, {
    actor: options.actor,
    now: options.now,
    action: 'directory.import',
    target: `file:${basename(fileName)}`,
    priorErrors: parsed.errors,
  });
  if (!result.ok) {
    const order = new Map(read.tables.map((table, index) => [table.sheet, index]));
    const rank = (error: RowError) =>
      error.where ? (order.get(error.where.sheet) ?? 0) * 1e9 + error.where.line : -1;
    return { ok: false, errors: [...result.errors].sort((a, b) => rank(a) - rank(b)) };
  }
  return {
    ok: true,
    summary: result.summary,
    sheets: parsed.sheets.map(({ kind, sheet }) =>
      sheet === null ? `${SHEET_KIND_LABELS[kind]}表` : `${SHEET_KIND_LABELS[kind]}表（工作表「${sheet}」）`,
    ),
  };
}

/** `文件未导入（整份拒绝），发现 2 个问题：` and one line per problem. */
export function describeImportErrors(errors: readonly RowError[]): string {
  return [
    `文件未导入（整份拒绝），发现 ${errors.length} 个问题：`,
    ...errors.map((error) => `  - ${describeWhere(error.where)}：${error.message}`),
  ].join('\n');
}
