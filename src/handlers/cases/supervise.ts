// The supervisors' commands: 案例进度, 审核案例 C7 采纳|退回 <理由>, 导出案例, 结束案例征集.
import { memberText } from '../../messages/member-text.js';
import { markdown, text } from '../../messages/outbound.js';
import { CaseCall } from '../../entities/case-call.js';
import { CASE_STATUS_LABELS } from '../../entities/typical-case.js';
import { Unit } from '../../entities/unit.js';
import { buildCaseExport } from '../../services/cases/export.js';
import { callChoiceLines, callName, progressMarkdown } from '../../services/cases/views.js';
import {
  REVIEW_USAGE,
  callRef,
  caseRef,
  parseCallRef,
  parseReview,
  progressLine,
} from '../../services/cases/rules.js';
import {
  callProgress,
  chooseCall,
  closeCall,
  findCase,
  quotaOf,
  reviewCase,
  unitCounted,
} from '../../services/cases/store.js';
import { liaisonsByTopUnit } from '../../services/directory/lookup.js';
import { saveXlsx } from '../../db/files.js';
import type { Command, Flow, HandlerContext, HandlerResult } from '../types.js';
import { READ_ONLY_ARGS, SUPERVISORS } from '../types.js';

const GROUP = '典型案例';
export const PICK_FLOW = 'case-pick';

type Purpose = 'progress' | 'export' | 'close';

interface PickData {
  purpose: Purpose;
  callIds: number[];
}

const ACTIONS: Record<Purpose, (ctx: HandlerContext, call: CaseCall) => Promise<HandlerResult>> = {
  progress: progressReply,
  export: exportReply,
  close: closeReply,
};

const PURPOSE_LABELS: Record<Purpose, string> = { progress: '查看进度', export: '导出', close: '结束' };

/** Runs a command on the call named, the only open one, or asks which. */
async function withCall(ctx: HandlerContext, purpose: Purpose): Promise<HandlerResult> {
  const choice = await chooseCall(ctx.tx, ctx.args, { includeClosed: purpose !== 'close' });
  if (choice.kind === 'none') return { replies: [text(choice.message)] };
  if (choice.kind === 'one') return ACTIONS[purpose](ctx, choice.call);
  const data: PickData = { purpose, callIds: choice.calls.map((call) => call.id) };
  return {
    replies: [
      text(
        [
          `当前有多个案例征集，请回复序号选择要${PURPOSE_LABELS[purpose]}的征集：`,
          ...callChoiceLines(choice.calls),
        ].join('\n'),
      ),
    ],
    next: { flow: PICK_FLOW, step: 'choose', data: data as unknown as Record<string, unknown> },
  };
}

const pickStep = async (ctx: HandlerContext, raw: Record<string, unknown>): Promise<HandlerResult> => {
  const data = raw as unknown as PickData;
  const typed = /^\d{1,2}$/.test(ctx.text) ? data.callIds[Number(ctx.text) - 1] : parseCallRef(ctx.text);
  if (typed === undefined || typed === null || !data.callIds.includes(typed)) {
    return { replies: [text(`请回复 1–${data.callIds.length} 的序号选择征集。`)] };
  }
  const choice = await chooseCall(ctx.tx, callRef(typed), { includeClosed: data.purpose !== 'close' });
  // A named call gives one call or a reason (it may have been closed meanwhile).
  if (choice.kind === 'none') return { replies: [text(choice.message)], next: 'end' };
  if (choice.kind === 'many') return { next: 'end' };
  const result = await ACTIONS[data.purpose](ctx, choice.call);
  return { ...result, next: result.next ?? 'end' };
};

export const pickCallFlow: Flow = {
  name: PICK_FLOW,
  version: 1,
  title: '选择案例征集',
  roles: SUPERVISORS,
  steps: { choose: pickStep },
};

async function progressReply(ctx: HandlerContext, call: CaseCall): Promise<HandlerResult> {
  const rows = await callProgress(ctx.tx, call);
  const calendar = await ctx.services.calendar.get();
  return { replies: [markdown(progressMarkdown(call, rows, calendar, ctx.now))] };
}

async function exportReply(ctx: HandlerContext, call: CaseCall): Promise<HandlerResult> {
  const built = await buildCaseExport(ctx.tx, call, ctx.now);
  const stored = await saveXlsx(ctx.tx, built, ctx.user.userid, ctx.now);
  await ctx.services.audit({
    actor: ctx.user.userid,
    action: 'case-call.export',
    target: callRef(call.id),
    detail: `${built.caseCount} 个案例；文件 ${stored.id}`,
  });
  return {
    replies: [
      text(`${callName(call)}：共 ${built.caseCount} 个案例，信息表见下方文件（第2页为各单位配额汇总）。`),
      { type: 'file', fileId: stored.id },
    ],
  };
}

async function closeReply(ctx: HandlerContext, call: CaseCall): Promise<HandlerResult> {
  await closeCall(ctx.tx, call, ctx.user.userid, ctx.now);
  await ctx.services.audit({ actor: ctx.user.userid, action: 'case-call.close', target: callRef(call.id) });
  const rows = await callProgress(ctx.tx, call);
  const owing = rows.filter((row) => row.quota > 0);
  const short = owing.filter((row) => row.short > 0);
  return {
    replies: [
      text(
        `已结束${callName(call)}，联络员不能再提交、修改或撤回案例。\n` +
          `达标 ${owing.length - short.length}/${owing.length} 个单位` +
          (short.length > 0
            ? `；未达标：${short.map((row) => `${row.unit.name} ${row.counted}/${row.quota}`).join('、')}`
            : '') +
          `\n发送“导出案例 ${callRef(call.id)}”导出信息表。`,
      ),
    ],
  };
}

export const progressCommand: Command = {
  name: '案例进度',
  readOnly: READ_ONLY_ARGS.call,
  roles: SUPERVISORS,
  summary: '各单位典型案例提交进度（未达标的在前）',
  usage: '案例进度 [征集N]',
  args: 'optional',
  group: GROUP,
  handle: (ctx) => withCall(ctx, 'progress'),
};

export const exportCommand: Command = {
  name: '导出案例',
  readOnly: READ_ONLY_ARGS.call,
  roles: SUPERVISORS,
  summary: '导出《政府网站、政务新媒体典型做法信息表》Excel',
  usage: '导出案例 [征集N]',
  args: 'optional',
  group: GROUP,
  handle: (ctx) => withCall(ctx, 'export'),
};

export const closeCallCommand: Command = {
  name: '结束案例征集',
  roles: SUPERVISORS,
  summary: '结束征集：联络员不能再提交、修改或撤回',
  usage: '结束案例征集 [征集N]',
  args: 'optional',
  group: GROUP,
  handle: (ctx) => withCall(ctx, 'close'),
};

/** The reason as typed (after 采纳/通过/退回), so it is stored exactly as the supervisor wrote it. */
function rawReason(rawArgs: string): string {
  const match = /(采纳|通过|退回)\s*[:：，,]?\s*([\s\S]*)$/.exec(rawArgs);
  return (match?.[2] ?? '').trim();
}

export const reviewCommand: Command = {
  name: '审核案例',
  roles: SUPERVISORS,
  summary: '采纳或退回一个案例（通知该单位联络员）',
  usage: REVIEW_USAGE,
  args: 'required',
  group: GROUP,
  handle: async (ctx) => {
    const parsed = parseReview(ctx.args);
    if (!parsed.ok) return { replies: [text(parsed.message)] };
    const reason = parsed.decision === 'return' ? rawReason(ctx.rawArgs) || parsed.reason : '';
    const ref = caseRef(parsed.caseId);
    const kase = await findCase(ctx.tx, parsed.caseId);
    if (!kase || kase.status === 'withdrawn') {
      return { replies: [text(`没有找到案例${ref}${kase ? '（已撤回）' : ''}。`)] };
    }
    const target = parsed.decision === 'accept' ? 'accepted' : 'returned';
    if (kase.status === target && (target === 'accepted' || kase.returnReason === reason)) {
      return { replies: [text(`案例${ref}已是“${CASE_STATUS_LABELS[target]}”状态。`)] };
    }
    await reviewCase(ctx.tx, kase, { decision: parsed.decision, reason }, ctx.user.userid, ctx.now);
    await ctx.services.audit({
      actor: ctx.user.userid,
      action: parsed.decision === 'accept' ? 'case.accept' : 'case.return',
      target: ref,
      detail: parsed.decision === 'return' ? `退回理由：${reason}` : undefined,
    });

    const unit = await ctx.tx.getRepository(Unit).findOneBy({ id: kase.topUnitId });
    const call = await ctx.tx.getRepository(CaseCall).findOneBy({ id: kase.callId });
    const to = ((await liaisonsByTopUnit(ctx.tx, [kase.topUnitId])).get(kase.topUnitId) ?? []).map(
      (person) => person.userid,
    );
    let progress = '';
    if (unit && call) {
      const calendar = await ctx.services.calendar.get();
      const counted = await unitCounted(ctx.tx, call.id, unit.id);
      progress = `本单位${progressLine(calendar, { submitted: counted, quota: quotaOf(call, unit.kind), deadline: call.deadline }, ctx.now)}`;
    }
    const message =
      parsed.decision === 'accept'
        ? `【案例审核】案例${ref}《${memberText(kase.title)}》已采纳。`
        : `【案例审核】案例${ref}《${memberText(kase.title)}》已退回，理由：${memberText(reason)}\n` +
          (call?.status === 'open'
            ? `请发送“修改案例 ${ref}”修改后重新提交。\n${progress}`
            : `${callRef(kase.callId)}已结束。`);
    const unitName = unit?.name ?? '';
    const told =
      to.length > 0 ? `，已通知${unitName} ${to.length} 名联络员` : `；${unitName}暂无联络员，未能通知`;
    return {
      replies: [text(`已${parsed.decision === 'accept' ? '采纳' : '退回'}案例${ref}${told}。`)],
      notify:
        to.length > 0
          ? [
              {
                to,
                key: `case:${kase.id}:${target}:in${ctx.deliveryId}`,
                source: `case-call:${kase.callId}`,
                message: text(message),
              },
            ]
          : undefined,
    };
  },
};
