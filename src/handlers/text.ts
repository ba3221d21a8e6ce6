/**
 * Normalises what a member typed for matching: NFKC turns full-width letters, digits and spaces
 * (ＡＢＣ１２３, the ideographic space) into their half-width forms; runs of spaces become one.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** Splits "审核 T12 通过" into the command word and the rest. */
export function splitCommand(text: string): { word: string; rest: string } {
  const index = text.indexOf(' ');
  return index < 0
    ? { word: text, rest: '' }
    : { word: text.slice(0, index), rest: text.slice(index + 1).trim() };
}

/**
 * What follows the command word in the text as typed (free text such as a reason is stored as the
 * member wrote it). Command words are Chinese, which NFKC leaves alone, so lengths line up.
 */
export function rawRest(raw: string, commandWord: string): string {
  const trimmed = raw.trim();
  return trimmed.normalize('NFKC').startsWith(commandWord) ? trimmed.slice(commandWord.length).trim() : '';
}
