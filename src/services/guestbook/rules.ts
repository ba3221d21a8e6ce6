// Pure rules of guestbook answers: whether an answer goes to review first (the unit's setting, else
// the city-wide one), the quality hints a liaison sees before it is sent, and whether an answer
// counts as on time. No I/O.

/** Where a review setting applies: every unit, or one top-level unit (which wins over the city). */
export type ReviewScope = { kind: 'city' } | { kind: 'unit'; topUnitId: number };

export function scopeKey(scope: ReviewScope): string {
  return scope.kind === 'city' ? 'city' : `unit:${scope.topUnitId}`;
}

/** The unit's own setting when there is one, else the city-wide one, else off. */
export function reviewApplies(city: boolean | undefined, unit: boolean | undefined): boolean {
  return unit ?? city ?? false;
}

/** A quality hint on an answer (personal information is the PII gate's, which blocks or warns). */
export type AnswerHint =
  { kind: 'short'; length: number; min: number } | { kind: 'opening' } | { kind: 'outcome' };

/** Shorter than this, an answer rarely says what was wrong, what was done and when. */
export const MIN_ANSWER_CHARS = 15;

const OPENINGS = /^(您好|你好|尊敬的|感谢|谢谢)/u;

/**
 * Words that say what came of the message: done, corrected, explained, or why not. 已于12月5日修复
 * is the usual way to date it: 已于 …, then the verb, within the clause.
 */
const OUTCOMES =
  /(已(经)?(于[^，。；,;]{1,16}?)?(修复|修改|更正|纠正|更新|整改|处理|办理|完善|补充|恢复|删除|撤下|下线|上线|发布|公开|答复|回复|解决|调整|核实|补正|增加|替换)|经核(实|查)|不属于|无法|暂不|将于|计划于|正在)/u;

export function answerHints(answer: string): AnswerHint[] {
  const text = answer.normalize('NFKC').trim();
  const hints: AnswerHint[] = [];
  const length = [...text.replace(/\s+/g, '')].length;
  if (length < MIN_ANSWER_CHARS) hints.push({ kind: 'short', length, min: MIN_ANSWER_CHARS });
  if (!OPENINGS.test(text)) hints.push({ kind: 'opening' });
  if (!OUTCOMES.test(text)) hints.push({ kind: 'outcome' });
  return hints;
}

/**
 * Whether an answer counts as on time. The instant that counts is when the answer that was finally
 * accepted was submitted (`submittedAt`), not when a reviewer approved it: the unit controls the
 * first, the office the second, and the review must not make a unit late (nor a slow review hide a
 * late answer). A returned answer counts for nothing: the clock runs on until an answer is submitted
 * that is then approved.
 */
export function answeredOnTime(submittedAt: Date, deadline: Date): boolean {
  return submittedAt.getTime() < deadline.getTime();
}
