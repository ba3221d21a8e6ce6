// What members typed, shown back in a message: the one function every view puts a member-supplied
// string through (task titles and replies, reasons, case texts, unit and file names, filings,
// domains, guestbook answers, broadcasts). WeCom renders a subset of markdown in markdown messages
// (links [x](url), <font color>, **bold**, # headings, `code`, > quotes), <a href> links in text
// messages and <@userid> mentions in robot messages; a member's text must not become any of them
// (a live phishing link, a fake 督办系统 line in green, a heading). WeCom has no escape character,
// so each construct is broken with an invisible ZERO WIDTH SPACE where it starts: every character
// the member typed stays visible as typed (a masked 370322********1236 keeps its eight asterisks)
// and nothing is interpreted. Bidirectional overrides and control characters, which can make a
// line read differently from what it says, are removed.

const ZWSP = '\u200B';

/** Bidi embeddings, overrides and isolates; C0/C1 controls other than tab and newline. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * The member's text, safe inside markdown, a template card or a text message. Idempotent: a value
 * neutralised twice reads the same.
 */
export function memberText(value: string | null | undefined): string {
  if (!value) return '';
  return (
    value
      .replace(INVISIBLE, '')
      .replace(/\r\n?/g, '\n')
      // **bold**: no two asterisks stay adjacent.
      .replace(/\*(?!\u200B)/g, `*${ZWSP}`)
      // [text](url): the bracket is not followed by the parenthesis.
      .replace(/\](?!\u200B)/g, `]${ZWSP}`)
      // <font …>, </font>, <a href>, <@userid>: no tag or mention can open.
      .replace(/<(?!\u200B)/g, `<${ZWSP}`)
      // &lt; and friends cannot spell a tag.
      .replace(/&(?!\u200B)/g, `&${ZWSP}`)
      // `code` spans have no zero-width break: the backtick becomes its look-alike ˋ (U+02CB).
      .replace(/`/g, 'ˋ')
      // # headings and > quotes only count at the start of a line.
      .replace(/^([ \t]*)(?!\u200B)(?=[#>])/gm, `$1${ZWSP}`)
  );
}
