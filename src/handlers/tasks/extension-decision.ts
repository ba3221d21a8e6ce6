// 延期 同意|拒绝: the supervisor's decision on an extension request, shared by the typed command,
// the request card's buttons and the reason dialog (src/handlers/tasks/review.ts).
import { text } from '../../messages/outbound.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { taskRef } from '../../services/tasks/text.js';
import { DECISION_WORDS as D, taskDeadlineText, taskRefusalText } from '../../services/tasks/views.js';
import { decideExtension, unitNames, type ExtensionDecision } from '../../services/tasks/store.js';
import { reply, type HandlerContext } from '../types.js';
import { type Decided, calendarOf, perPerson, unitLiaisons } from './common.js';

/** 同意 / 拒绝: record it, tell the unit, and confirm to the supervisor. */
export async function performExtensionDecision(
  ctx: HandlerContext,
  input: { requestId: number; decision: ExtensionDecision; reason: string | null },
  findings: PiiFindingSummary[],
): Promise<Decided> {
  const result = await decideExtension(ctx.tx, { ...input, decider: ctx.user.userid }, ctx.now, (entry) =>
    ctx.services.audit(entry),
  );
  if (!result.ok) return { taken: false, result: reply(taskRefusalText(result.refusal)) };
  await auditAcceptedFindings(ctx.services, ctx.user.userid, `task:${result.task.id}`, findings);
  const { task, request } = result;
  const ref = taskRef(task.id);
  const calendar = await calendarOf(ctx);
  const unitName = (await unitNames(ctx.tx, [task.unitId])).get(task.unitId) ?? '';
  const { line } = taskDeadlineText(calendar, task, ctx.now);
  const approve = input.decision === 'approve';
  const message = D.extensionNotice(approve, ref, task.title, input.reason, line);
  const liaisons = await unitLiaisons(ctx, task.unitId);
  return {
    taken: true,
    result: {
      replies: [text(D.extensionDecided(approve, ref, unitName))],
      notify: perPerson(liaisons, `task:${task.id}:extension:${request.id}:decided`, () => text(message)),
    },
  };
}
