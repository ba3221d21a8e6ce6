// The dialog side of a year question (12月1日 typed on 5 December: 是指明年的 2027-12-01 吗？).
// The pure reader returns the question and the canonical text of the date asked about; a step keeps
// that text in its data, and on the next message reads 是 as that text, 否 as "type it again", and
// anything else as a fresh answer. Small on purpose: any step that reads a date wraps itself in it.
import { YEAR_DECLINED } from '../services/calendar/date-replies.js';
import { readYesNo } from '../services/calendar/year-choice.js';
import { reply, type ConversationNext, type HandlerResult } from './types.js';

const PENDING = 'pendingYear';

export type YearAnswer =
  /** What the step should read now: the date asked about (after 是) or the new message. */
  | { input: string; data: Record<string, unknown> }
  /** 否: the step answered already; stay at the step with `data`. */
  | { declined: HandlerResult };

/** Reads the member's message against a pending year question, if the step has one. */
export function takeYearAnswer(
  input: string,
  data: Record<string, unknown>,
  stay: (data: Record<string, unknown>) => ConversationNext,
): YearAnswer {
  const pending = data[PENDING];
  if (typeof pending !== 'string') return { input, data };
  const { [PENDING]: _asked, ...rest } = data;
  const answer = readYesNo(input);
  if (answer === 'yes') return { input: pending, data: rest };
  if (answer === 'no') return { declined: reply(YEAR_DECLINED, stay(rest)) };
  return { input, data: rest };
}

/** Asks the question and stays at the step, remembering what 是 stands for. */
export function askYear(
  question: string,
  canonical: string,
  data: Record<string, unknown>,
  stay: (data: Record<string, unknown>) => ConversationNext,
): HandlerResult {
  return reply(question, stay({ ...data, [PENDING]: canonical }));
}

/** A read that failed: the year question (remembered) or a plain error (step unchanged). */
export function failedRead(
  failure: { error: string; ask?: string },
  data: Record<string, unknown>,
  stay: (data: Record<string, unknown>) => ConversationNext,
): HandlerResult {
  return failure.ask === undefined
    ? reply(failure.error, stay(data))
    : askYear(failure.error, failure.ask, data, stay);
}
