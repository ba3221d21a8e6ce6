// What the bot sends, independent of transport, and how it becomes WeCom JSON.
import { randomBytes } from 'node:crypto';
import { memberText } from './member-text.js';

/** WeCom template card (doc 90236 §template_card): the fields this bot uses. */
export interface TemplateCard {
  card_type:
    'text_notice' | 'button_interaction' | 'news_notice' | 'vote_interaction' | 'multiple_interaction';
  task_id?: string;
  source?: { desc: string; desc_color?: 0 | 1 | 2 | 3; icon_url?: string };
  main_title: { title: string; desc?: string };
  emphasis_content?: { title: string; desc?: string };
  quote_area?: { type?: 0 | 1; url?: string; title?: string; quote_text?: string };
  sub_title_text?: string;
  horizontal_content_list?: {
    keyname: string;
    value?: string;
    type?: 0 | 1 | 2 | 3;
    url?: string;
    userid?: string;
  }[];
  jump_list?: { type: 1; title: string; url: string }[];
  card_action?: { type: 1; url: string };
  button_list?: { text: string; style?: 1 | 2 | 3 | 4; key: string }[];
  /** Shown greyed out instead of the buttons (after an update). */
  replace_text?: string;
}

/**
 * A template-card task_id (doc 90236): unique per app forever, only digits, letters and `_-@`,
 * ≤ 128 bytes. Built from the kind, the row id and the recipient (characters WeCom refuses become
 * `_`) with a random suffix, so that a card sent again for the same row (or after a database is
 * restored and ids repeat) gets a new id.
 */
export function cardTaskId(
  kind: string,
  id: number,
  recipient: string,
  random: string = randomBytes(4).toString('hex'),
): string {
  const safe = (value: string) => value.replace(/[^A-Za-z0-9_@-]/g, '_');
  return `${safe(kind)}-${id}-${safe(recipient).slice(0, 64)}-${safe(random)}`.slice(0, 128);
}

export type OutMessage =
  | { type: 'text'; content: string }
  | { type: 'markdown'; content: string }
  | { type: 'card'; card: TemplateCard }
  | { type: 'file'; fileId: number };

/** Answers to a template-card click: change the clicked button, or the whole card. */
export type CardUpdate =
  { type: 'updateButton'; replaceName: string } | { type: 'updateCard'; card: TemplateCard };

export const text = (content: string): OutMessage => ({ type: 'text', content });
export const markdown = (content: string): OutMessage => ({ type: 'markdown', content });

/** WeCom's cap for text and markdown content (bytes of UTF-8). */
export const MAX_CONTENT_BYTES = 2048;

/**
 * Splits content into parts of at most `maxBytes` UTF-8 bytes, at line boundaries where possible
 * and never inside a character, so that each part reads on its own and the order is kept.
 */
export function splitContent(content: string, maxBytes = MAX_CONTENT_BYTES): string[] {
  if (Buffer.byteLength(content, 'utf8') <= maxBytes) return [content];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') parts.push(current.replace(/\n+$/, ''));
    current = '';
  };
  for (const line of content.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (Buffer.byteLength(candidate, 'utf8') <= maxBytes) {
      current = candidate;
      continue;
    }
    flush();
    if (Buffer.byteLength(line, 'utf8') <= maxBytes) {
      current = line;
      continue;
    }
    // A single line longer than the cap: cut it by characters.
    let piece = '';
    for (const char of line) {
      if (Buffer.byteLength(piece + char, 'utf8') > maxBytes) {
        parts.push(piece);
        piece = '';
      }
      piece += char;
    }
    current = piece;
  }
  flush();
  return parts.filter((part) => part.trim() !== '');
}

/** Expands over-long text/markdown into ordered parts; other messages pass through. */
export function splitMessage(message: OutMessage): OutMessage[] {
  if (message.type !== 'text' && message.type !== 'markdown') return [message];
  return splitContent(message.content).map((content) => ({ type: message.type, content }));
}

/** The message/send body fields for one message (touser and agentid are added at send time). */
export function toSendPayload(message: OutMessage): Record<string, unknown> {
  switch (message.type) {
    case 'text':
      return { msgtype: 'text', text: { content: message.content } };
    case 'markdown':
      return { msgtype: 'markdown', markdown: { content: message.content } };
    case 'card':
      return { msgtype: 'template_card', template_card: shownCard(message.card) };
    case 'file':
      // The stored file is uploaded (media/upload) by the dispatcher just before sending.
      return { msgtype: 'file', file: { stored_file_id: message.fileId } };
  }
}

/**
 * A card as sent: every text a member may have written (titles, quotes, field values) goes through
 * memberText here, at the one place every card passes. A card holds no markup of the bot's own, so
 * all its display texts are treated alike; keys, ids and URLs are left as they are.
 */
export function shownCard(card: TemplateCard): TemplateCard {
  const show = (value: string | undefined) => (value === undefined ? undefined : memberText(value));
  return {
    ...card,
    ...(card.source ? { source: { ...card.source, desc: memberText(card.source.desc) } } : {}),
    main_title: { title: memberText(card.main_title.title), desc: show(card.main_title.desc) },
    ...(card.emphasis_content
      ? {
          emphasis_content: {
            title: memberText(card.emphasis_content.title),
            desc: show(card.emphasis_content.desc),
          },
        }
      : {}),
    ...(card.quote_area
      ? {
          quote_area: {
            ...card.quote_area,
            title: show(card.quote_area.title),
            quote_text: show(card.quote_area.quote_text),
          },
        }
      : {}),
    ...(card.sub_title_text !== undefined ? { sub_title_text: memberText(card.sub_title_text) } : {}),
    ...(card.horizontal_content_list
      ? {
          horizontal_content_list: card.horizontal_content_list.map((row) => ({
            ...row,
            keyname: memberText(row.keyname),
            ...(row.value !== undefined ? { value: memberText(row.value) } : {}),
          })),
        }
      : {}),
    ...(card.jump_list
      ? { jump_list: card.jump_list.map((jump) => ({ ...jump, title: memberText(jump.title) })) }
      : {}),
    ...(card.replace_text !== undefined ? { replace_text: memberText(card.replace_text) } : {}),
  };
}

/** Plain text for places that cannot render markdown (logs, console, passive fallbacks). */
export function markdownToPlain(content: string): string {
  return content
    .replace(/<font[^>]*>(.*?)<\/font>/g, '$1')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1（$2）')
    .replace(/^#+\s*/gm, '')
    .replace(/^>\s?/gm, '');
}

/** A message to other members (not the asker), each recipient getting one outbox row. */
export interface Notification {
  to: string[];
  message: OutMessage;
  /** Unique for this logical notification; the recipient is appended per row. */
  key: string;
  source?: string;
  notBefore?: Date;
}
