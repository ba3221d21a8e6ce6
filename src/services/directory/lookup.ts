// Who is who: lookups over units and people that every feature needs. Tasks, quotas and status
// belong to top-level units; a unit's liaisons include those of its sub-units.
import { In, type EntityManager } from 'typeorm';
import { MediaAccount, type MediaPlatform } from '../../entities/media-account.js';
import { Person, type Role } from '../../entities/person.js';
import { Unit, type UnitKind } from '../../entities/unit.js';
import { Website } from '../../entities/website.js';

export async function activeTopUnits(tx: EntityManager, kinds?: UnitKind[]): Promise<Unit[]> {
  const units = await tx.getRepository(Unit).find({ where: { active: true }, order: { id: 'ASC' } });
  return units.filter((unit) => unit.parentId === null && (!kinds || kinds.includes(unit.kind)));
}

/** Maps every unit id to its top-level unit id (following parents). */
export async function topUnitIndex(tx: EntityManager): Promise<Map<number, number>> {
  const units = await tx.getRepository(Unit).find({ select: { id: true, parentId: true } });
  const parent = new Map(units.map((unit) => [unit.id, unit.parentId]));
  const top = new Map<number, number>();
  for (const unit of units) {
    let current = unit.id;
    for (let depth = 0; depth < 10; depth++) {
      const next = parent.get(current);
      if (!next) break;
      current = next;
    }
    top.set(unit.id, current);
  }
  return top;
}

/** Active liaisons per top-level unit (including liaisons registered on its sub-units). */
export async function liaisonsByTopUnit(
  tx: EntityManager,
  topUnitIds?: number[],
): Promise<Map<number, Person[]>> {
  const index = await topUnitIndex(tx);
  const people = await tx
    .getRepository(Person)
    .find({ where: { role: 'liaison', active: true }, order: { id: 'ASC' } });
  const result = new Map<number, Person[]>();
  for (const person of people) {
    if (person.unitId === null) continue;
    const top = index.get(person.unitId);
    if (top === undefined || (topUnitIds && !topUnitIds.includes(top))) continue;
    result.set(top, [...(result.get(top) ?? []), person]);
  }
  return result;
}

/** After sending to units' liaisons: `以下单位暂无联络员，未能通知：博山区、高新区`. */
export function notToldText(unitNames: readonly string[]): string {
  return `以下单位暂无联络员，未能通知：${unitNames.join('、')}`;
}

/** Active supervisors (督办员) and admins: the people who receive review cards and digests. */
export async function supervisors(
  tx: EntityManager,
  roles: Role[] = ['supervisor', 'admin'],
): Promise<Person[]> {
  return tx.getRepository(Person).find({ where: { role: In(roles), active: true }, order: { id: 'ASC' } });
}

export const UNIT_GROUPS: Record<string, UnitKind[] | 'all'> = {
  全部区县: ['district'],
  全部功能区: ['zone'],
  全部市直部门: ['department'],
  全部单位: 'all',
};

export interface UnitResolution {
  units: Unit[];
  /** Names that matched nothing, with the closest unit names (the first few only). */
  unknown: { name: string; suggestions: string[] }[];
  /** Further names that matched nothing, beyond those listed: counted, not explained. */
  moreUnknown: number;
}

/**
 * Unknown names explained one by one (with suggestions), at most: a pasted list of thousands of
 * wrong names gets one short answer, not a hundred messages, and no search per name.
 */
export const MAX_UNKNOWN_LISTED = 10;

/**
 * Reads a list of unit names as a supervisor types it (separated by 、，, ; or spaces, or a group
 * such as 全部区县) into top-level units, reporting unknown names with the closest matches.
 */
export async function resolveUnitNames(tx: EntityManager, text: string): Promise<UnitResolution> {
  const tops = await activeTopUnits(tx);
  const names = [
    ...new Set(
      text
        .split(/[、，,；;\s]+/)
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  const picked = new Map<number, Unit>();
  const unknown: UnitResolution['unknown'] = [];
  let moreUnknown = 0;
  for (const name of names) {
    const group = UNIT_GROUPS[name];
    if (group) {
      for (const unit of tops) if (group === 'all' || group.includes(unit.kind)) picked.set(unit.id, unit);
      continue;
    }
    const exact = tops.find((unit) => unit.name === name);
    const partial = exact
      ? [exact]
      : tops.filter((unit) => unit.name.includes(name) || name.includes(unit.name));
    if (partial.length === 1) {
      picked.set(partial[0]!.id, partial[0]!);
      continue;
    }
    if (unknown.length >= MAX_UNKNOWN_LISTED) {
      moreUnknown++;
      continue;
    }
    unknown.push({
      name,
      suggestions: closestNames(
        name,
        tops.map((unit) => unit.name),
      ),
    });
  }
  return { units: [...picked.values()], unknown, moreUnknown };
}

/** `没有找到单位“高青”。您是否要找 高青县、高青县司法局？` */
export function unknownUnitText(name: string, suggestions: readonly string[]): string {
  const hint = suggestions.length > 0 ? `您是否要找 ${suggestions.join('、')}？` : '';
  return `没有找到单位“${name}”。${hint}`;
}

/**
 * Several names that matched no unit, one a line with the closest matches (the first few), a count
 * of the rest, then what to do.
 */
export function unknownUnitsText(
  resolution: Pick<UnitResolution, 'unknown' | 'moreUnknown'>,
  retry: string,
): string {
  const lines = resolution.unknown.map(
    ({ name, suggestions }) =>
      `“${[...name].slice(0, 20).join('')}”${suggestions.length > 0 ? `：您是否要找 ${suggestions.join('、')}？` : '：没有相近的单位。'}`,
  );
  if (resolution.moreUnknown > 0) lines.push(`另有 ${resolution.moreUnknown} 个名称也没有找到。`);
  return `没有找到这些单位：\n${lines.join('\n')}\n${retry}`;
}

/** Up to three names closest to `name` (shared characters, then length difference). */
export function closestNames(name: string, candidates: string[], limit = 3): string[] {
  const chars = new Set(name);
  return candidates
    .map((candidate) => ({
      candidate,
      shared: [...new Set(candidate)].filter((char) => chars.has(char)).length,
      diff: Math.abs(candidate.length - name.length),
    }))
    .filter((entry) => entry.shared > 0)
    .sort((a, b) => b.shared - a.shared || a.diff - b.diff)
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

// ---------------------------------------------------------------------------------------------
// Units by name, holdings and masking (directory management, 我的信息, import and export)

/** Active units (any level) by name: the exact name, else the only one containing it. */
export async function findUnitByName(
  tx: EntityManager,
  name: string,
): Promise<{ unit: Unit } | { unit: null; suggestions: string[] }> {
  const units = await tx.getRepository(Unit).find({ where: { active: true }, order: { id: 'ASC' } });
  const wanted = name.normalize('NFKC').trim();
  const exact = units.find((unit) => unit.name === wanted);
  if (exact) return { unit: exact };
  const partial = units.filter((unit) => unit.name.includes(wanted));
  if (partial.length === 1) return { unit: partial[0]! };
  // Abbreviations keep the characters in order: 高青司法 → 高青县司法局.
  const abbreviated = partial.length === 0 ? units.filter((unit) => isSubsequence(wanted, unit.name)) : [];
  if (abbreviated.length === 1) return { unit: abbreviated[0]! };
  const narrowed = partial.length > 1 ? partial : abbreviated;
  const candidates = (narrowed.length > 1 ? narrowed : units).map((unit) => unit.name);
  return { unit: null, suggestions: closestNames(wanted, candidates) };
}

function isSubsequence(short: string, long: string): boolean {
  let at = 0;
  for (const char of long) if (char === short[at]) at++;
  return short.length > 0 && at === short.length;
}

/** The top-level unit of a unit (itself when it has no parent). */
export async function topUnitOf(tx: EntityManager, unitId: number): Promise<Unit | null> {
  const top = (await topUnitIndex(tx)).get(unitId);
  return top === undefined ? null : tx.getRepository(Unit).findOneBy({ id: top });
}

/** A top-level unit and all units under it. */
export async function unitIdsUnder(tx: EntityManager, topUnitId: number): Promise<number[]> {
  const index = await topUnitIndex(tx);
  return [...index].filter(([, top]) => top === topUnitId).map(([id]) => id);
}

export interface Holdings {
  /** Websites that are up (运行). */
  websites: number;
  /** Running accounts by platform. */
  accounts: Record<MediaPlatform, number>;
  /** Accounts closed (已关停) or cancelled (已注销): kept for the record, not counted above. */
  inactiveAccounts: number;
}

function emptyHoldings(): Holdings {
  return {
    websites: 0,
    accounts: { wechat: 0, weibo: 0, toutiao: 0, douyin: 0, other: 0 },
    inactiveAccounts: 0,
  };
}

/** Websites and accounts owned by the given units (all units when omitted), counted in SQL. */
export async function holdings(tx: EntityManager, unitIds?: number[]): Promise<Holdings> {
  const result = emptyHoldings();
  if (unitIds && unitIds.length === 0) return result;
  const sites = tx
    .getRepository(Website)
    .createQueryBuilder('w')
    .select('COUNT(*)', 'count')
    .where('w.status = :status', { status: 'active' });
  const accounts = tx
    .getRepository(MediaAccount)
    .createQueryBuilder('a')
    .select('a.platform', 'platform')
    .addSelect('a.status', 'status')
    .addSelect('COUNT(*)', 'count')
    .groupBy('a.platform')
    .addGroupBy('a.status');
  if (unitIds) {
    sites.andWhere('w.unit_id IN (:...unitIds)', { unitIds });
    accounts.where('a.unit_id IN (:...unitIds)', { unitIds });
  }
  const siteRow = await sites.getRawOne<{ count: string | number }>();
  result.websites = Number(siteRow?.count ?? 0);
  const rows = await accounts.getRawMany<{
    platform: MediaPlatform;
    status: string;
    count: string | number;
  }>();
  for (const row of rows) {
    if (row.status === 'running') result.accounts[row.platform] += Number(row.count);
    else result.inactiveAccounts += Number(row.count);
  }
  return result;
}

export function totalAccounts(holding: Holdings): number {
  return Object.values(holding.accounts).reduce((sum, count) => sum + count, 0);
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: enough to recognise in an audit row, not to identify. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** 13800000001 → 138****0001; null → 无. */
export function maskMobile(mobile: string | null): string {
  if (!mobile) return '无';
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : '***';
}
