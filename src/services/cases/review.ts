// Reviewing cases: 采纳 / 退回 (typed or clicked on a card), and the review cards themselves.
//
// Review cards go out from a job, not from the submission: every minute the cases submitted since
// the last run that no supervisor has been shown yet (review_card_at is null) are gathered per
// call. One case becomes a card with 采纳/退回; several (a unit sending its five cases one after the
// other, or units answering a reminder together) become one digest card for the call, whose
// 逐个审核 button brings the single cards. A case is marked when its card is queued, in the same
// transaction, so a card goes out once whatever the number of instances.
import { In, IsNull, MoreThan } from 'typeorm';
import { CaseCall } from '../../entities/case-call.js';
import type { Person } from '../../entities/person.js';
import { TypicalCase } from '../../entities/typical-case.js';
import { Unit } from '../../entities/unit.js';
import { liaisonsByTopUnit } from '../directory/lookup.js';
import type { Actor, Effects } from '../shared/effects.js';
import { caseRef, type ReviewDecision } from './rules.js';
import { CASE_AUDIT_DETAILS } from './views.js';
import { channelLabel, channelNames, findCase, quotaOf, reviewCase, unitCounted } from './store.js';

export type ReviewOutcome =
  | {
      kind: 'reviewed';
      decision: ReviewDecision;
      kase: TypicalCase;
      call: CaseCall | null;
      unit: Unit | null;
      liaisons: Person[];
      counted: number;
      quota: number;
    }
  /** Already in that state (a second click, the same command twice). */
  | { kind: 'unchanged'; kase: TypicalCase }
  | { kind: 'missing'; caseId: number; withdrawn: boolean };

/** 采纳 or 退回 (with its reason) a case, auditing it; the unit's liaisons come with the outcome. */
export async function reviewCaseAs(
  effects: Effects,
  caseId: number,
  review: { decision: ReviewDecision; reason: string },
  actor: Actor,
): Promise<ReviewOutcome> {
  const kase = await findCase(effects.tx, caseId);
  if (!kase || kase.status === 'withdrawn') {
    return { kind: 'missing', caseId, withdrawn: Boolean(kase) };
  }
  const target = review.decision === 'accept' ? 'accepted' : 'returned';
  if (kase.status === target && (target === 'accepted' || kase.returnReason === review.reason)) {
    return { kind: 'unchanged', kase };
  }
  await reviewCase(effects.tx, kase, review, actor.userid, effects.now);
  const ref = caseRef(kase.id);
  await effects.audit({
    actor: actor.userid,
    action: review.decision === 'accept' ? 'case.accept' : 'case.return',
    target: ref,
    detail: review.decision === 'return' ? CASE_AUDIT_DETAILS.returned(review.reason) : undefined,
  });
  const unit = await effects.tx.getRepository(Unit).findOneBy({ id: kase.topUnitId });
  const call = await effects.tx.getRepository(CaseCall).findOneBy({ id: kase.callId });
  const liaisons = (await liaisonsByTopUnit(effects.tx, [kase.topUnitId])).get(kase.topUnitId) ?? [];
  const counted = await unitCounted(effects.tx, kase.callId, kase.topUnitId);
  const quota = unit && call ? quotaOf(call, unit.kind) : 0;
  return { kind: 'reviewed', decision: review.decision, kase, call, unit, liaisons, counted, quota };
}

/** What a review card shows of a case. */
export interface CaseCardItem {
  kase: TypicalCase;
  unitName: string;
  channel: string;
}

export async function caseCardItems(
  effects: Pick<Effects, 'tx'>,
  cases: readonly TypicalCase[],
): Promise<CaseCardItem[]> {
  const unitIds = [...new Set(cases.map((kase) => kase.topUnitId))];
  const units = unitIds.length ? await effects.tx.getRepository(Unit).findBy({ id: In(unitIds) }) : [];
  const names = await channelNames(effects.tx, cases);
  return cases.map((kase) => ({
    kase,
    unitName: units.find((unit) => unit.id === kase.topUnitId)?.name ?? '',
    channel: channelLabel(kase, names),
  }));
}

/** Cases waiting for their review card, per call (oldest first). */
export interface ReviewBatch {
  call: CaseCall;
  items: CaseCardItem[];
}

/** Cards are only sent for cases submitted this recently (older ones predate review cards). */
export const REVIEW_CARD_HORIZON_MS = 24 * 3600_000;

/**
 * The cases submitted and not yet shown to supervisors, grouped per call, marked as shown: the
 * caller queues the cards in the same transaction.
 */
export async function takeReviewBatches(effects: Pick<Effects, 'tx' | 'now'>): Promise<ReviewBatch[]> {
  const repo = effects.tx.getRepository(TypicalCase);
  const cases = await repo.find({
    where: {
      status: 'submitted',
      reviewCardAt: IsNull(),
      submittedAt: MoreThan(new Date(effects.now.getTime() - REVIEW_CARD_HORIZON_MS)),
    },
    order: { id: 'ASC' },
  });
  if (cases.length === 0) return [];
  // Only the rows this run marks are sent: another instance's run takes none of them again.
  const taken: TypicalCase[] = [];
  for (const kase of cases) {
    const marked = await repo.update({ id: kase.id, reviewCardAt: IsNull() }, { reviewCardAt: effects.now });
    if (marked.affected) taken.push(kase);
  }
  const callIds = [...new Set(taken.map((kase) => kase.callId))];
  const calls = callIds.length ? await effects.tx.getRepository(CaseCall).findBy({ id: In(callIds) }) : [];
  const items = await caseCardItems(effects, taken);
  return calls
    .sort((a, b) => a.id - b.id)
    .map((call) => ({ call, items: items.filter((item) => item.kase.callId === call.id) }));
}

/** The cases of a digest still waiting for review (the 逐个审核 button). */
export async function awaitingReview(effects: Pick<Effects, 'tx'>, ids: number[]): Promise<CaseCardItem[]> {
  if (ids.length === 0) return [];
  const cases = await effects.tx
    .getRepository(TypicalCase)
    .find({ where: { id: In(ids), status: 'submitted' }, order: { id: 'ASC' } });
  return caseCardItems(effects, cases);
}
