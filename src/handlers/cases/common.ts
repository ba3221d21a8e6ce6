// Small helpers shared by the typical-case handlers.
import type { Role } from '../../entities/person.js';
import type { Unit } from '../../entities/unit.js';
import { text } from '../../messages/outbound.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import type { CaseCall } from '../../entities/case-call.js';
import { caseRef } from '../../services/cases/rules.js';
import {
  CASE_CHANGE_REFUSAL_LABELS,
  changeableCase,
  type ChangeableCase,
} from '../../services/cases/store.js';
import { CaseCall as CaseCallEntity } from '../../entities/case-call.js';
import { callsByIds } from '../../services/cases/lifecycle.js';
import { callDeadlineText, callName } from '../../services/cases/views.js';
import { PII_KIND_LABELS, type PiiKind } from '../../services/pii/detector.js';
import { z } from 'zod';
import type { Choice } from '../flow/steps.js';
import type { HandlerContext, HandlerResult } from '../types.js';

/** The cases dialogs, by their stored names. */
export const CASE_FLOWS = {
  draft: 'case-draft',
  open: 'case-call-open',
  pick: 'case-pick',
  close: 'case-call-close',
  deadline: 'case-call-deadline',
  return: 'case-return',
} as const;

/** A confirmed personal-information finding as a draft keeps it (masked values only). */
export const FindingSchema = z.object({
  kind: z.enum(Object.keys(PII_KIND_LABELS) as [PiiKind, ...PiiKind[]]),
  severity: z.enum(['block', 'warn']),
  masked: z.string(),
});

/** A call as it is looked up again at a later step (it may have changed meanwhile). */
export async function liveCall(ctx: HandlerContext, callId: number): Promise<CaseCallEntity | null> {
  return ctx.tx.getRepository(CaseCallEntity).findOneBy({ id: callId });
}

/** The calls kept in a dialog as a choice: `征集2《…》，3月24日截止`, also picked by `征集2`. */
export async function callChoices(ctx: HandlerContext, callIds: number[]): Promise<Choice<number>[]> {
  const calls = await callsByIds(ctx, callIds);
  return calls.map((call) => ({
    label: `${callName(call)}，${callDeadlineText(call)}`,
    value: call.id,
    aliases: [`征集${call.id}`],
  }));
}

export const LIAISONS: readonly Role[] = ['liaison'];

/** The asker's top-level unit, or the reply that says it is missing. */
export function topUnitOf(ctx: HandlerContext): Unit | HandlerResult {
  return ctx.user.topUnit ?? { replies: [text(NO_UNIT_TEXT)] };
}

export function isUnit(value: Unit | HandlerResult): value is Unit {
  return 'kind' in value && 'name' in value;
}

/**
 * The asker's case for 修改案例 / 撤回案例, or the refusal, which is audited whatever its reason
 * (another unit's case above all: it reads as missing to the asker, but the audit says whose it was).
 */
export async function changeableCaseFor(
  ctx: HandlerContext,
  caseId: number,
  action: 'case.modify' | 'case.withdraw',
  knownCall?: CaseCall,
): Promise<ChangeableCase> {
  const found = await changeableCase(ctx.tx, caseId, ctx.user.topUnit?.id ?? null, knownCall);
  if (!found.ok) {
    await ctx.services.audit({
      actor: ctx.user.userid,
      action,
      target: caseRef(caseId),
      result: 'denied',
      detail: `${CASE_CHANGE_REFUSAL_LABELS[found.reason]}；提出单位 ${ctx.user.topUnit?.name ?? '无'}`,
    });
  }
  return found;
}
