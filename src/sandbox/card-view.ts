// How the chat console shows what WeCom would show: markdown, and template cards with every field
// (doc 90236) — a field left out here reads to an evaluator as one the bot left out. Times are
// Asia/Shanghai, the time the bot speaks, whatever the machine's zone.
import type { TemplateCard } from '../messages/outbound.js';

const ANSI = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  reset: '\x1b[0m',
};
const PLAIN = Object.fromEntries(Object.keys(ANSI).map((key) => [key, ''])) as typeof ANSI;

export function palette(colour: boolean): typeof ANSI {
  return colour ? ANSI : PLAIN;
}

/** Markdown as WeCom renders it, approximated for a terminal. */
export function renderMarkdown(content: string, colour = true): string {
  const c = palette(colour);
  return content
    .replace(/<font color="info">(.*?)<\/font>/g, `${c.green}$1${c.reset}`)
    .replace(/<font color="warning">(.*?)<\/font>/g, `${c.yellow}$1${c.reset}`)
    .replace(/<font color="comment">(.*?)<\/font>/g, `${c.dim}$1${c.reset}`)
    .replace(/\*\*(.+?)\*\*/g, `${c.bold}$1${c.reset}`)
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, `$1 <${c.cyan}$2${c.reset}>`)
    .replace(/^#+\s*(.*)$/gm, `${c.bold}$1${c.reset}`)
    .replace(/^>\s?/gm, '  ');
}

const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const SHANGHAI_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `15:30` in Asia/Shanghai; `12-04 15:30` when it was another day there than `now`. */
export function shanghaiClock(at: Date, now: Date): string {
  const day = SHANGHAI_DAY.format(at);
  const time = SHANGHAI_TIME.format(at);
  return day === SHANGHAI_DAY.format(now) ? time : `${day.slice(5)} ${time}`;
}

/** What happened to a card after it was sent (doc 94888: update_template_card, or a passive reply). */
export interface CardState {
  /** Every button replaced by one greyed button with this text (update_button). */
  replaceName?: string;
  /** The whole card was replaced by this one; its buttons cannot be clicked again. */
  replacedBy?: TemplateCard;
}

/** desc_color of the source line: 0 grey (default), 1 black, 2 red, 3 green. */
function sourceColour(c: typeof ANSI, code: number | undefined): string {
  return code === 2 ? c.red : code === 3 ? c.green : code === 1 ? '' : c.dim;
}

function horizontalValue(c: typeof ANSI, item: NonNullable<TemplateCard['horizontal_content_list']>[number]) {
  const value = item.value ?? '';
  if (item.type === 1 && item.url) return `${value} <${c.cyan}${item.url}${c.reset}>`;
  if (item.type === 2) return `${value}（附件）`;
  if (item.type === 3 && item.userid) return `${value || item.userid}（成员 ${item.userid}）`;
  return value;
}

/** Each line of a possibly multi-line text, behind the card's left border. */
function block(prefix: string, text: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}

/**
 * A template card as text. Clickable buttons are numbered from `firstNumber`; without it (an old
 * card) or after an update they are shown with their state and no number.
 */
export function renderCard(
  card: TemplateCard,
  options: { firstNumber?: number; state?: CardState; colour?: boolean } = {},
): string {
  const c = palette(options.colour ?? false);
  const shown = options.state?.replacedBy ?? card;
  const lines: string[] = [];
  const source = shown.source?.desc
    ? `${sourceColour(c, shown.source.desc_color)}${shown.source.desc}${c.reset} · `
    : '';
  lines.push(`┌ ${source}${c.bold}${shown.main_title.title}${c.reset}`);
  if (shown.main_title.desc) lines.push(...block('│ ', shown.main_title.desc));
  if (shown.emphasis_content) {
    const { title, desc } = shown.emphasis_content;
    lines.push(`│ ${c.bold}${title}${c.reset}${desc ? `  ${desc}` : ''}`);
  }
  const quote = shown.quote_area;
  if (quote && (quote.title || quote.quote_text)) {
    if (quote.title) lines.push(`│ ▎${c.bold}${quote.title}${c.reset}`);
    if (quote.quote_text) lines.push(...block('│ ▎', quote.quote_text));
    if (quote.type === 1 && quote.url) lines.push(`│ ▎<${c.cyan}${quote.url}${c.reset}>`);
  }
  if (shown.sub_title_text) lines.push(...block('│ ', shown.sub_title_text));
  for (const item of shown.horizontal_content_list ?? []) {
    lines.push(`│ ${c.dim}${item.keyname}${c.reset}  ${horizontalValue(c, item)}`);
  }
  for (const jump of shown.jump_list ?? []) lines.push(`│ ↗ ${jump.title} <${c.cyan}${jump.url}${c.reset}>`);
  if (shown.card_action?.url)
    lines.push(`│ ${c.dim}点击卡片打开${c.reset} <${c.cyan}${shown.card_action.url}${c.reset}>`);
  lines.push(...buttonLines(c, shown, options));
  lines.push('└');
  return lines.join('\n');
}

function buttonLines(
  c: typeof ANSI,
  shown: TemplateCard,
  options: { firstNumber?: number; state?: CardState },
): string[] {
  const greyed = (label: string) => `│ ${c.dim}〔${label}〕（已更新，不可点击）${c.reset}`;
  if (options.state?.replaceName) return [greyed(options.state.replaceName)];
  if (shown.replace_text) return [greyed(shown.replace_text)];
  const buttons = shown.button_list ?? [];
  if (buttons.length === 0) return [];
  if (options.state?.replacedBy || options.firstNumber === undefined) {
    return [`│ ${c.dim}${buttons.map((button) => `〔${button.text}〕`).join(' ')}（不可点击）${c.reset}`];
  }
  return [
    `│ ${buttons.map((button, i) => `${c.bold}[${options.firstNumber! + i}]${c.reset} ${button.text}`).join('  ')}`,
  ];
}
