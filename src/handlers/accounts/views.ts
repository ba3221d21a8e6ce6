// Every word of 账号清单 and 标记整合 / 取消整合.
import { memberText } from '../../messages/member-text.js';
import type { AccountFiling } from '../../entities/account-filing.js';
import { MEDIA_PLATFORM_LABELS, type MediaAccount } from '../../entities/media-account.js';
import type { Unit } from '../../entities/unit.js';
import { filingRef, filingSubject } from '../../services/filings/store.js';

export const NO_ACCOUNTS = '账号清单中暂无账号。';
export const ONE_UNIT_ONLY = '请只写一个单位名称。';

/** A unit's accounts (lines by platform from the directory) and its filings waiting. */
export function unitDetail(
  unit: Unit,
  count: number,
  accountLines: string[],
  pending: AccountFiling[],
): string {
  const lines = [`**${memberText(unit.name)} 政务新媒体账号（${count} 个）**`];
  if (count === 0) lines.push(NO_ACCOUNTS);
  lines.push(...accountLines);
  if (pending.length > 0) {
    lines.push('', '**待确认的备案**');
    for (const filing of pending) lines.push(`> ${filingRef(filing.id)} ${filingSubject(filing)}`);
  }
  return lines.join('\n');
}

export interface UnitCounts {
  unit: Unit;
  running: number;
  closed: number;
  cancelled: number;
  candidates: number;
}

/** Every unit's counts for supervisors, and the accounts marked for consolidation. */
export function overview(
  total: number,
  counts: UnitCounts[],
  candidates: { account: MediaAccount; unitName: string }[],
): string {
  const lines = [`**政务新媒体账号清单（全部单位，${total} 个）**`];
  if (counts.length === 0) lines.push(NO_ACCOUNTS);
  for (const row of counts) {
    const parts = [`运行 ${row.running}`];
    if (row.closed > 0) parts.push(`已关停 ${row.closed}`);
    if (row.cancelled > 0) parts.push(`已注销 ${row.cancelled}`);
    if (row.candidates > 0) parts.push(`<font color="warning">拟整合 ${row.candidates}</font>`);
    lines.push(`> ${memberText(row.unit.name)}：${parts.join(' · ')}`);
  }
  if (candidates.length > 0) {
    lines.push('', `**拟整合账号（${candidates.length} 个）**`);
    for (const { account, unitName } of candidates) {
      lines.push(
        `> ${memberText(unitName)} · ${MEDIA_PLATFORM_LABELS[account.platform]}“${memberText(account.name)}”`,
      );
    }
  }
  lines.push('', '<font color="comment">单位明细：账号清单 单位名称；标记：标记整合 [平台] 账号名称</font>');
  return lines.join('\n');
}

export function noSuchAccount(name: string): string {
  return `账号清单中没有名为“${memberText(name)}”的账号。`;
}

export function severalAccounts(name: string, accounts: MediaAccount[], command: string): string {
  const platforms = accounts.map((account) => MEDIA_PLATFORM_LABELS[account.platform]).join('、');
  return `有多个名为“${memberText(name)}”的账号（${platforms}），请注明平台，如：${command} 抖音 ${memberText(name)}`;
}

export function marked(account: MediaAccount, candidate: boolean, changed: boolean): string {
  const label = `${MEDIA_PLATFORM_LABELS[account.platform]}“${memberText(account.name)}”`;
  if (!changed) return candidate ? `${label}已是拟整合账号。` : `${label}未标记为拟整合。`;
  return candidate ? `已将${label}标记为拟整合。` : `已取消${label}的拟整合标记。`;
}
