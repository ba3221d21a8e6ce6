// A text that passes the personal-information gate before something is done with it, as a flow of
// its own: given with a command (留言办结 L5 <答复>, 备案退回 F3 <理由>) or asked for after a card
// button (拒绝 → 请发送拒绝理由). Blocked: refused, nothing kept; warned: the one 确认 step, where a
// revised text (or the same command retyped) is checked again. `reasonFlow` is the common case of
// a decision's reason. Any feature may use them; the kit's steps do the asking and checking.
import { z } from 'zod';
import type { Role } from '../../entities/person.js';
import type { OutMessage } from '../../messages/outbound.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import type { HandlerContext, HandlerResult } from '../types.js';
import { defineFlow, type KitFlow } from './kit.js';
import { gateText, gatedTextSteps } from './steps.js';
import * as views from './views.js';

const TEXT_STEP = 'text';

/**
 * Warnings a member confirmed, as a draft keeps them until the record is stored (masked values
 * only): the zod schema of PiiFindingSummary[] for flows that carry them over several steps.
 */
export const AcceptedFindings: z.ZodType<PiiFindingSummary[]> = z.array(
  z.object({
    kind: z.enum([
      'id_card',
      'id_card_legacy',
      'mobile',
      'bank_card',
      'landline',
      'email',
      'health',
      'passport',
    ]),
    severity: z.enum(['block', 'warn']),
    masked: z.string(),
  }),
);

export interface GatedSubmitSpec<D> {
  name: string;
  version?: number;
  title: string;
  roles: readonly Role[];
  schema: z.ZodType<D>;
  ttlMinutes?: number;
  /** 拒绝理由: named in retries. */
  label: string;
  /** What the text step asks for: 请发送拒绝理由. */
  hint: string;
  maxChars: number;
  /** The revised text in a retyped command (see GatedTextOptions.revise). */
  revise?: (raw: string, draft: D) => string | null;
  /** Does it; the dialog ends unless the result says otherwise. */
  store: (
    ctx: HandlerContext,
    draft: D,
    value: string,
    accepted: PiiFindingSummary[],
  ) => Promise<HandlerResult>;
}

export interface GatedSubmitFlow<D> extends KitFlow<D> {
  /** Opens the dialog at the text step (after a card button), saying `say`. */
  ask(draft: D, ...say: (string | OutMessage)[]): HandlerResult;
  /** The text given with a command: checked, then stored or held for 确认 (a block opens nothing). */
  submit(ctx: HandlerContext, draft: D, value: string): Promise<HandlerResult>;
}

export function gatedSubmitFlow<D>(spec: GatedSubmitSpec<D>): GatedSubmitFlow<D> {
  const accept = async (
    ctx: HandlerContext,
    draft: D,
    value: string,
    accepted: PiiFindingSummary[],
  ): Promise<HandlerResult> => {
    const result = await spec.store(ctx, draft, value, accepted);
    return { ...result, next: result.next ?? 'end' };
  };
  const options = {
    hint: spec.hint,
    label: spec.label,
    maxChars: spec.maxChars,
    flow: () => flow,
    accept,
    revise: spec.revise,
  };
  const check = gateText<D>(TEXT_STEP, options);
  const kit = defineFlow<D>({
    name: spec.name,
    version: spec.version ?? 1,
    title: spec.title,
    roles: spec.roles,
    schema: spec.schema,
    ttlMinutes: spec.ttlMinutes,
    steps: gatedTextSteps<D>(TEXT_STEP, options),
    claims: spec.revise
      ? (step, draft, raw) => step === `${TEXT_STEP}:confirm` && spec.revise!(raw, draft) !== null
      : undefined,
  });
  const flow: GatedSubmitFlow<D> = {
    ...kit,
    ask: (draft, ...say) => kit.to(TEXT_STEP, draft, ...say),
    submit: (ctx, draft, value) => check(ctx, draft, value, { inline: true }),
  };
  return flow;
}

export interface ReasonSpec<D> extends Omit<GatedSubmitSpec<D>, 'label' | 'hint' | 'maxChars'> {
  /** 拒绝, 退回: the decision the reason is for. */
  verb: string;
  maxChars?: number;
}

/** The reason of a decision (拒绝, 退回), asked after a card button or given with the command. */
export function reasonFlow<D>(spec: ReasonSpec<D>): GatedSubmitFlow<D> {
  return gatedSubmitFlow<D>({
    ...spec,
    label: views.reasonLabel(spec.verb),
    hint: views.reasonHint(spec.verb),
    maxChars: spec.maxChars ?? 500,
  });
}
