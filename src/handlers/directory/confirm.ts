import { text } from '../../messages/outbound.js';
import { CONFIRM_WORDS } from '../../services/pii/gate.js';
import type { HandlerContext, HandlerResult } from '../types.js';

export const CONFIRM_HINT = '回复“确认”执行，回复“取消”放弃。';

/** Anything but 确认 in a confirmation step: say what is expected and keep the step. */
export function awaitingConfirmation(ctx: HandlerContext): HandlerResult | undefined {
  if (CONFIRM_WORDS.has(ctx.text)) return undefined;
  return { replies: [text('请回复“确认”执行，或回复“取消”放弃。')] };
}
