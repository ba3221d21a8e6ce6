// Small helpers shared by the typical-case handlers.
import type { Role } from '../../entities/person.js';
import type { Unit } from '../../entities/unit.js';
import { text } from '../../messages/outbound.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { gateSubmission } from '../../services/pii/gate.js';
import { summariseFindings, type PiiFindingSummary } from '../../services/pii/report.js';
import type { HandlerContext, HandlerResult } from '../types.js';

export const LIAISONS: readonly Role[] = ['liaison'];

/** The asker's top-level unit, or the reply that says it is missing. */
export function topUnitOf(ctx: HandlerContext): Unit | HandlerResult {
  return ctx.user.topUnit ?? { replies: [text(NO_UNIT_TEXT)] };
}

export function isUnit(value: Unit | HandlerResult): value is Unit {
  return 'kind' in value && 'name' in value;
}

/** A step that wants typed text got a file or an image: say so and stay. */
export function textOnly(ctx: HandlerContext, what: string): HandlerResult | undefined {
  if (ctx.inbound.type === 'text') return undefined;
  return { replies: [text(`请以文字发送${what}。`)] };
}

export type PiiCheck =
  | { outcome: 'pass' }
  | { outcome: 'block'; result: HandlerResult }
  | { outcome: 'confirm'; message: string; findings: PiiFindingSummary[] };

/** The personal-information gate every stored text goes through (block: resend; warn: 确认). */
export function checkPii(ctx: HandlerContext, value: string): PiiCheck {
  const gate = gateSubmission(value, ctx.services.config.piiAllowList);
  if (gate.outcome === 'pass') return { outcome: 'pass' };
  if (gate.outcome === 'block') return { outcome: 'block', result: { replies: [text(gate.message)] } };
  return { outcome: 'confirm', message: gate.message, findings: summariseFindings(gate.findings) };
}
