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
import { downloadMedia, refusalResult } from '../content.js';
import { ALL_ROLES, type Feature, type Flow, type HandlerContext, type HandlerResult } from '../types.js';

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
      sizeKind === 'page' ? '网页' : '文件',
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
  const title = shared.title ? `《${[...shared.title].slice(0, 40).join('')}》` : '';
  const sharedText = [shared.title, shared.description].filter(Boolean).join('\n');
  const unread = (error: string): HandlerResult => {
    if (!sharedText) return { replies: [text(`${error}可将文章文字粘贴发送，或发送文件。`)], next: 'end' };
    // What WeCom passed along can still be checked; say plainly that the body was not.
    return report(ctx, sharedText, `文章${title}正文未能读取：${error}以下只检查了标题和摘要。`);
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
      heading: `文章${title}（${new URL(page.url).host}）：`,
      empty: '该链接的网页中没有可检查的文字。',
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
    return { replies: [text('请发送要检查的文字，或 .txt / .docx / .html 文件；发送“取消”退出。')] };
  }
  const fileName = ctx.inbound.fileName ?? '';
  const format = textFormatOf(fileName);
  if (!format) {
    return {
      replies: [
        text(`暂不支持检查“${fileName || '该文件'}”，请发送 .txt / .docx / .html 文件或直接粘贴文字。`),
      ],
    };
  }
  const media = await downloadMedia(ctx, ctx.inbound.mediaId, format);
  if (!media.ok) return media.result;
  const result = await checked(ctx, media.file.data, format, format, { empty: '文件中没有可检查的文字。' });
  return 'error' in result ? { replies: [text(result.error)] } : result;
}

const flow: Flow = {
  name: FLOW,
  version: 1,
  title: '检查个人信息',
  roles: ALL_ROLES,
  steps: {
    waiting: async (ctx) => {
      if (ctx.inbound.type !== 'text') return fromLink(ctx);
      const typed = ctx.rawText.trim();
      if (!typed) return fromFile(ctx);
      return URL_ONLY.test(typed) ? fromArticle(ctx, typed) : report(ctx, ctx.rawText);
    },
  },
};

export const piiCheckFeature: Feature = {
  name: 'pii-check',
  flows: [flow],
  // A link forwarded outside any dialog: the article is checked straight away.
  files: [{ accepts: (kind) => kind === 'link', roles: ALL_ROLES, handle: fromLink }],
  commands: [
    {
      name: '检查',
      readOnly: true,
      aliases: ['检查个人信息'],
      roles: ALL_ROLES,
      summary: '发布前检查文字或文件中的个人信息（身份证号、手机号、银行卡号、健康信息等）',
      usage: '检查 <文字>',
      args: 'optional',
      group: '个人信息保护',
      handle: async (ctx) => {
        if (URL_ONLY.test(ctx.rawArgs.trim())) return fromArticle(ctx, ctx.rawArgs.trim());
        if (ctx.rawArgs) return report(ctx, ctx.rawArgs);
        return {
          replies: [
            text(
              '请发送要检查的文字（可直接粘贴稿件），或发送 .txt / .docx / .html 文件、转发文章链接。发送“取消”退出。',
            ),
          ],
          next: { flow: FLOW, step: 'waiting', data: {} },
        };
      },
    },
  ],
};
