// New-media account lifecycle filings (开设、变更、关停、注销 within 3 working days): reading the
// member's choices, the deadline, and the supervisor's confirmation that updates the directory.
import { memberText } from '../../messages/member-text.js';
import { In, type EntityManager } from 'typeorm';
import { AccountFiling, FILING_ACTION_LABELS, type FilingAction } from '../../entities/account-filing.js';
import {
  MEDIA_ACCOUNT_STATUS_LABELS,
  MEDIA_PLATFORM_LABELS,
  MediaAccount,
  type MediaAccountStatus,
  type MediaPlatform,
} from '../../entities/media-account.js';
import { isDuplicateKeyError } from '../../db/errors.js';
import { moveFromStatus } from '../../db/transitions.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { filingDeadline, isProvisional, type DeadlineResult } from '../calendar/deadlines.js';
import { formatDeadlineMarked } from '../calendar/deadline-text.js';
import { topUnitIndex } from '../directory/lookup.js';
import { unitNameOf } from '../shared/duty.js';
import { type Actor, type Effects } from '../shared/effects.js';
import type { PiiFindingSummary } from '../pii/report.js';
import { formatDate, type LocalDate } from '../calendar/time.js';

export const filingRef = (id: number): string => `F${id}`;

export const FILING_ACTIONS: FilingAction[] = ['open', 'change', 'close', 'cancel'];
export const MEDIA_PLATFORMS: MediaPlatform[] = ['wechat', 'weibo', 'toutiao', 'douyin', 'other'];

const ACTION_WORDS: Record<string, FilingAction> = {
  开设: 'open',
  开通: 'open',
  新开: 'open',
  新设: 'open',
  变更: 'change',
  更名: 'change',
  改名: 'change',
  关停: 'close',
  停用: 'close',
  注销: 'cancel',
};

const PLATFORM_WORDS: Record<string, MediaPlatform> = {
  微信公众号: 'wechat',
  微信: 'wechat',
  公众号: 'wechat',
  新浪微博: 'weibo',
  微博: 'weibo',
  今日头条: 'toutiao',
  头条: 'toutiao',
  头条号: 'toutiao',
  抖音: 'douyin',
  抖音号: 'douyin',
  其他: 'other',
  其它: 'other',
};

/** `1`–`4` (as listed) or the word: 开设/变更/关停/注销 and common synonyms. */
export function parseFilingAction(text: string): FilingAction | null {
  const trimmed = text.normalize('NFKC').trim();
  if (/^[1-4]$/.test(trimmed)) return FILING_ACTIONS[Number(trimmed) - 1]!;
  return ACTION_WORDS[trimmed] ?? null;
}

/** `1`–`5` (as listed) or the platform's name: 微信公众号/微信/公众号, 微博, 头条, 抖音, 其他. */
export function parsePlatform(text: string): MediaPlatform | null {
  const trimmed = text.normalize('NFKC').trim();
  if (/^[1-5]$/.test(trimmed)) return MEDIA_PLATFORMS[Number(trimmed) - 1]!;
  return PLATFORM_WORDS[trimmed] ?? null;
}

/** A platform word at the start of `text` (`抖音 淄博水利`), with the rest. */
export function leadingPlatform(text: string): { platform: MediaPlatform | null; rest: string } {
  const trimmed = text.trim();
  const index = trimmed.search(/\s/);
  if (index > 0) {
    const platform = parsePlatform(trimmed.slice(0, index));
    if (platform && !/^\d$/.test(trimmed.slice(0, index))) {
      return { platform, rest: trimmed.slice(index + 1).trim() };
    }
  }
  return { platform: null, rest: trimmed };
}

export const ACTION_MENU = FILING_ACTIONS.map((a, i) => `${i + 1}. ${FILING_ACTION_LABELS[a]}`).join('\n');
export const PLATFORM_MENU = MEDIA_PLATFORMS.map((p, i) => `${i + 1}. ${MEDIA_PLATFORM_LABELS[p]}`).join(
  '\n',
);

/** Account names: one line, 1–100 characters. */
export function validAccountName(text: string): string | null {
  const name = text.replace(/\s+/g, ' ').trim();
  if (name === '' || [...name].length > 100 || /[\r\n]/.test(text.trim())) return null;
  return name;
}

/** The accounts of a top-level unit (including its sub-units'), optionally on one platform. */
export async function unitAccounts(
  tx: EntityManager,
  topUnitId: number,
  platform?: MediaPlatform,
): Promise<MediaAccount[]> {
  const index = await topUnitIndex(tx);
  const unitIds = [...index].filter(([, top]) => top === topUnitId).map(([id]) => id);
  if (unitIds.length === 0) return [];
  return tx.getRepository(MediaAccount).find({
    where: { unitId: In(unitIds), ...(platform ? { platform } : {}) },
    order: { platform: 'ASC', id: 'ASC' },
  });
}

/** The status an account has after a confirmed filing of this action. */
export function statusAfter(action: FilingAction): MediaAccountStatus {
  return action === 'close' ? 'closed' : action === 'cancel' ? 'cancelled' : 'running';
}

/** Why an account cannot be the subject of this action (the views say it in words). */
export type ActionConflict =
  /** 关停 of an account not running (its status is given). */
  | { kind: 'not-running'; status: MediaAccountStatus }
  /** 注销 of an account already cancelled. */
  | { kind: 'cancelled' }
  /** 变更 of an account already cancelled. */
  | { kind: 'cancelled-change' };

/** Why an account cannot be the subject of this action (already closed, …), or null. */
export function actionConflict(action: FilingAction, account: MediaAccount): ActionConflict | null {
  if (action === 'close' && account.status !== 'running')
    return { kind: 'not-running', status: account.status };
  if (action === 'cancel' && account.status === 'cancelled') return { kind: 'cancelled' };
  if (action === 'change' && account.status === 'cancelled') return { kind: 'cancelled-change' };
  return null;
}

export interface FilingDraft {
  action: FilingAction;
  platform: MediaPlatform;
  accountName: string;
  previousName: string | null;
  mediaAccountId: number | null;
  unitId: number;
  topUnitId: number;
  changeDate: LocalDate;
  announcement: string | null;
}

export function filingDeadlineFields(
  calendar: WorkCalendar,
  changeDate: LocalDate,
): { result: DeadlineResult; deadline: Date; deadlineEstimated: boolean } {
  const result = filingDeadline(calendar, changeDate);
  return { result, deadline: result.deadline, deadlineEstimated: isProvisional(result) };
}

/** `开设 微信公众号“淄博水利”` / `变更 抖音“旧名”→“新名”` */
export function filingSubject(
  filing: Pick<AccountFiling, 'action' | 'platform' | 'accountName' | 'previousName'>,
): string {
  const name =
    filing.previousName && filing.previousName !== filing.accountName
      ? `“${memberText(filing.previousName)}”→“${memberText(filing.accountName)}”`
      : `“${memberText(filing.accountName)}”`;
  return `${FILING_ACTION_LABELS[filing.action]} ${MEDIA_PLATFORM_LABELS[filing.platform]}${name}`;
}

export async function submitFiling(
  effects: Effects,
  calendar: WorkCalendar,
  draft: FilingDraft,
  actor: Actor,
  accepted: PiiFindingSummary[],
): Promise<{ filing: AccountFiling; result: DeadlineResult }> {
  const { result, deadline, deadlineEstimated } = filingDeadlineFields(calendar, draft.changeDate);
  const repo = effects.tx.getRepository(AccountFiling);
  const filing = await repo.save(
    repo.create({
      ...draft,
      deadline,
      deadlineEstimated,
      status: 'submitted',
      submittedBy: actor.userid,
      submittedAt: effects.now,
      decidedBy: null,
      decidedAt: null,
      rejectReason: null,
      piiAccepted: accepted.length > 0 ? accepted : null,
    }),
  );
  await effects.audit({
    actor: actor.userid,
    action: 'filing.submit',
    target: filingRef(filing.id),
    detail: `${filingSubject(filing)}，变更日期 ${formatDate(draft.changeDate)}，期限 ${formatDeadlineMarked(deadline, deadlineEstimated)}`,
  });
  return { filing, result };
}

export type DecisionOutcome =
  | { kind: 'ok'; filing: AccountFiling; account: MediaAccount | null }
  | { kind: 'not-found' }
  | { kind: 'decided'; filing: AccountFiling }
  /** The account name is taken in the directory (by `unitName`'s account, when known). */
  | { kind: 'conflict'; filing: AccountFiling; unitName: string | null };

/**
 * A supervisor confirms the filing was made in the national system: the directory follows (a 开设
 * creates the account, 变更 renames it, 关停/注销 set its status; an account missing from the
 * directory is added). Refused, with nothing changed, when the name would collide.
 */
export async function confirmFiling(effects: Effects, id: number, actor: Actor): Promise<DecisionOutcome> {
  const { tx } = effects;
  const filing = await tx.getRepository(AccountFiling).findOneBy({ id });
  if (!filing) return { kind: 'not-found' };
  if (filing.status !== 'submitted') return { kind: 'decided', filing };
  const accounts = tx.getRepository(MediaAccount);
  const current = filing.mediaAccountId ? await accounts.findOneBy({ id: filing.mediaAccountId }) : null;
  const sameName = await accounts.findOneBy({ platform: filing.platform, name: filing.accountName });
  if (sameName && sameName.id !== current?.id) {
    return {
      kind: 'conflict',
      filing,
      unitName: await unitNameOf(tx, sameName.unitId),
    };
  }
  let account: MediaAccount;
  try {
    if (current) {
      current.name = filing.accountName;
      current.status = statusAfter(filing.action);
      account = await accounts.save(current);
    } else {
      account = await accounts.save(
        accounts.create({
          platform: filing.platform,
          name: filing.accountName,
          unitId: filing.unitId,
          status: statusAfter(filing.action),
          consolidationCandidate: false,
        }),
      );
    }
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return {
      kind: 'conflict',
      filing,
      unitName: null,
    };
  }
  const confirmed = await moveFromStatus(tx, AccountFiling, filing, 'submitted', {
    status: 'confirmed',
    decidedBy: actor.userid,
    decidedAt: effects.now,
    mediaAccountId: account.id,
  });
  if (!confirmed) throw new Error(`filing ${id} changed while being confirmed`);
  await effects.audit({
    actor: actor.userid,
    action: 'filing.confirm',
    target: filingRef(id),
    detail: `${filingSubject(filing)}；账号清单：${account.name}（${MEDIA_ACCOUNT_STATUS_LABELS[account.status]}）`,
  });
  return { kind: 'ok', filing, account };
}

export async function rejectFiling(
  effects: Effects,
  id: number,
  actor: Actor,
  reason: string,
): Promise<DecisionOutcome> {
  const filing = await effects.tx.getRepository(AccountFiling).findOneBy({ id });
  if (!filing) return { kind: 'not-found' };
  if (filing.status !== 'submitted') return { kind: 'decided', filing };
  const rejected = await moveFromStatus(effects.tx, AccountFiling, filing, 'submitted', {
    status: 'rejected',
    decidedBy: actor.userid,
    decidedAt: effects.now,
    rejectReason: reason,
  });
  if (!rejected) return { kind: 'decided', filing };
  await effects.audit({
    actor: actor.userid,
    action: 'filing.reject',
    target: filingRef(id),
    detail: `${filingSubject(filing)}；退回理由 ${[...reason].length} 字`,
  });
  return { kind: 'ok', filing, account: null };
}

/** Filings waiting for a supervisor, oldest deadline first; only the given units when asked. */
export async function pendingFilings(tx: EntityManager, topUnitIds?: number[]): Promise<AccountFiling[]> {
  if (topUnitIds && topUnitIds.length === 0) return [];
  return tx.getRepository(AccountFiling).find({
    where: { status: 'submitted', ...(topUnitIds ? { topUnitId: In(topUnitIds) } : {}) },
    order: { deadline: 'ASC', id: 'ASC' },
  });
}
