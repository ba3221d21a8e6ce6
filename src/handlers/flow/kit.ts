// The flow kit: a dialog is a typed draft (a zod schema, checked every time the state is loaded)
// and named steps. Each step says what it asks for (the reminder line while the person does
// something else) and whether it takes free text; the kit keeps the draft in the persisted,
// transactional step table (conversation_state) and hands every step a parsed draft. The ideas are
// grammY conversations' (forms, `otherwise`, typed drafts); the state stays a row, so a dialog
// survives restarts and runs on any instance.
import type { z } from 'zod';
import type { Role } from '../../entities/person.js';
import { text, type OutMessage } from '../../messages/outbound.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import type { Flow, HandlerContext, HandlerResult } from '../types.js';

/** One step: what it asks for, and what it does with an answer. */
export interface StepSpec<D> {
  /** What the person is asked for now, e.g. 请发送责任单位 (shown while they do something else). */
  hint: string | ((draft: D) => string);
  /** Free text is the answer here (a title, a reason): commands with arguments are not taken. */
  takesText?: boolean;
  run: (ctx: HandlerContext, draft: D, stored: StoredState<D>) => Promise<HandlerResult>;
}

/** What the kit stores for a dialog: the draft, and a text waiting for 确认 after a PII warning. */
export interface StoredState<D> {
  draft: D;
  pending?: PendingText;
  /** A year question is open (12月1日 typed on 5 December): what 是 stands for, e.g. 2027-12-01. */
  pendingYear?: string;
}

/** A text that raised personal-information warnings, waiting for 确认 (masked findings only). */
export interface PendingText {
  /** The step the text was given at; its confirmation is `<step>:confirm`. */
  step: string;
  text: string;
  findings: PiiFindingSummary[];
}

export interface FlowSpec<D> {
  name: string;
  version: number;
  /** 下发任务: how the dialog is called in reminders. */
  title: string;
  roles: readonly Role[];
  schema: z.ZodType<D>;
  /** On 取消: undo what the dialog left provisionally (draft files, see files.ts discardFiles). */
  discard?: (ctx: HandlerContext, draft: D) => Promise<void>;
  ttlMinutes?: number;
  /**
   * Checked before every step (after the router's role and unit checks): what the dialog is about
   * may have changed meanwhile (a call closed, a task done). A result ends or redirects the dialog
   * instead of running the step; undefined lets the step run.
   */
  guard?: (ctx: HandlerContext, draft: D, step: string) => Promise<HandlerResult | undefined>;
  steps: Record<string, StepSpec<D>>;
  /**
   * Whether the step itself takes this typed command (the same command retyped as a revision of a
   * text waiting for 确认): it then goes to the step, not through the router's dialog rule.
   */
  claims?: (step: string, draft: D, raw: string) => boolean;
}

/** A flow built by the kit: the router's Flow, plus typed ways to move it on. */
export interface KitFlow<D> extends Flow {
  /** Moves the dialog to `step` with `draft`, saying `say` first. */
  to(step: string, draft: D, ...say: (string | OutMessage)[]): HandlerResult;
  /** Moves to `step` keeping a text that waits for 确认 (used by the PII-gated steps). */
  toPending(step: string, draft: D, pending: PendingText, ...say: (string | OutMessage)[]): HandlerResult;
  /** Stays at `step` with a year question open; 是 will read as `canonical` (the date steps). */
  toYearQuestion(step: string, draft: D, canonical: string, ...say: (string | OutMessage)[]): HandlerResult;
  /** The stored draft of a snapshot of this flow, or undefined when it does not fit. */
  draftOf(data: unknown): D | undefined;
}

const say = (messages: (string | OutMessage)[]): OutMessage[] =>
  messages.map((message) => (typeof message === 'string' ? text(message) : message));

export function defineFlow<D>(spec: FlowSpec<D>): KitFlow<D> {
  const read = (data: unknown): StoredState<D> | undefined => {
    if (!data || typeof data !== 'object') return undefined;
    const { draft, pending, pendingYear } = data as StoredState<unknown>;
    const parsed = spec.schema.safeParse(draft);
    return parsed.success ? { draft: parsed.data, pending, pendingYear } : undefined;
  };
  const store = ({ draft, pending, pendingYear }: StoredState<D>): Record<string, unknown> => ({
    draft,
    ...(pending ? { pending } : {}),
    ...(pendingYear ? { pendingYear } : {}),
  });

  const steps: Flow['steps'] = {};
  for (const [name, step] of Object.entries(spec.steps)) {
    steps[name] = async (ctx, data) => {
      const state = read(data);
      // The router checks `accepts` on load; a state that no longer parses cannot reach a step.
      if (!state) throw new Error(`flow ${spec.name}: draft does not fit its schema`);
      const stop = await spec.guard?.(ctx, state.draft, name);
      if (stop) return stop;
      return step.run(ctx, state.draft, state);
    };
  }

  return {
    name: spec.name,
    version: spec.version,
    title: spec.title,
    roles: spec.roles,
    ttlMinutes: spec.ttlMinutes,
    ...(spec.discard
      ? {
          discard: async (ctx: HandlerContext, data: Record<string, unknown>) => {
            const state = read(data);
            if (state) await spec.discard!(ctx, state.draft);
          },
        }
      : {}),
    steps,
    hint: (stepName, data) => {
      const step = spec.steps[stepName];
      const state = read(data);
      if (!step || !state) return undefined;
      return typeof step.hint === 'function' ? step.hint(state.draft) : step.hint;
    },
    takesText: (stepName) => spec.steps[stepName]?.takesText === true,
    accepts: (data) => read(data) !== undefined,
    ...(spec.claims
      ? {
          claims: (stepName: string, data: Record<string, unknown>, raw: string) => {
            const state = read(data);
            return state !== undefined && spec.claims!(stepName, state.draft, raw);
          },
        }
      : {}),
    to: (step, draft, ...messages) => ({
      replies: say(messages),
      next: { flow: spec.name, step, data: store({ draft }) },
    }),
    toPending: (step, draft, pending, ...messages) => ({
      replies: say(messages),
      next: { flow: spec.name, step, data: store({ draft, pending }) },
    }),
    toYearQuestion: (step, draft, pendingYear, ...messages) => ({
      replies: say(messages),
      next: { flow: spec.name, step, data: store({ draft, pendingYear }) },
    }),
    draftOf: (data) => read(data)?.draft,
  };
}

/**
 * A form-like flow's move after a field: the next field's prompt, or straight back to the preview
 * when the member came from it to change one field (`修改 截止`). `flow` is a thunk because the flow
 * is usually defined below the steps that use this.
 */
export function nextFieldOrPreview<D extends { editing?: boolean }>(
  flow: () => KitFlow<D>,
  preview: (ctx: HandlerContext, draft: D) => Promise<HandlerResult>,
): (ctx: HandlerContext, draft: D, step: string, prompt: string) => Promise<HandlerResult> {
  return async (ctx, draft, step, prompt) =>
    draft.editing ? preview(ctx, draft) : flow().to(step, draft, prompt);
}
