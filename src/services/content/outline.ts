// The outline of an HTML page, for the readers of the units' sites (the site patrol, repost
// checks): its title, headings, links (resolved against the page's address, with their text) and
// the dated items of its lists (a column page's 2026-12-03 entries). Parsed with htmlparser2; runs
// only inside the content worker (parsers.ts, job kind 'outline'), never on the main thread.
import { Parser } from 'htmlparser2';

export interface OutlineLink {
  /** Absolute address (fragment dropped); only http(s) links are kept. */
  href: string;
  text: string;
}

export interface DatedItem {
  /** The date written in the item, YYYY-MM-DD. */
  date: string;
  /** The item's link text (or its own text without the date). */
  text: string;
  href?: string;
}

export interface PageOutline {
  title: string;
  headings: { level: number; text: string }[];
  links: OutlineLink[];
  dated: DatedItem[];
}

/** Caps so a hostile page cannot make the answer huge. */
export const OUTLINE_LIMITS = { links: 2000, headings: 200, dated: 1000, textChars: 200 } as const;

const DATE = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/;

/** The first full date written in `text` as YYYY-MM-DD, or undefined (impossible dates too). */
export function findDate(text: string): string | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(year, month - 1, day));
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day)
    return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, OUTLINE_LIMITS.textChars);
}

function resolve(href: string, base: URL): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.toString();
  } catch {
    return undefined;
  }
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template']);
const ITEMS = new Set(['li', 'tr', 'dd']);

export function outlineHtml(html: string, pageUrl: string): PageOutline {
  let base: URL;
  try {
    base = new URL(pageUrl);
  } catch {
    base = new URL('http://invalid.invalid/');
  }
  const outline: PageOutline = { title: '', headings: [], links: [], dated: [] };
  let skipping = 0;
  let title: string | undefined;
  let inTitle = false;
  let heading: { level: number; text: string } | undefined;
  let link: { href: string | undefined; text: string } | undefined;
  /** Open list items (nested lists: the innermost gets the text; each outer one gets it too). */
  const items: { text: string; href?: string; linkText?: string; datedInside?: boolean }[] = [];

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (SKIPPED.has(name)) skipping++;
        if (skipping) return;
        if (name === 'title' && title === undefined) {
          title = '';
          inTitle = true;
        } else if (/^h[1-6]$/.test(name)) heading = { level: Number(name[1]), text: '' };
        else if (name === 'a' && attributes.href !== undefined)
          link = { href: resolve(attributes.href, base), text: '' };
        else if (name === 'base' && attributes.href) {
          const resolved = resolve(attributes.href, base);
          if (resolved) base = new URL(resolved);
        } else if (ITEMS.has(name)) items.push({ text: '' });
      },
      ontext(text) {
        if (skipping) return;
        if (inTitle) title += text;
        if (heading) heading.text += text;
        if (link) link.text += text;
        for (const item of items) if (item.text.length < 4000) item.text += text;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping) return;
        if (name === 'title' && inTitle) {
          inTitle = false;
          outline.title = squash(title ?? '');
        } else if (heading && name === `h${heading.level}`) {
          if (outline.headings.length < OUTLINE_LIMITS.headings && heading.text.trim())
            outline.headings.push({ level: heading.level, text: squash(heading.text) });
          heading = undefined;
        } else if (name === 'a' && link) {
          if (link.href && outline.links.length < OUTLINE_LIMITS.links)
            outline.links.push({ href: link.href, text: squash(link.text) });
          const innermost = items.at(-1);
          if (innermost && link.href && innermost.href === undefined) {
            innermost.href = link.href;
            innermost.linkText = squash(link.text);
          }
          link = undefined;
        } else if (ITEMS.has(name)) {
          const item = items.pop();
          if (!item) return;
          const date = item.datedInside ? undefined : findDate(item.text);
          if (date) for (const outer of items) outer.datedInside = true;
          if (date && outline.dated.length < OUTLINE_LIMITS.dated) {
            const text = item.linkText || squash(item.text.replace(DATE, ' '));
            outline.dated.push({ date, text, ...(item.href ? { href: item.href } : {}) });
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return outline;
}
