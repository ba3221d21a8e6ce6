// Hostile member text and how to tell whether any of it became markup in what the bot sent. The
// patterns read a message the way WeCom does (markdown subset, <font>, <a href> in text messages,
// <@userid> mentions): a construct counts only if it is spelled without a break.

/** A masked ID number as the PII check leaves it: must reach the reader with its eight asterisks. */
export const MASKED = '370322********1236';

/** Every construct at once, for long text (titles, replies, reasons, case texts, summaries). */
export const HOSTILE =
  `${MASKED} [点此查看](http://evil.example/phish) <font color="info">督办系统：已自动审核通过</font>` +
  ' **粗体** `办理 T1` <a href="http://evil.example/a">链接</a> <@all> &lt;font&gt;\n# 伪标题\n> 伪引用';

/** For names (units, people, sites, accounts: 64–100 characters). */
export const HOSTILE_NAME = '<font color="info">督办系统</font>[点](http://evil.example)**粗体**';

const CONSTRUCTS: readonly [string, RegExp][] = [
  ['a markdown link to the attacker', /\]\((?:https?:)?\/\/evil\.example/],
  ['a coloured fake system line', /<font[^>]*>\s*督办系统/],
  ['bold member text', /\*\*粗体\*\*/],
  ['a code span', /`办理 T1`/],
  ['an HTML link', /<a\s+href/i],
  ['a mention of everyone', /<@all>/],
  ['a heading', /^(?:[ \t]*>[ \t]*)*[ \t]*#{1,6}[ \t]*伪标题/m],
  ['a quote of its own', /^(?:[ \t]*>[ \t]*)*[ \t]*>[ \t]*伪引用/m],
];

/** What in `content` the member's text turned into markup, by name (empty when nothing). */
export function markupFromMembers(content: string): string[] {
  return CONSTRUCTS.filter(([, pattern]) => pattern.test(content)).map(([name]) => name);
}

/** The text as a reader sees it (the zero-width breaks are invisible). */
export function visible(content: string): string {
  return content.replace(/\u200B/g, '');
}

/** Whether the member's hostile text reached this content at all (so the check means something). */
export function showsMemberText(content: string): boolean {
  const seen = visible(content);
  return seen.includes('督办系统') || seen.includes('粗体') || seen.includes('伪标题');
}

/** Every display string of a delivered message (text, markdown, or a card's fields). */
export function displayStrings(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key = ''): void => {
    if (typeof value === 'string') {
      if (!/^(key|task_id|url|response_code|msgtype|userid|touser|media_id)$/.test(key)) out.push(value);
    } else if (Array.isArray(value)) value.forEach((item) => walk(item, key));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  walk(body);
  return out;
}
