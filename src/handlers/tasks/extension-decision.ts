// 延期 同意|拒绝: the supervisor's decision on an extension request, shared by the typed command,
// the request card's buttons and the reason dialog (src/handlers/tasks/review.ts).
import { memberText } from '../../messages/member-text.js';
import { text } from '../../messages/outbound.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { taskRef } from '../../services/tasks/text.js';
import { taskDeadlineText, taskRefusalText } from '../../services/tasks/views.js';
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
  const why = input.reason ? `（${memberText(input.reason)}）` : '';
  const message =
    input.decision === 'approve'
      ? `任务 ${ref}「${memberText(task.title)}」的延期申请已同意${why}。新的截止时间：${line}。`
      : `任务 ${ref}「${memberText(task.title)}」的延期申请未获同意${why}，截止时间不变：${line}。`;
  const liaisons = await unitLiaisons(ctx, task.unitId);
  return {
    taken: true,
    result: {
      replies: [
        text(`已${input.decision === 'approve' ? '同意' : '拒绝'} ${ref}（${unitName}）的延期申请。`),
      ],
      notify: perPerson(liaisons, `task:${task.id}:extension:${request.id}:decided`, () => text(message)),
    },
  };
}
