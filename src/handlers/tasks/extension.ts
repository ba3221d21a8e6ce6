// 延期: a liaison asks (延期 T12 <理由>, then the new deadline); supervisors decide
// (延期 T12 同意|拒绝 [理由], or the buttons on the request card). Approval moves the deadline.
import { z } from 'zod';
import { text } from '../../messages/outbound.js';
import type { Task } from '../../entities/task.js';
import {
  auditAcceptedFindings,
  CONFIRM_WORDS,
  gateSubmission,
  summariseFindings,
} from '../../services/pii/gate.js';
import { DEADLINE_EXAMPLES, parseTaskRef, taskRef } from '../../services/tasks/text.js';
import { readDialogDeadline } from '../../services/calendar/date-replies.js';
import { formatDeadlineMarked } from '../../services/calendar/deadline-text.js';
import { failedRead, takeYearAnswer } from '../year-question.js';
import { extensionCard } from '../../services/tasks/views.js';
import {
  checkExtension,
  pendingExtension,
  requestExtension,
  unitNames,
  type ExtensionDecision,
} from '../../services/tasks/store.js';
import { formatDeadline } from '../../services/calendar/time.js';
import {
  ALL_ROLES,
  reply,
  type Command,
  type Flow,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import { FLOWS, FindingSchema, calendarOf, lookupTask, perPerson, supervisorsOf, words } from './common.js';
import { withCheckedReason } from './review.js';

const Draft = z.object({
  taskId: z.number(),
  reason: z.string().optional(),
  findings: z.array(FindingSchema).optional(),
});
type Draft = z.infer<typeof Draft>;

const DECISIONS: Record<string, ExtensionDecision> = {
  同意: 'approve',
  批准: 'approve',
  拒绝: 'reject',
  不同意: 'reject',
};
const LIAISON_USAGE = '延期 T编号 <理由>';
const SUPERVISOR_USAGE = '延期 T编号 同意|拒绝 [理由]';

function next(step: 'reason' | 'confirm' | 'deadline', draft: Draft): HandlerResult['next'] {
  return { flow: FLOWS.extend, step, data: draft };
}

/** Back at the deadline step (after an error, or with a year question pending). */
const stay = (data: Record<string, unknown>) => ({ flow: FLOWS.extend, step: 'deadline', data });

async function askDeadline(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const { task } = await lookupTask(ctx, String(draft.taskId), 'extend');
  const current = task ? `当前截止：${formatDeadline(task.deadline)}。` : '';
  return {
    replies: [text(`${current}请输入申请延期至的时间，如 ${DEADLINE_EXAMPLES}：`)],
    next: next('deadline', draft),
  };
}

/** The reason goes through the personal-information gate before the deadline is asked. */
async function takeReason(ctx: HandlerContext, draft: Draft, reason: string): Promise<HandlerResult> {
  const gate = gateSubmission(reason, ctx.services.config.piiAllowList);
  if (gate.outcome === 'block') return { replies: [text(gate.message)], next: next('reason', draft) };
  if (gate.outcome === 'confirm') {
    return {
      replies: [text(gate.message)],
      next: next('confirm', { ...draft, reason, findings: summariseFindings(gate.findings) }),
    };
  }
  return askDeadline(ctx, { ...draft, reason, findings: [] });
}

/** Starts a request for a task (command or card): access, no request pending, then the reason. */
export async function startExtension(
  ctx: HandlerContext,
  task: Task,
  reason: string,
): Promise<HandlerResult> {
  const check = await checkExtension(ctx.tx, task, null);
  if (!check.ok) return reply(check.message);
  const draft: Draft = { taskId: task.id };
  if (reason) return takeReason(ctx, draft, reason);
  return {
    replies: [text(`申请 ${taskRef(task.id)}「${task.title}」延期：请说明理由（发送“取消”放弃）：`)],
    next: next('reason', draft),
  };
}

async function submitRequest(ctx: HandlerContext, draft: Draft, input: string): Promise<HandlerResult> {
  const found = await lookupTask(ctx, String(draft.taskId), 'extend');
  if (!found.ok) return { ...reply(found.message), next: 'end' };
  const { task } = found;
  const calendar = await calendarOf(ctx);
  const read = readDialogDeadline(input, { now: ctx.now, calendar });
  if (!read.ok) return failedRead(read, draft, stay);
  const parsed = read.value;
  const findings = await auditAcceptedFindings(
    ctx.services,
    ctx.user.userid,
    `task:${task.id}`,
    draft.findings ?? [],
  );
  const result = await requestExtension(
    ctx.tx,
    task,
    {
      userid: ctx.user.userid,
      reason: draft.reason ?? '',
      piiFindings: findings,
      deadline: parsed.deadline,
      estimated: parsed.estimated,
      workingDays: parsed.workingDays,
    },
    ctx.now,
    (entry) => ctx.services.audit(entry),
  );
  // A deadline not later than the current one: ask again; anything else ends the dialog.
  if (!result.ok) {
    const again = parsed.deadline.getTime() <= task.deadline.getTime();
    return again ? reply(result.message) : { ...reply(result.message), next: 'end' };
  }
  const unitName = (await unitNames(ctx.tx, [task.unitId])).get(task.unitId) ?? '';
  const people = await supervisorsOf(ctx, task);
  const notify = perPerson(people, `task:${task.id}:extension:${result.request.id}`, (person) =>
    extensionCard(task, unitName, result.request, ctx.user.name, person.id),
  );
  const estimate = parsed.warning ? `\n${parsed.warning}` : '';
  return {
    replies: [
      text(
        `已提交延期申请：${taskRef(task.id)} 申请延至 ${formatDeadlineMarked(parsed.deadline, parsed.estimated)}，等待督办人员审批。${estimate}`,
      ),
    ],
    notify,
    next: 'end',
  };
}

export const extensionFlow: Flow = {
  name: FLOWS.extend,
  version: 1,
  title: '申请延期',
  roles: ['liaison'],
  ttlMinutes: 60,
  steps: {
    reason: async (ctx, data) => {
      const draft = Draft.parse(data);
      const reason = ctx.inbound.type === 'text' ? ctx.rawText.trim() : '';
      if (!reason) return reply('请用文字说明申请延期的理由，或发送“取消”放弃。');
      return takeReason(ctx, draft, reason);
    },
    confirm: async (ctx, data) => {
      const draft = Draft.parse(data);
      if (ctx.inbound.type === 'text' && CONFIRM_WORDS.has(ctx.text)) return askDeadline(ctx, draft);
      const reason = ctx.inbound.type === 'text' ? ctx.rawText.trim() : '';
      if (!reason) return reply('请回复“确认”，或重新输入理由。');
      return takeReason(ctx, { ...draft, findings: [] }, reason);
    },
    deadline: async (ctx, data) => {
      if (ctx.inbound.type !== 'text' || !ctx.text)
        return reply(`请输入申请延期至的时间，如 ${DEADLINE_EXAMPLES}。`);
      const answer = takeYearAnswer(ctx.text, data, stay);
      if ('declined' in answer) return answer.declined;
      return submitRequest(ctx, Draft.parse(answer.data), answer.input);
    },
  },
};

async function decide(ctx: HandlerContext): Promise<HandlerResult> {
  const { parts, rest } = words(ctx, 2);
  const id = parseTaskRef(parts[0] ?? '');
  const decision = DECISIONS[parts[1] ?? ''];
  if (!id || !decision) return reply(`用法：${SUPERVISOR_USAGE}`);
  const request = await pendingExtension(ctx.tx, id);
  if (!request) return reply(`任务 ${taskRef(id)} 没有待审批的延期申请。`);
  return withCheckedReason(ctx, {
    action: decision === 'approve' ? 'ext-approve' : 'ext-reject',
    taskId: id,
    requestId: request.id,
    reason: rest,
  });
}

export const extensionCommand: Command = {
  name: '延期',
  roles: ALL_ROLES,
  summary: '联络员申请延期；督办人员审批（同意/拒绝）',
  usage: `${LIAISON_USAGE} ｜ ${SUPERVISOR_USAGE}`,
  args: 'required',
  group: '任务',
  handle: async (ctx) => {
    if (ctx.user.role !== 'liaison') return decide(ctx);
    const { parts, rest } = words(ctx, 1);
    if (!parseTaskRef(parts[0] ?? '')) return reply(`用法：${LIAISON_USAGE}`);
    const found = await lookupTask(ctx, parts[0] ?? '', 'extend');
    return found.ok ? startExtension(ctx, found.task, rest) : reply(found.message);
  },
};
