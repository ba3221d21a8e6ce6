// The steps dialogs share, so that each asks, checks and retries the same way everywhere: a text
// (length, text only), a choice (number, name, a unique part of a name, paging), a date or deadline
// (one parser), a confirmation (one wording), and a text that passes the personal-information gate
// before it is kept (blocked: asked again, nothing stored; warned: 确认 or a new text).
import { markdown } from '../../messages/outbound.js';
import {
  readDialogDeadline,
  yearDeclined,
  type DialogDeadline,
  type DialogRead,
} from '../../services/calendar/date-replies.js';
import { readYesNo } from '../../services/calendar/year-choice.js';
import { CONFIRM_WORDS, gateSubmission, summariseFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { reply, type HandlerContext, type HandlerResult } from '../types.js';
import type { KitFlow, StepSpec, StoredState } from './kit.js';
import * as views from './views.js';

type Accept<D, V> = (ctx: HandlerContext, draft: D, value: V) => Promise<HandlerResult> | HandlerResult;

const charCount = (value: string): number => [...value].length;

/** The text typed at this step, or the reason it is not one (a file, an empty message). */
function typedText(ctx: HandlerContext, label: string, hint: string): { value: string } | { retry: string } {
  if (ctx.inbound.type !== 'text') return { retry: views.textOnly(label) };
  const value = ctx.rawText.trim();
  return value ? { value } : { retry: hint };
}

export interface TextStepOptions<D> {
  hint: string;
  /** 任务标题: named in retries. */
  label: string;
  maxChars: number;
  accept: Accept<D, string>;
}

/** Free text (a title, a requirement): text only, not empty, at most `maxChars` characters. */
export function textStep<D>(options: TextStepOptions<D>): StepSpec<D> {
  return {
    hint: options.hint,
    takesText: true,
    run: async (ctx, draft) => {
      const typed = typedText(ctx, options.label, options.hint);
      if ('retry' in typed) return reply(typed.retry);
      const length = charCount(typed.value);
      if (length > options.maxChars) return reply(views.tooLong(options.label, options.maxChars, length));
      return options.accept(ctx, draft, typed.value);
    },
  };
}

export interface Choice<V> {
  label: string;
  value: V;
  /** Other names that pick it exactly (a short name, a code). */
  aliases?: string[];
}

export type ChoicePick<V> =
  { kind: 'picked'; choice: Choice<V> } | { kind: 'ambiguous'; choices: Choice<V>[] } | { kind: 'none' };

const squash = (value: string): string => value.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/**
 * Reads a choice: a number from the list, an exact name or alias, or a part of a name that only
 * one option contains (高青 → 高青县). Several options containing it are reported, not guessed.
 */
export function pickChoice<V>(choices: readonly Choice<V>[], typed: string): ChoicePick<V> {
  const input = squash(typed);
  if (!input) return { kind: 'none' };
  if (/^\d{1,4}$/.test(input)) {
    const choice = choices[Number(input) - 1];
    return choice ? { kind: 'picked', choice } : { kind: 'none' };
  }
  const exact = choices.find((choice) =>
    [choice.label, ...(choice.aliases ?? [])].some((name) => squash(name) === input),
  );
  if (exact) return { kind: 'picked', choice: exact };
  const partial = choices.filter((choice) => squash(choice.label).includes(input));
  if (partial.length === 1) return { kind: 'picked', choice: partial[0]! };
  if (partial.length > 1) return { kind: 'ambiguous', choices: partial };
  return { kind: 'none' };
}

/** The numbered lines of a choice menu, one page of it. */
export function choiceLines<V>(choices: readonly Choice<V>[], page = 0, pageSize = CHOICE_PAGE): string[] {
  return choices
    .slice(page * pageSize, (page + 1) * pageSize)
    .map((choice, i) => `${page * pageSize + i + 1}. ${choice.label}`);
}

export const CHOICE_PAGE = 20;

/** The menu of a choice step: heading, the first page, and how to see the rest. */
export function choiceMenu<V>(heading: string, choices: readonly Choice<V>[], page = 0): string {
  const shown = Math.min(choices.length, (page + 1) * CHOICE_PAGE);
  return views.choiceMenu(heading, choiceLines(choices, page), choices.length - shown);
}

export interface ChoiceStepOptions<D, V> {
  hint: string;
  /** 渠道: named in retries. */
  label: string;
  choices: (ctx: HandlerContext, draft: D) => Promise<readonly Choice<V>[]> | readonly Choice<V>[];
  accept: Accept<D, V>;
  /** For paging (“更多”): the flow, and where the page is kept. */
  paging?: {
    flow: () => KitFlow<D>;
    step: string;
    page: (draft: D) => number;
    setPage: (draft: D, page: number) => D;
  };
}

/** One of a list: by number, name or a unique part of the name; “更多” pages through long lists. */
export function choiceStep<D, V>(options: ChoiceStepOptions<D, V>): StepSpec<D> {
  return {
    hint: options.hint,
    run: async (ctx, draft) => {
      const choices = await options.choices(ctx, draft);
      const paging = options.paging;
      if (paging && views.MORE_WORDS.has(ctx.text)) {
        const pages = Math.ceil(choices.length / CHOICE_PAGE);
        const page = (paging.page(draft) + 1) % Math.max(pages, 1);
        return paging
          .flow()
          .to(paging.step, paging.setPage(draft, page), choiceMenu(options.hint, choices, page));
      }
      if (ctx.inbound.type !== 'text') return reply(views.choiceRetry(options.label, choices.length));
      const pick = pickChoice(choices, ctx.text);
      if (pick.kind === 'picked') return options.accept(ctx, draft, pick.choice.value);
      if (pick.kind === 'ambiguous') {
        const numbered = pick.choices.map((choice) => `${choices.indexOf(choice) + 1}. ${choice.label}`);
        return reply(views.choiceAmbiguous(ctx.text, numbered.slice(0, CHOICE_PAGE)));
      }
      return reply(views.choiceRetry(options.label, choices.length));
    },
  };
}

export interface DateStepOptions<D> {
  hint: string;
  /** For the year question (是/否): the flow and this step's name. */
  flow: () => KitFlow<D>;
  step: string;
  accept: Accept<D, DialogDeadline>;
}

/**
 * A deadline, read by the one date reader every dialog uses. A month-day on the wrong side of
 * today is not rolled over silently: the step asks about the year and reads 是 as that date, 否 as
 * "type it again", anything else as a new answer.
 */
export function dateStep<D>(options: DateStepOptions<D>): StepSpec<D> {
  return {
    hint: options.hint,
    run: async (ctx, draft, stored) => {
      if (ctx.inbound.type !== 'text' || !ctx.text) return reply(options.hint);
      let input = ctx.text;
      if (stored.pendingYear) {
        const answer = readYesNo(input);
        if (answer === 'no') return options.flow().to(options.step, draft, yearDeclined(ctx.now));
        if (answer === 'yes') input = stored.pendingYear;
      }
      const calendar = await ctx.services.calendar.get();
      const parsed = readDialogDeadline(input, { now: ctx.now, calendar });
      if (parsed.ok) return options.accept(ctx, draft, parsed.value);
      if (parsed.ask !== undefined) {
        return options.flow().toYearQuestion(options.step, draft, parsed.ask, parsed.error);
      }
      return options.flow().to(options.step, draft, parsed.error);
    },
  };
}

export interface ReadStepOptions<D, V> {
  hint: string;
  /** For the year question (是/否): the flow and this step's name. */
  flow: () => KitFlow<D>;
  step: string;
  /** The reader of the date phrase (e.g. readPastMoment): a value, an error, or a year question. */
  read: (input: string, ctx: HandlerContext) => DialogRead<V>;
  accept: Accept<D, V>;
}

/**
 * A date or time read by one of the calendar's readers (a past moment, a past day), with the
 * year question of dateStep: 是 reads as the date asked about, 否 asks again, anything else is new.
 */
export function readStep<D, V>(options: ReadStepOptions<D, V>): StepSpec<D> {
  return {
    hint: options.hint,
    run: async (ctx, draft, stored) => {
      if (ctx.inbound.type !== 'text' || !ctx.text) return reply(options.hint);
      let input = ctx.text;
      if (stored.pendingYear) {
        const answer = readYesNo(input);
        if (answer === 'no') return options.flow().to(options.step, draft, yearDeclined(ctx.now));
        if (answer === 'yes') input = stored.pendingYear;
      }
      const parsed = options.read(input, ctx);
      if (parsed.ok) return options.accept(ctx, draft, parsed.value);
      if (parsed.ask !== undefined) {
        return options.flow().toYearQuestion(options.step, draft, parsed.ask, parsed.error);
      }
      return options.flow().to(options.step, draft, parsed.error);
    },
  };
}

export interface ConfirmStepOptions<D> {
  /** 下发: what 确认 does, in 回复“确认”下发. */
  action: string;
  /** 修改 <field>: the step each field goes back to, with its prompt. */
  edits?: Record<string, { step: string; prompt: string }>;
  flow: () => KitFlow<D>;
  confirm: (ctx: HandlerContext, draft: D) => Promise<HandlerResult>;
  /**
   * What 否 (不, 不确认) does, for a preview of something that cannot be undone (收回域名): the
   * dialog ends saying nothing was done. Without it 否 is explained like any other answer.
   */
  decline?: (ctx: HandlerContext, draft: D) => Promise<HandlerResult> | HandlerResult;
}

/** A preview's answer: 确认 does it, 修改 <field> goes back to one step, anything else is explained. */
export function confirmStep<D>(options: ConfirmStepOptions<D>): StepSpec<D> {
  const fields = Object.keys(options.edits ?? {});
  return {
    hint: views.confirmPrompt(options.action, fields),
    run: async (ctx, draft) => {
      if (CONFIRM_WORDS.has(ctx.text)) return options.confirm(ctx, draft);
      if (options.decline && views.DECLINE_WORDS.has(ctx.text)) return options.decline(ctx, draft);
      const edit = /^修改\s*(\S+)$/.exec(ctx.text);
      const target = edit ? options.edits?.[edit[1]!] : undefined;
      if (target) return options.flow().to(target.step, draft, target.prompt);
      return reply(views.confirmRetry(options.action, fields));
    },
  };
}

export interface GatedTextOptions<D> {
  hint: string;
  label: string;
  maxChars: number;
  /**
   * A length rule of the flow's own (characters as a reader counts them, a maximum that depends
   * on the draft): the refusal to send, or undefined to take the text. Replaces the maxChars check.
   */
  checkLength?: (value: string, draft: D) => string | undefined;
  flow: () => KitFlow<D>;
  /** Keeps the text; `accepted` are the warnings the member confirmed (audit and store them). */
  accept: (
    ctx: HandlerContext,
    draft: D,
    value: string,
    accepted: PiiFindingSummary[],
  ) => Promise<HandlerResult>;
  /**
   * The revised text when the member retypes the whole command at the 确认 step (留言办结 L5 <新答复>
   * for the same L5), or null when the message is not that command. The flow's `claims` should
   * say yes to the same messages, so that the router hands them to the step.
   */
  revise?: (raw: string, draft: D) => string | null;
}

/** Where a gated text comes from: typed at the step, or given with the command that started it. */
export interface GateTextOptions {
  /**
   * The text came with a command (留言办结 L5 <答复>): a blocked text is refused without opening a
   * dialog, so that the member simply sends the command again.
   */
  inline?: boolean;
}

/**
 * The check of a gated text, for a text given with a command: pass → kept; block → refused
 * (nothing stored); warn → the `name:confirm` step of `gatedTextSteps(name, …)` waits for 确认.
 */
export function gateText<D>(
  name: string,
  options: GatedTextOptions<D>,
): (ctx: HandlerContext, draft: D, value: string, how?: GateTextOptions) => Promise<HandlerResult> {
  return async (ctx, draft, value, how = {}) => {
    const length = charCount(value);
    const refusal = options.checkLength
      ? options.checkLength(value, draft)
      : length > options.maxChars
        ? views.tooLong(options.label, options.maxChars, length)
        : undefined;
    if (refusal) return how.inline ? reply(refusal) : options.flow().to(name, draft, refusal);
    const gate = gateSubmission(value, ctx.services.config.piiAllowList);
    if (gate.outcome === 'pass') return options.accept(ctx, draft, value, []);
    if (gate.outcome === 'block') {
      return how.inline ? reply(gate.message) : options.flow().to(name, draft, gate.message);
    }
    const pending = { step: name, text: value, findings: summariseFindings(gate.findings) };
    return options.flow().toPending(`${name}:confirm`, draft, pending, gate.message);
  };
}

/**
 * A text that is checked for personal information before it is kept, as two steps: `name` takes
 * the text; `name:confirm` waits for 确认 after a warning (or a revised text, checked again). A
 * blocked text is refused and never stored, not even in the dialog.
 */
export function gatedTextSteps<D>(name: string, options: GatedTextOptions<D>): Record<string, StepSpec<D>> {
  const check = gateText(name, options);
  return {
    [name]: {
      hint: options.hint,
      takesText: true,
      run: async (ctx, draft) => {
        const typed = typedText(ctx, options.label, options.hint);
        return 'retry' in typed ? reply(typed.retry) : check(ctx, draft, typed.value);
      },
    },
    [`${name}:confirm`]: {
      hint: views.pendingTextHint(),
      takesText: true,
      run: async (ctx, draft, stored: StoredState<D>) => {
        const pending = stored.pending;
        if (!pending) return options.flow().to(name, draft, options.hint);
        if (ctx.inbound.type === 'text' && CONFIRM_WORDS.has(ctx.text)) {
          return options.accept(ctx, draft, pending.text, pending.findings);
        }
        const revised = ctx.inbound.type === 'text' ? options.revise?.(ctx.rawText.trim(), draft) : null;
        if (revised) return check(ctx, draft, revised);
        const typed = typedText(ctx, options.label, views.pendingTextRetry());
        return 'retry' in typed ? reply(typed.retry) : check(ctx, draft, typed.value);
      },
    },
  };
}

/** A markdown preview with the one confirmation line at its end. */
export function previewMessage(lines: string[], action: string, edits: readonly string[] = []) {
  return markdown([...lines, '', views.confirmPrompt(action, edits)].join('\n'));
}
