// The directory as the three sheets import reads (人员, 网站, 新媒体账号), so that an export imports
// back unchanged. Only active people are listed (importing a row activates its person); a unit with
// nobody active gets a unit-only row, so every unit a website or account names is in the file.
import type { EntityManager } from 'typeorm';
import { streamedWorkbook } from '../shared/xlsx.js';
import {
  MEDIA_ACCOUNT_STATUS_LABELS,
  MEDIA_PLATFORM_LABELS,
  MediaAccount,
} from '../../entities/media-account.js';
import { Person, ROLE_LABELS, type Role } from '../../entities/person.js';
import { UNIT_KIND_LABELS, Unit, type UnitKind } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';
import { SHEET_COLUMNS, SHEET_KIND_LABELS, SHEET_KINDS, type SheetKind } from './sheets.js';

export type DirectoryTables = Record<SheetKind, string[][]>;

const KIND_ORDER: UnitKind[] = ['district', 'zone', 'department', 'other'];
const ROLE_ORDER: Role[] = ['liaison', 'supervisor', 'admin'];

/** The rows of each sheet (without the header), in a stable order: units as the notice lists them. */
export async function directoryTables(tx: EntityManager): Promise<DirectoryTables> {
  const units = await tx.getRepository(Unit).find({ order: { id: 'ASC' } });
  const people = await tx.getRepository(Person).find({ where: { active: true }, order: { id: 'ASC' } });
  const websites = await tx.getRepository(Website).find({ order: { siteCode: 'ASC' } });
  const accounts = await tx.getRepository(MediaAccount).find({ order: { id: 'ASC' } });

  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const ordered = unitOrder(units);
  const position = new Map(ordered.map((unit, index) => [unit.id, index]));
  const name = (id: number) => byId.get(id)?.name ?? '';

  const peopleRows: string[][] = [];
  for (const unit of ordered) {
    const parent = unit.parentId === null ? '' : name(unit.parentId);
    const members = people
      .filter((person) => person.unitId === unit.id)
      .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.id - b.id);
    if (members.length === 0) {
      peopleRows.push([unit.name, UNIT_KIND_LABELS[unit.kind], parent, '', '', '', '']);
    }
    for (const person of members) {
      peopleRows.push([
        unit.name,
        UNIT_KIND_LABELS[unit.kind],
        parent,
        person.name,
        person.userid,
        ROLE_LABELS[person.role],
        person.mobile ?? '',
      ]);
    }
  }

  const rank = (unitId: number) => position.get(unitId) ?? 0;
  const platforms = Object.keys(MEDIA_PLATFORM_LABELS);
  return {
    people: peopleRows,
    websites: [...websites]
      .sort((a, b) => rank(a.unitId) - rank(b.unitId))
      .map((site) => [site.name, site.siteCode, site.homeUrl ?? site.domain, name(site.unitId)]),
    accounts: [...accounts]
      .sort(
        (a, b) =>
          rank(a.unitId) - rank(b.unitId) ||
          platforms.indexOf(a.platform) - platforms.indexOf(b.platform) ||
          a.id - b.id,
      )
      .map((account) => [
        account.name,
        MEDIA_PLATFORM_LABELS[account.platform],
        name(account.unitId),
        MEDIA_ACCOUNT_STATUS_LABELS[account.status],
      ]),
  };
}

/** Top-level units by kind (区县, 功能区, 市直部门, 其他), each followed by its sub-units. */
function unitOrder(units: Unit[]): Unit[] {
  const children = new Map<number, Unit[]>();
  for (const unit of units) {
    if (unit.parentId !== null) children.set(unit.parentId, [...(children.get(unit.parentId) ?? []), unit]);
  }
  const known = new Set(units.map((unit) => unit.id));
  const roots = units
    .filter((unit) => unit.parentId === null || !known.has(unit.parentId))
    .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id - b.id);
  const out: Unit[] = [];
  const seen = new Set<number>();
  const visit = (unit: Unit) => {
    if (seen.has(unit.id)) return;
    seen.add(unit.id);
    out.push(unit);
    for (const child of children.get(unit.id) ?? []) visit(child);
  };
  roots.forEach(visit);
  // Units caught in a parent cycle (never written by import, but keep them in the file).
  units.forEach(visit);
  return out;
}

/** The workbook: one sheet per kind, text cells (codes and mobiles stay as typed), header frozen. */
export async function directoryWorkbook(tx: EntityManager): Promise<Buffer> {
  const tables = await directoryTables(tx);
  // Streamed: a directory of a hundred thousand rows does not hold the event loop.
  return streamedWorkbook(async (workbook, turn) => {
    workbook.creator = '督办助手';
    for (const kind of SHEET_KINDS) {
      const sheet = workbook.addWorksheet(SHEET_KIND_LABELS[kind], {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      const columns: readonly string[] = SHEET_COLUMNS[kind];
      sheet.columns = columns.map((header, index) => ({
        header,
        key: header,
        // A loop, not Math.max(...rows): a spread of 100,000 arguments overflows the stack.
        width: Math.min(
          50,
          tables[kind].reduce((widest, row) => Math.max(widest, 2 * [...(row[index] ?? '')].length), 12),
        ),
        style: { numFmt: '@' },
      }));
      const header = sheet.getRow(1);
      header.font = { bold: true };
      header.commit();
      for (const row of tables[kind]) {
        sheet.addRow(row).commit();
        await turn();
      }
      sheet.commit();
    }
  });
}
