// A call's life after it opens: 结束案例征集 (after a preview of the shortfall), 延长征集 and
// 重新开放征集. Each returns an outcome; the handler says it and tells the call's liaisons, whose
// per-unit standing comes with the outcome (`audience`).
import { In } from 'typeorm';
import { CaseCall } from '../../entities/case-call.js';
import type { Person } from '../../entities/person.js';
import type { Unit } from '../../entities/unit.js';
import { liaisonsByTopUnit } from '../directory/lookup.js';
import type { Actor, Effects } from '../shared/effects.js';
import { formatIso } from '../calendar/time.js';
import { callRef, type UnitProgress } from './rules.js';
import { callProgress } from './store.js';
import { CASE_AUDIT_DETAILS } from './views.js';

/** A new deadline as the date reader gives it. */
export interface CallDeadline {
  deadline: Date;
  estimated: boolean;
  workingDays: number | null;
  countedFrom: Date | null;
}

/** Who hears about a change to a call: each unit that owes cases or sent some, with its liaisons. */
export interface CallAudience {
  unit: Unit;
  row: UnitProgress;
  liaisons: Person[];
}

async function audienceOf(effects: Effects, call: CaseCall): Promise<CallAudience[]> {
  const rows = await callProgress(effects.tx, call);
  const liaisons = await liaisonsByTopUnit(
    effects.tx,
    rows.map((row) => row.unit.id),
  );
  return rows.map((row) => ({ unit: row.unit, row, liaisons: liaisons.get(row.unit.id) ?? [] }));
}

export type CloseOutcome =
  | { kind: 'closed'; call: CaseCall; rows: UnitProgress[]; audience: CallAudience[] }
  | { kind: 'already-closed'; call: CaseCall }
  | { kind: 'missing'; callId: number };

/**
 * Closes a call (the 确认 of 结束案例征集). Only an open call closes: the row is updated only
 * while it is still open, so a second 确认 or another supervisor's close changes nothing.
 */
export async function closeCaseCall(effects: Effects, callId: number, actor: Actor): Promise<CloseOutcome> {
  const repo = effects.tx.getRepository(CaseCall);
  const changed = await repo.update(
    { id: callId, status: 'open' },
    { status: 'closed', closedAt: effects.now, closedBy: actor.userid },
  );
  const call = await repo.findOneBy({ id: callId });
  if (!call) return { kind: 'missing', callId };
  if (!changed.affected) return { kind: 'already-closed', call };
  const audience = await audienceOf(effects, call);
  const owing = audience.filter((entry) => entry.row.quota > 0);
  const short = owing.filter((entry) => entry.row.short > 0);
  await effects.audit({
    actor: actor.userid,
    action: 'case-call.close',
    target: callRef(call.id),
    detail: CASE_AUDIT_DETAILS.closed(owing.length - short.length, owing.length),
  });
  return { kind: 'closed', call, rows: audience.map((entry) => entry.row), audience };
}

export type DeadlineOutcome =
  | { kind: 'extended' | 'reopened'; call: CaseCall; previous: Date; audience: CallAudience[] }
  /** 延长 to a day not after the current deadline. */
  | { kind: 'not-later'; call: CaseCall }
  /** 重新开放 of a call whose deadline has passed, without a new one. */
  | { kind: 'needs-deadline'; call: CaseCall }
  | { kind: 'past'; call: CaseCall }
  | { kind: 'closed'; call: CaseCall }
  | { kind: 'open'; call: CaseCall }
  | { kind: 'missing'; callId: number };

async function setDeadline(
  effects: Effects,
  call: CaseCall,
  to: CallDeadline | null,
  reopen: boolean,
): Promise<void> {
  const change: Partial<CaseCall> = reopen ? { status: 'open', closedAt: null, closedBy: null } : {};
  if (to) {
    Object.assign(change, {
      deadline: to.deadline,
      deadlineEstimated: to.estimated,
      deadlineWorkingDays: to.workingDays,
      deadlineCountedFrom: to.countedFrom,
    });
  }
  await effects.tx.getRepository(CaseCall).update({ id: call.id }, change);
  Object.assign(call, change);
}

/** 延长征集 征集N <日期>: an open call gets a later deadline. */
export async function extendCaseCall(
  effects: Effects,
  callId: number,
  to: CallDeadline,
  actor: Actor,
): Promise<DeadlineOutcome> {
  const call = await effects.tx.getRepository(CaseCall).findOneBy({ id: callId });
  if (!call) return { kind: 'missing', callId };
  if (call.status !== 'open') return { kind: 'closed', call };
  if (to.deadline.getTime() <= effects.now.getTime()) return { kind: 'past', call };
  if (to.deadline.getTime() <= call.deadline.getTime()) return { kind: 'not-later', call };
  const previous = call.deadline;
  await setDeadline(effects, call, to, false);
  await effects.audit({
    actor: actor.userid,
    action: 'case-call.extend',
    target: callRef(call.id),
    detail: CASE_AUDIT_DETAILS.extended(formatIso(previous), formatIso(call.deadline)),
  });
  return { kind: 'extended', call, previous, audience: await audienceOf(effects, call) };
}

/**
 * 重新开放征集 征集N [日期]: a closed call takes cases again; a new deadline is needed when the old
 * one has passed (and may be given anyway).
 */
export async function reopenCaseCall(
  effects: Effects,
  callId: number,
  to: CallDeadline | null,
  actor: Actor,
): Promise<DeadlineOutcome> {
  const call = await effects.tx.getRepository(CaseCall).findOneBy({ id: callId });
  if (!call) return { kind: 'missing', callId };
  if (call.status === 'open') return { kind: 'open', call };
  if (to && to.deadline.getTime() <= effects.now.getTime()) return { kind: 'past', call };
  if (!to && call.deadline.getTime() <= effects.now.getTime()) return { kind: 'needs-deadline', call };
  const previous = call.deadline;
  await setDeadline(effects, call, to, true);
  await effects.audit({
    actor: actor.userid,
    action: 'case-call.reopen',
    target: callRef(call.id),
    detail: CASE_AUDIT_DETAILS.reopened(formatIso(call.deadline)),
  });
  return { kind: 'reopened', call, previous, audience: await audienceOf(effects, call) };
}

/** Calls by id (for choices kept in a dialog). */
export async function callsByIds(effects: Pick<Effects, 'tx'>, ids: number[]): Promise<CaseCall[]> {
  if (ids.length === 0) return [];
  const calls = await effects.tx.getRepository(CaseCall).findBy({ id: In(ids) });
  return ids.flatMap((id) => calls.filter((call) => call.id === id));
}
