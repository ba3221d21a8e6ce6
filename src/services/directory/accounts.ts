// 账号清单: the directory's new-media accounts by unit and platform, and the consolidation
// candidates (标记整合) supervisors mark among low-activity accounts.
import { memberText } from '../../messages/member-text.js';
import type { EntityManager } from 'typeorm';
import {
  MEDIA_ACCOUNT_STATUS_LABELS,
  MEDIA_PLATFORM_LABELS,
  MediaAccount,
  type MediaPlatform,
} from '../../entities/media-account.js';
import type { Unit } from '../../entities/unit.js';
import { topUnitIndex } from './lookup.js';
import type { Actor, Effects } from '../shared/effects.js';
import { MEDIA_PLATFORMS } from '../filings/store.js';

export interface AccountWithUnit {
  account: MediaAccount;
  topUnitId: number;
}

/** Every account with its top-level unit (one query each for accounts and units). */
export async function accountsWithUnits(tx: EntityManager): Promise<AccountWithUnit[]> {
  const [accounts, index] = await Promise.all([
    tx.getRepository(MediaAccount).find({ order: { platform: 'ASC', id: 'ASC' } }),
    topUnitIndex(tx),
  ]);
  return accounts.map((account) => ({ account, topUnitId: index.get(account.unitId) ?? account.unitId }));
}

/** Lines of one unit's accounts grouped by platform: `**微信公众号**` then `> 淄博水利 · 运行`. */
export function accountLinesByPlatform(accounts: readonly MediaAccount[]): string[] {
  const lines: string[] = [];
  for (const platform of MEDIA_PLATFORMS) {
    const onPlatform = accounts.filter((account) => account.platform === platform);
    if (onPlatform.length === 0) continue;
    lines.push(`**${MEDIA_PLATFORM_LABELS[platform]}**（${onPlatform.length}）`);
    for (const account of onPlatform) {
      const mark = account.consolidationCandidate ? ' · <font color="warning">拟整合</font>' : '';
      const status =
        account.status === 'running'
          ? MEDIA_ACCOUNT_STATUS_LABELS.running
          : `<font color="comment">${MEDIA_ACCOUNT_STATUS_LABELS[account.status]}</font>`;
      lines.push(`> ${memberText(account.name)} · ${status}${mark}`);
    }
  }
  return lines;
}

export interface UnitAccountCounts {
  unit: Unit;
  running: number;
  closed: number;
  cancelled: number;
  candidates: number;
}

/** Per top-level unit: accounts by status and marked candidates (units without accounts left out). */
export function countByUnit(
  entries: readonly AccountWithUnit[],
  units: readonly Unit[],
): UnitAccountCounts[] {
  const counts = new Map<number, UnitAccountCounts>();
  const unitById = new Map(units.map((unit) => [unit.id, unit]));
  for (const { account, topUnitId } of entries) {
    const unit = unitById.get(topUnitId);
    if (!unit) continue;
    const row = counts.get(topUnitId) ?? { unit, running: 0, closed: 0, cancelled: 0, candidates: 0 };
    row[account.status]++;
    if (account.consolidationCandidate) row.candidates++;
    counts.set(topUnitId, row);
  }
  return [...counts.values()].sort((a, b) => a.unit.id - b.unit.id);
}

export type MarkOutcome =
  | { kind: 'ok'; account: MediaAccount; changed: boolean }
  | { kind: 'none' }
  | { kind: 'many'; accounts: MediaAccount[] };

/** 标记整合 / 取消整合 `[平台] <账号名>`: sets the mark on exactly one account, audited. */
export async function setConsolidationCandidate(
  effects: Effects,
  actor: Actor,
  name: string,
  platform: MediaPlatform | null,
  candidate: boolean,
): Promise<MarkOutcome> {
  const repo = effects.tx.getRepository(MediaAccount);
  const found = await repo.find({ where: { name, ...(platform ? { platform } : {}) }, order: { id: 'ASC' } });
  if (found.length === 0) return { kind: 'none' };
  if (found.length > 1) return { kind: 'many', accounts: found };
  const account = found[0]!;
  if (account.consolidationCandidate === candidate) return { kind: 'ok', account, changed: false };
  account.consolidationCandidate = candidate;
  await repo.update({ id: account.id }, { consolidationCandidate: candidate });
  await effects.audit({
    actor: actor.userid,
    action: candidate ? 'media.mark-consolidation' : 'media.unmark-consolidation',
    target: `media:${account.id}`,
    detail: `${MEDIA_PLATFORM_LABELS[account.platform]}“${account.name}”`,
  });
  return { kind: 'ok', account, changed: true };
}
