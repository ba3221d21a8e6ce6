// The personal-information gate for texts submitted with a command or in a dialog step (answers,
// purposes, reasons): a blocking finding stops it (nothing stored, the draft kept); warn findings
// move to a confirmation step where 确认 stores it and a revised text is checked again.
import { text } from '../../messages/outbound.js';
import { CONFIRM_WORDS, gateSubmission, summariseFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { ALL_ROLES, SUPERVISORS, type Flow, type HandlerContext, type HandlerResult } from '../types.js';

export const PII_CONFIRM_FLOW = 'duty-pii-confirm';

/** One kind of gated submission: how to store it, and how to read a revision. */
export interface GatedKind {
  kind: string;
  /** Stores the text; `accepted` are the warn findings the member confirmed (audit them). */
  store(
    ctx: HandlerContext,
    payload: Record<string, unknown>,
    text: string,
    accepted: PiiFindingSummary[],
  ): Promise<HandlerResult>;
  /**
   * The revised text when the member sends the same command again (e.g. 留言办结 L5 <新答复> for
   * the same L5), or null when the message is not that command.
   */
  revise?(raw: string, payload: Record<string, unknown>): string | null;
  /** How to send a revision with the command, for the reminder in the confirmation step. */
  usage?(payload: Record<string, unknown>): string;
}

export interface GateOptions {
  /**
   * The text was asked for in a dialog step, so a plain text sent instead of 确认 is a revision.
   * After a command, a plain text may be another command: only the same command retyped revises.
   */
  dialog?: boolean;
}

function withEnd(result: HandlerResult): HandlerResult {
  return { ...result, next: result.next ?? 'end' };
}

/** Checks `submitted` and stores it, refuses it (the draft is kept), or asks for 确认. */
export async function gateAndStore(
  ctx: HandlerContext,
  kind: GatedKind,
  payload: Record<string, unknown>,
  submitted: string,
  options: GateOptions = {},
): Promise<HandlerResult> {
  const gate = gateSubmission(submitted, ctx.services.config.piiAllowList);
  if (gate.outcome === 'pass') return withEnd(await kind.store(ctx, payload, submitted, []));
  if (gate.outcome === 'block') return { replies: [text(gate.message)] };
  return {
    replies: [text(gate.message)],
    next: {
      flow: PII_CONFIRM_FLOW,
      step: 'confirm',
      data: {
        kind: kind.kind,
        payload,
        text: submitted,
        findings: summariseFindings(gate.findings),
        dialog: options.dialog === true,
      },
    },
  };
}

/**
 * The dialog step after a card's 拒绝/退回 button: the reason, as text, gated before it is stored.
 * `verb` names the decision (请用文字写明拒绝理由。).
 */
export function reasonFlow(name: string, title: string, kind: GatedKind, verb: string): Flow {
  return {
    name,
    version: 1,
    title,
    roles: SUPERVISORS,
    steps: {
      reason: async (ctx, data) => {
        const reason = ctx.rawText.trim();
        if (ctx.inbound.type !== 'text' || reason === '')
          return { replies: [text(`请用文字写明${verb}理由。`)] };
        return gateAndStore(ctx, kind, data, reason, { dialog: true });
      },
    },
  };
}

export function piiConfirmFlow(kinds: readonly GatedKind[]): Flow {
  const byName = new Map(kinds.map((kind) => [kind.kind, kind]));
  /** How to change the waiting text: send it again in the dialog, or retype the whole command. */
  const howToRevise = (kind: GatedKind | undefined, data: Record<string, unknown>): string =>
    data.dialog === true
      ? '发送修改后的内容'
      : `重新发送完整指令（${kind?.usage?.((data.payload ?? {}) as Record<string, unknown>) ?? '原指令'}）`;
  return {
    name: PII_CONFIRM_FLOW,
    version: 1,
    title: '确认提交',
    roles: ALL_ROLES,
    hint: (_step, data) => `回复“确认”保存，或${howToRevise(byName.get(String(data.kind)), data)}`,
    // The same command retyped is the revision of the waiting text.
    claims: (_step, data, raw) =>
      byName.get(String(data.kind))?.revise?.(raw, (data.payload ?? {}) as Record<string, unknown>) != null,
    steps: {
      confirm: async (ctx, data) => {
        const kind = byName.get(String(data.kind));
        if (!kind) return { replies: [text('该操作已失效，请重新发送指令。')], next: 'end' };
        const payload = (data.payload ?? {}) as Record<string, unknown>;
        const dialog = data.dialog === true;
        if (ctx.inbound.type === 'text' && CONFIRM_WORDS.has(ctx.text)) {
          const findings = (data.findings ?? []) as PiiFindingSummary[];
          return withEnd(await kind.store(ctx, payload, String(data.text), findings));
        }
        const raw = ctx.inbound.type === 'text' ? ctx.rawText.trim() : '';
        const revised = kind.revise?.(raw, payload) ?? (dialog ? raw : null);
        if (revised === null || revised === '') {
          const how = howToRevise(kind, data);
          return {
            replies: [text(`您有一条待确认的内容：回复“确认”保存；如需修改，请${how}；发送“取消”放弃。`)],
          };
        }
        return gateAndStore(ctx, kind, payload, revised, { dialog });
      },
    },
  };
}
