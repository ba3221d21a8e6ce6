// Review of guestbook answers before a message is closed (issue: 答复质量不高). A setting, city-wide
// or per unit (the unit's wins), sends `留言办结` answers to the supervisors; 通过 closes the message,
// 退回 reopens it with a reason. The clock does not stop: the message stays 待办结 while the answer
// waits, and it counts as answered on time only if the answer that was approved was submitted
// before the deadline (`answeredAt` keeps that submission instant; see rules.answeredOnTime).
import { In, IsNull, type EntityManager } from 'typeorm';
import { GuestbookMessage } from '../../entities/guestbook-message.js';
import { GuestbookReviewSetting } from '../../entities/guestbook-review-setting.js';
import { Unit } from '../../entities/unit.js';
import { isSupervisorRole } from '../shared/duty.js';
import type { Actor, Effects } from '../shared/effects.js';
import type { PiiFindingSummary } from '../pii/report.js';
import { answeredOnTime, reviewApplies, scopeKey, type ReviewScope } from './rules.js';
import { guestbookRef } from './store.js';
import {
  NOT_SUPERVISOR_DETAIL,
  reviewSettingDetail,
  reviewedDetail,
  submittedForReviewDetail,
} from './views.js';

/** Whether answers of this unit's messages go to review first. */
export async function reviewRequired(tx: EntityManager, topUnitId: number): Promise<boolean> {
  const rows = await tx
    .getRepository(GuestbookReviewSetting)
    .findBy({ scopeKey: In([scopeKey({ kind: 'city' }), scopeKey({ kind: 'unit', topUnitId })]) });
  const city = rows.find((row) => row.topUnitId === null)?.enabled;
  const unit = rows.find((row) => row.topUnitId === topUnitId)?.enabled;
  return reviewApplies(city, unit);
}

/** 留言审核 开启|关闭 [单位|全市]: stores the setting (one row per scope) and audits it. */
export async function setReview(
  effects: Effects,
  actor: Actor,
  scope: ReviewScope,
  enabled: boolean,
): Promise<{ kind: 'ok' } | { kind: 'forbidden' }> {
  if (!isSupervisorRole(actor.role)) return { kind: 'forbidden' };
  const repo = effects.tx.getRepository(GuestbookReviewSetting);
  const key = scopeKey(scope);
  await repo.upsert(
    {
      scopeKey: key,
      topUnitId: scope.kind === 'unit' ? scope.topUnitId : null,
      enabled,
      setBy: actor.userid,
    },
    ['scopeKey'],
  );
  await effects.audit({
    actor: actor.userid,
    action: 'guestbook.review.setting',
    target: key,
    detail: reviewSettingDetail(enabled),
  });
  return { kind: 'ok' };
}

export interface ReviewSettings {
  city: boolean;
  units: { unit: Unit; enabled: boolean }[];
}

export async function reviewSettings(tx: EntityManager): Promise<ReviewSettings> {
  const rows = await tx.getRepository(GuestbookReviewSetting).find({ order: { id: 'ASC' } });
  const unitIds = rows.map((row) => row.topUnitId).filter((id): id is number => id !== null);
  const units = unitIds.length ? await tx.getRepository(Unit).findBy({ id: In(unitIds) }) : [];
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  return {
    city: rows.find((row) => row.topUnitId === null)?.enabled ?? false,
    units: rows
      .filter((row) => row.topUnitId !== null && byId.has(row.topUnitId))
      .map((row) => ({ unit: byId.get(row.topUnitId!)!, enabled: row.enabled })),
  };
}

/**
 * The unit's answer goes to review: kept on the message with its submission instant, the message
 * still 待办结. Conditional on the message being open with no answer waiting (two members at once).
 */
export async function submitForReview(
  effects: Effects,
  message: GuestbookMessage,
  answer: string,
  actor: Actor,
  accepted: PiiFindingSummary[],
): Promise<boolean> {
  const changes = {
    answerSummary: answer,
    answeredBy: actor.userid,
    answeredAt: effects.now,
    answerPii: accepted.length > 0 ? accepted : null,
    reviewStatus: 'pending' as const,
    returnReason: null,
  };
  const updated = await effects.tx
    .getRepository(GuestbookMessage)
    .update({ id: message.id, status: 'open', reviewStatus: IsNull() }, changes);
  if ((updated.affected ?? 0) === 0) return false;
  Object.assign(message, changes);
  const late = !answeredOnTime(effects.now, message.deadline);
  await effects.audit({
    actor: actor.userid,
    action: 'guestbook.submit',
    target: guestbookRef(message.id),
    detail: submittedForReviewDetail(late, [...answer].length),
  });
  return true;
}

export type ReviewOutcome =
  | { kind: 'ok'; message: GuestbookMessage; onTime: boolean; submittedBy: string }
  | { kind: 'not-found' }
  | { kind: 'forbidden' }
  /** No answer waits (approved, sent back or closed meanwhile). */
  | { kind: 'not-pending'; message: GuestbookMessage };

/** 通过 closes the message (on time if the answer was submitted in time); 退回 reopens it. */
export async function reviewAnswer(
  effects: Effects,
  id: number,
  actor: Actor,
  decision: 'approve' | 'return',
  reason: string | null,
): Promise<ReviewOutcome> {
  const repo = effects.tx.getRepository(GuestbookMessage);
  const message = await repo.findOneBy({ id });
  if (!message) return { kind: 'not-found' };
  if (!isSupervisorRole(actor.role)) {
    await effects.audit({
      actor: actor.userid,
      action: decision === 'approve' ? 'guestbook.approve' : 'guestbook.return',
      target: guestbookRef(id),
      result: 'denied',
      detail: NOT_SUPERVISOR_DETAIL,
    });
    return { kind: 'forbidden' };
  }
  if (message.status !== 'open' || message.reviewStatus !== 'pending')
    return { kind: 'not-pending', message };
  const changes =
    decision === 'approve'
      ? {
          status: 'answered' as const,
          reviewStatus: 'approved' as const,
          reviewedBy: actor.userid,
          reviewedAt: effects.now,
        }
      : {
          reviewStatus: null,
          reviewedBy: actor.userid,
          reviewedAt: effects.now,
          returnReason: reason,
          answerSummary: null,
          answeredBy: null,
          answeredAt: null,
          answerPii: null,
        };
  const updated = await repo.update({ id, status: 'open', reviewStatus: 'pending' }, changes);
  if ((updated.affected ?? 0) === 0) return { kind: 'not-pending', message };
  const submittedAt = message.answeredAt!;
  const submittedBy = message.answeredBy ?? actor.userid;
  Object.assign(message, changes);
  const onTime = answeredOnTime(submittedAt, message.deadline);
  await effects.audit({
    actor: actor.userid,
    action: decision === 'approve' ? 'guestbook.approve' : 'guestbook.return',
    target: guestbookRef(id),
    detail: reviewedDetail(decision, onTime),
  });
  return { kind: 'ok', message, onTime, submittedBy };
}
