// The question asked before a person leaves one dialog for another (是/否). Its state keeps the
// dialog to go back to, exactly as it was, and what the person asked for meanwhile: a typed
// command, or a card click (the whole click, so that its response code can still grey the card).
import { z } from 'zod';
import type { EventMessage } from '../../messages/inbound.js';
import { ALL_ROLES, type ConversationSnapshot, type HandlerResult } from '../types.js';
import { defineFlow } from './kit.js';
import * as views from './views.js';

export const SWITCH_FLOW = 'dialog-switch';

const Snapshot = z.object({
  flow: z.string(),
  step: z.string(),
  data: z.record(z.string(), z.unknown()),
});

const Pending = z.discriminatedUnion('kind', [
  /** A command typed: `text` normalised (to run it), `raw` as typed (to keep it as content). */
  z.object({ kind: z.literal('text'), text: z.string(), raw: z.string().optional() }),
  z.object({
    kind: z.literal('card'),
    button: z.string(),
    /** The click as it arrived (an EventMessage), run as if it came now. */
    event: z.record(z.string(), z.unknown()),
  }),
]);

const Draft = z.object({
  resume: Snapshot,
  title: z.string(),
  pending: Pending,
  /** The command was typed into a free-text step: 否 takes the message as that step's content. */
  asContent: z.boolean(),
});
export type SwitchDraft = z.infer<typeof Draft>;
export type PendingAction = z.infer<typeof Pending>;

export const switchFlow = defineFlow<SwitchDraft>({
  name: SWITCH_FLOW,
  version: 1,
  title: '切换操作',
  roles: ALL_ROLES,
  schema: Draft,
  ttlMinutes: 30,
  // The router answers this step itself (it needs to run the pending action); nothing runs here.
  steps: {
    answer: {
      hint: (draft) => views.switchRetry(draft.title, labelOf(draft.pending), draft.asContent),
      run: async () => {
        throw new Error('the dialog-switch answer is handled by the router');
      },
    },
  },
});

export function labelOf(pending: PendingAction): views.PendingLabel {
  return pending.kind === 'text'
    ? { kind: 'text', text: pending.text }
    : { kind: 'card', button: pending.button };
}

/** Asks whether to leave `current` (titled `title`) for `pending`. */
export function askToSwitch(
  current: ConversationSnapshot,
  title: string,
  pending: PendingAction,
  asContent = false,
): HandlerResult {
  const resume = { flow: current.flow, step: current.step, data: current.data };
  return switchFlow.to(
    'answer',
    { resume, title, pending, asContent },
    views.switchQuestion(title, labelOf(pending), asContent),
  );
}

/** The click stored in a pending card action, as a delivery again. */
export function storedClick(pending: Extract<PendingAction, { kind: 'card' }>): EventMessage {
  return pending.event as unknown as EventMessage;
}
