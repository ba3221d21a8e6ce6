// The readable text of an HTML page, in one pass over htmlparser2's tokenizer events: no document
// tree is built. html-to-text (used before) builds the whole tree and then lays tables out in
// columns; measured on 1.8–2 MB pages: 62 MB of heap for the tree of a table page, 23 s for 100,000
// one-cell rows and 72 s for one row of 190,000 cells (superlinear in the table's size), so a large
// but real statistics page was refused at the time limit. Here time and memory grow with the text.
//
// What the PII check needs of the layout is kept: blocks and rows on lines of their own, table cells
// apart (a tab, so 张三 and 13812345678 in neighbouring cells never read as one token), a link's
// address after its text (a mailto: or a tel: address is personal information too), and nothing of
// scripts, styles or the head.
import { Parser } from 'htmlparser2';

/** Elements whose content is never text a reader sees. */
const SKIPPED = new Set('head script style noscript template svg math iframe object'.split(' '));

/** Elements set off by a blank line (PARAGRAPHS) or on a line of their own (LINES). */
const PARAGRAPHS = new Set('p h1 h2 h3 h4 h5 h6 blockquote pre table ul ol dl hr'.split(' '));
const LINES = new Set(
  'address article aside body caption center dd details dialog div dt fieldset figcaption figure footer form header legend li main nav option section summary tr'.split(
    ' ',
  ),
);
const CELLS = new Set(['td', 'th']);

/** Placeholders for block boundaries until tidy() merges neighbouring ones; removed from the
 * page's own text (a &#1; decodes to one) so that only the reader's own are merged. */
const LINE_BREAK = '\u0001';
const PARAGRAPH_BREAK = '\u0002';
const PLACEHOLDER = new RegExp(`[${LINE_BREAK}${PARAGRAPH_BREAK}]`, 'g');
const BOUNDARY_RUN = new RegExp(
  `[ \\t\\u00a0]*[${LINE_BREAK}${PARAGRAPH_BREAK}][${LINE_BREAK}${PARAGRAPH_BREAK} \\t\\u00a0]*`,
  'g',
);

/** A link's address worth showing after its text: not a jump within the page, not a script. */
function shownAddress(href: string | undefined): string | undefined {
  const value = href?.trim();
  if (!value || value.startsWith('#') || /^javascript:/i.test(value)) return undefined;
  return value.replace(/^(mailto|tel):/i, '');
}

export function readableHtmlText(html: string): string {
  const parts: string[] = [];
  let skipDepth = 0;
  let preDepth = 0;
  const links: (string | undefined)[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (skipDepth > 0 || SKIPPED.has(name)) {
          skipDepth++;
          return;
        }
        if (PARAGRAPHS.has(name)) parts.push(PARAGRAPH_BREAK);
        else if (LINES.has(name)) parts.push(LINE_BREAK);
        else if (name === 'br') parts.push('\n');
        if (name === 'pre') preDepth++;
        if (name === 'a') links.push(shownAddress(attributes.href));
      },
      ontext(text) {
        if (skipDepth > 0) return;
        const own = text.replace(PLACEHOLDER, '');
        parts.push(preDepth > 0 ? own : own.replace(/[ \t\n\r\f]+/g, ' '));
      },
      onclosetag(name) {
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        if (PARAGRAPHS.has(name)) parts.push(PARAGRAPH_BREAK);
        else if (LINES.has(name)) parts.push(LINE_BREAK);
        else if (CELLS.has(name)) parts.push('\t');
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (name === 'a') {
          const address = links.pop();
          if (address) parts.push(` [${address}]`);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return tidy(parts.join(''));
}

/**
 * Block boundaries meet as one: a row ending and the next starting are one new line, and a blank
 * line wherever a paragraph-like element is among them. Then spaces and cell tabs at the ends of
 * lines are dropped, at most one blank line is kept in a row, and none at either end.
 */
function tidy(text: string): string {
  return text
    .replace(BOUNDARY_RUN, (run) => (run.includes(PARAGRAPH_BREAK) ? '\n\n' : '\n'))
    .replace(/[ \t\u00a0]*\n[ \t\u00a0]*/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
