// 检查: the personal-information check before publication, in chat. Text after the command, the
// next message, a .txt/.docx/.html file sent as the next message, or an article: a link forwarded
// to the bot (outside other dialogs, or after 检查) or an address after the command. A file or page
// is read, checked and reported on in the content worker: only typed text is checked here.
import { text } from '../../messages/outbound.js';
import { formatPiiReport } from '../../services/pii/report.js';
import { detectPii } from '../../services/pii/detector.js';
import type { ContentKind } from '../../services/content/limits.js';
import type { TextFormat } from '../../services/content/parsers.js';
import { textFormatOf } from '../../services/content/text-extract.js';
import { z } from 'zod';
import { downloadMedia, refusalResult } from '../content.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { ALL_ROLES, type Feature, type HandlerContext, type HandlerResult } from '../types.js';
import * as views from './views.js';

const FLOW = 'pii-check';

function report(ctx: HandlerContext, content: string, heading?: string): HandlerResult {
  const findings = detectPii(content, { allowList: ctx.services.config.piiAllowList });
  return { replies: [text(formatPiiReport(content, findings, heading))], next: 'end' };
}

const URL_ONLY = /^https?:\/\/\S+$/i;

/** The report on a file or page, worked out in the content worker (text, detector and report). */
async function checked(
  ctx: HandlerContext,
  data: Buffer,
  format: TextFormat,
  sizeKind: ContentKind,
  extra: { prefix?: string; heading?: string; empty: string },
): Promise<HandlerResult | { error: string }> {
  const allowList = [...ctx.services.config.piiAllowList];
  const parsed = await ctx.services.content.parse(
    'pii-check',
    data,
    { format, allowList, ...extra },
    sizeKind,
  );
  if (!parsed.ok)
    return refusalResult(
      parsed.refusal,
      sizeKind === 'page' ? views.PAGE_NOUN : views.FILE_NOUN,
      sizeKind === 'page' ? 'end' : undefined,
    );
  const outcome = parsed.value;
  if (outcome.ok) return { replies: [text(outcome.report)], next: 'end' };
  if ('empty' in outcome) return { replies: [text(extra.empty)], next: 'end' };
  return { error: outcome.error };
}

/** The article behind a link: its title and summary as shared, and the page's own text. */
async function fromArticle(
  ctx: HandlerContext,
  url: string,
  shared: { title: string; description: string } = { title: '', description: '' },
): Promise<HandlerResult> {
  const page = await ctx.services.content.fetchPage(url);
  const title = views.articleTitle(shared.title);
  const sharedText = [shared.title, shared.description].filter(Boolean).join('\n');
  const unread = (error: string): HandlerResult => {
    if (!sharedText) return { replies: [text(views.unreadPage(error))], next: 'end' };
    // What WeCom passed along can still be checked; say plainly that the body was not.
    return report(ctx, sharedText, views.sharedOnlyHeading(title, error));
  };
  if (!page.ok) return unread(page.error);
  const result = await checked(
    ctx,
    page.body,
    /text\/plain/i.test(page.contentType) ? 'txt' : 'html',
    'page',
    {
      prefix: sharedText,
      // The site, not the whole address: 公众号 links run to hundreds of characters.
      heading: views.articleHeading(title, new URL(page.url).host),
      empty: views.EMPTY_PAGE,
    },
  );
  return 'error' in result ? unread(result.error) : result;
}

async function fromLink(ctx: HandlerContext): Promise<HandlerResult> {
  if (ctx.inbound.type !== 'link') return fromFile(ctx);
  const { url, title, description } = ctx.inbound;
  return fromArticle(ctx, url, { title, description });
}

async function fromFile(ctx: HandlerContext): Promise<HandlerResult> {
  if (ctx.inbound.type !== 'file') {
    return { replies: [text(views.SEND_TEXT_OR_FILE)] };
  }
  const fileName = ctx.inbound.fileName ?? '';
  const format = textFormatOf(fileName);
  if (!format) {
    return { replies: [text(views.unsupportedFile(fileName))] };
  }
  const media = await downloadMedia(ctx, ctx.inbound.mediaId, format);
  if (!media.ok) return media.result;
  const result = await checked(ctx, media.file.data, format, format, { empty: views.EMPTY_FILE });
  return 'error' in result ? { replies: [text(result.error)] } : result;
}

/** Nothing to keep between messages: the dialog only waits for the text, file or link. */
const Draft = z.object({}).strict();
type Draft = z.infer<typeof Draft>;

export const piiCheckFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOW,
  version: 2,
  title: views.FLOW_TITLE,
  roles: ALL_ROLES,
  schema: Draft,
  steps: {
    waiting: {
      hint: views.WAITING_HINT,
      // A pasted draft may start with a command word: it is what is to be checked.
      takesText: true,
      run: async (ctx) => {
        if (ctx.inbound.type !== 'text') return fromLink(ctx);
        const typed = ctx.rawText.trim();
        if (!typed) return fromFile(ctx);
        return URL_ONLY.test(typed) ? fromArticle(ctx, typed) : report(ctx, ctx.rawText);
      },
    },
  },
});

export const piiCheckFeature: Feature = {
  name: 'pii-check',
  flows: [piiCheckFlow],
  // A link forwarded outside any dialog: the article is checked straight away.
  files: [{ accepts: (kind) => kind === 'link', roles: ALL_ROLES, handle: fromLink }],
  commands: [
    {
      name: '检查',
      readOnly: true,
      aliases: ['检查个人信息'],
      roles: ALL_ROLES,
      summary: views.SUMMARY,
      usage: views.USAGE,
      args: 'optional',
      group: views.GROUP,
      handle: async (ctx) => {
        if (URL_ONLY.test(ctx.rawArgs.trim())) return fromArticle(ctx, ctx.rawArgs.trim());
        if (ctx.rawArgs) return report(ctx, ctx.rawArgs);
        return piiCheckFlow.to('waiting', {}, views.START_TEXT);
      },
    },
  ],
};
