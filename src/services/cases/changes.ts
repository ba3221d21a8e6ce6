// A liaison's changes to the unit's cases: submit, revise (修改案例) and withdraw (撤回案例), each
// `(effects, …, actor)` returning an outcome; refusals are audited whatever their reason (another
// unit's case above all: it reads as missing to the asker, but the audit says whose it was).
import type { CaseCall } from '../../entities/case-call.js';
import type { TypicalCase } from '../../entities/typical-case.js';
import { Unit } from '../../entities/unit.js';
import type { PiiFindingSummary } from '../pii/report.js';
import type { Actor, Effects } from '../shared/effects.js';
import { callRef, caseRef, type ChangeableCase } from './rules.js';
import {
  CASE_CHANGE_REFUSAL_LABELS,
  changeableCase,
  createCase,
  quotaOf,
  reviseCaseText,
  unitCounted,
  withdrawCase,
  type CaseDraft,
} from './store.js';
import { CASE_AUDIT_DETAILS, NO_UNIT } from './views.js';

/** The unit's standing after a change: counted cases against its quota. */
export interface UnitStanding {
  counted: number;
  quota: number;
}

async function standing(effects: Effects, call: CaseCall, unit: Unit): Promise<UnitStanding> {
  return { counted: await unitCounted(effects.tx, call.id, unit.id), quota: quotaOf(call, unit.kind) };
}

async function unitName(effects: Effects, unitId: number | null): Promise<string> {
  if (unitId === null) return NO_UNIT;
  return (await effects.tx.getRepository(Unit).findOneBy({ id: unitId }))?.name ?? NO_UNIT;
}

/** The actor's case for 修改案例 / 撤回案例, or the refusal (audited). */
export async function changeableCaseAs(
  effects: Effects,
  caseId: number,
  action: 'case.modify' | 'case.withdraw',
  actor: Actor,
  knownCall?: CaseCall,
): Promise<ChangeableCase> {
  const found = await changeableCase(effects.tx, caseId, actor.topUnitId, knownCall);
  if (!found.ok) {
    await effects.audit({
      actor: actor.userid,
      action,
      target: caseRef(caseId),
      result: 'denied',
      detail: CASE_AUDIT_DETAILS.refusedChange(
        CASE_CHANGE_REFUSAL_LABELS[found.reason],
        await unitName(effects, actor.topUnitId),
      ),
    });
  }
  return found;
}

export type WithdrawOutcome =
  | Extract<ChangeableCase, { ok: false }>
  | { ok: true; kase: TypicalCase; call: CaseCall; standing: UnitStanding };

/** 撤回案例 C7: the case no longer counts; its row stays for the record. */
export async function withdrawCaseAs(
  effects: Effects,
  caseId: number,
  unit: Unit,
  actor: Actor,
): Promise<WithdrawOutcome> {
  const found = await changeableCaseAs(effects, caseId, 'case.withdraw', actor);
  if (!found.ok) return found;
  const { kase, call } = found;
  await withdrawCase(effects.tx, kase);
  await effects.audit({
    actor: actor.userid,
    action: 'case.withdraw',
    target: caseRef(kase.id),
    detail: `${callRef(call.id)}；${unit.name}`,
  });
  return { ok: true, kase, call, standing: await standing(effects, call, unit) };
}

/** 提交案例's 确认: the case is stored and counts; the caller audits the confirmed PII findings. */
export async function submitCase(
  effects: Effects,
  call: CaseCall,
  unit: Unit,
  draft: Omit<CaseDraft, 'callId' | 'topUnitId'>,
  actor: Actor,
): Promise<{ kase: TypicalCase; standing: UnitStanding }> {
  const kase = await createCase(
    effects.tx,
    { ...draft, callId: call.id, topUnitId: unit.id },
    actor.userid,
    effects.now,
  );
  await effects.audit({
    actor: actor.userid,
    action: 'case.submit',
    target: caseRef(kase.id),
    detail: CASE_AUDIT_DETAILS.submitted(callRef(call.id), unit.name, kase.theme, kase.textLength),
  });
  return { kase, standing: await standing(effects, call, unit) };
}

export type ReviseOutcome =
  | Extract<ChangeableCase, { ok: false }>
  | {
      ok: true;
      kase: TypicalCase;
      /** The supervisor who had returned it (to hear that it is back), or null. */
      returnedBy: string | null;
      standing: UnitStanding;
    };

/** 修改案例's 确认: a new text; a returned case goes back to 已提交 for another review. */
export async function reviseCase(
  effects: Effects,
  call: CaseCall,
  unit: Unit,
  caseId: number,
  change: { text: string; textLength: number; piiAccepted: PiiFindingSummary[] },
  actor: Actor,
): Promise<ReviseOutcome> {
  const found = await changeableCaseAs(effects, caseId, 'case.modify', actor, call);
  if (!found.ok) return found;
  const { kase } = found;
  const returnedBy = kase.status === 'returned' ? kase.reviewedBy : null;
  await reviseCaseText(effects.tx, kase, change, actor.userid, effects.now);
  await effects.audit({
    actor: actor.userid,
    action: 'case.modify',
    target: caseRef(kase.id),
    detail: CASE_AUDIT_DETAILS.revised(callRef(call.id), unit.name, kase.textLength, Boolean(returnedBy)),
  });
  return { ok: true, kase, returnedBy, standing: await standing(effects, call, unit) };
}
