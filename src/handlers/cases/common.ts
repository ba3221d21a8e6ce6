// Small helpers shared by the typical-case handlers.
import type { Role } from '../../entities/person.js';
import type { Unit } from '../../entities/unit.js';
import { text } from '../../messages/outbound.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import type { ChangeableCase } from '../../services/cases/rules.js';
import { changeableCaseAs } from '../../services/cases/changes.js';
import { CaseCall as CaseCallEntity } from '../../entities/case-call.js';
import { actorOf, effectsOf } from '../context.js';
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

/** The asker's case for 修改案例 / 撤回案例, or the refusal (audited by the service). */
export function changeableCaseFor(
  ctx: HandlerContext,
  caseId: number,
  action: 'case.modify' | 'case.withdraw',
  knownCall?: CaseCallEntity,
): Promise<ChangeableCase> {
  return changeableCaseAs(effectsOf(ctx), caseId, action, actorOf(ctx), knownCall);
}
