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

/** Elements whose content is code, never text a reader sees (every other element's text is read). */
const SKIPPED = new Set(['script', 'style']);

/** Elements set off by a blank line (PARAGRAPHS) or on a line of their own (LINES). */
const PARAGRAPHS = new Set('title p h1 h2 h3 h4 h5 h6 blockquote pre table ul ol dl hr'.split(' '));
const LINES = new Set(
  'address article aside body caption center dd details dialog div dt fieldset figcaption figure footer form header legend li main nav option section summary tr'.split(
    ' ',
  ),
);
const CELLS = new Set(['td', 'th']);

/** What may stand between two pieces of text, weakest first: nothing, a space, a cell's tab, a line break, a blank line. */
const SEPARATORS = ['', ' ', '\t', '\n', '\n\n'] as const;
type Separator = 0 | 1 | 2 | 3 | 4;
const SPACE: Separator = 1;
const CELL: Separator = 2;
const LINE: Separator = 3;
const BLANK_LINE: Separator = 4;

/**
 * The text as it is collected: boundaries only raise the separator the next piece of text will get,
 * so neighbouring boundaries and the whitespace between them become one separator, and none is
 * written at either end. Every step is constant work per event (no pass over the text afterwards:
 * patterns over long runs of spaces and boundaries were quadratic).
 */
class TextWriter {
  private readonly parts: string[] = [];
  private pending: Separator = 0;

  separate(separator: Separator): void {
    if (separator > this.pending) this.pending = separator;
  }

  /** A line break; a second one in a row leaves a blank line, more add nothing. */
  lineBreak(): void {
    this.pending = this.pending >= LINE ? BLANK_LINE : LINE;
  }

  write(text: string): void {
    if (text === '') return;
    if (this.pending > 0 && this.parts.length > 0) this.parts.push(SEPARATORS[this.pending]);
    this.pending = 0;
    this.parts.push(text);
  }

  /** Text outside <pre>: whitespace collapsed as a browser shows it, its ends as separators. */
  writeCollapsed(text: string): void {
    const collapsed = text.replace(/[ \t\n\r\f]+/g, ' ');
    const leading = collapsed.startsWith(' ');
    const trailing = collapsed.length > 1 && collapsed.endsWith(' ');
    if (leading) this.separate(SPACE);
    this.write(collapsed.slice(leading ? 1 : 0, trailing ? -1 : undefined));
    if (trailing) this.separate(SPACE);
  }

  toString(): string {
    return this.parts.join('');
  }
}

/** A link's address worth showing after its text: not a jump within the page, not a script. */
function shownAddress(href: string | undefined): string | undefined {
  const value = href?.trim();
  if (!value || value.startsWith('#') || /^javascript:/i.test(value)) return undefined;
  return value.replace(/^(mailto|tel):/i, '');
}

export function readableHtmlText(html: string): string {
  const text = new TextWriter();
  let skipDepth = 0;
  let preDepth = 0;
  const links: (string | undefined)[] = [];
  const boundary = (name: string): void => {
    if (PARAGRAPHS.has(name)) text.separate(BLANK_LINE);
    else if (LINES.has(name)) text.separate(LINE);
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (skipDepth > 0 || SKIPPED.has(name)) {
          skipDepth++;
          return;
        }
        boundary(name);
        if (name === 'br') text.lineBreak();
        if (name === 'pre') preDepth++;
        if (name === 'a') links.push(shownAddress(attributes.href));
      },
      ontext(data) {
        if (skipDepth > 0) return;
        if (preDepth > 0) text.write(data);
        else text.writeCollapsed(data);
      },
      onclosetag(name) {
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        boundary(name);
        if (CELLS.has(name)) text.separate(CELL);
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (name === 'a') {
          const address = links.pop();
          if (address) {
            text.separate(SPACE);
            text.write(`[${address}]`);
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return text.toString();
}
