// 检查: the personal-information check before publication, in chat. Text after the command, the
// next message, or a .txt/.docx/.html file sent as the next message.
import { text } from '../../bot/messages.js';
import { formatPiiReport } from '../../services/pii-report.js';
import { detectPii } from '../../services/pii.js';
import { extractText, isSupportedFile } from '../../services/text-extract.js';
import { ALL_ROLES, type Feature, type Flow, type HandlerContext, type HandlerResult } from '../types.js';

const FLOW = 'pii-check';

function report(ctx: HandlerContext, content: string): HandlerResult {
  const findings = detectPii(content, { allowList: ctx.services.config.piiAllowList });
  return { replies: [text(formatPiiReport(content, findings))], next: 'end' };
}

async function fromFile(ctx: HandlerContext): Promise<HandlerResult> {
  if (ctx.inbound.type !== 'file') {
    return { replies: [text('请发送要检查的文字，或 .txt / .docx / .html 文件；发送“取消”退出。')] };
  }
  const fileName = ctx.inbound.fileName ?? '';
  if (!isSupportedFile(fileName)) {
    return {
      replies: [
        text(`暂不支持检查“${fileName || '该文件'}”，请发送 .txt / .docx / .html 文件或直接粘贴文字。`),
      ],
    };
  }
  const media = await ctx.services.fetchMedia(ctx.inbound.mediaId);
  const extracted = await extractText(fileName, media.data);
  if (!extracted.ok) return { replies: [text(extracted.error)] };
  if (!extracted.text.trim()) return { replies: [text('文件中没有可检查的文字。')], next: 'end' };
  return report(ctx, extracted.text);
}

const flow: Flow = {
  name: FLOW,
  version: 1,
  steps: {
    waiting: async (ctx) =>
      ctx.inbound.type === 'text' && ctx.rawText.trim() ? report(ctx, ctx.rawText) : fromFile(ctx),
  },
};

export const piiCheckFeature: Feature = {
  name: 'pii-check',
  flows: [flow],
  commands: [
    {
      name: '检查',
      aliases: ['检查个人信息'],
      roles: ALL_ROLES,
      summary: '发布前检查文字或文件中的个人信息（身份证号、手机号、银行卡号、健康信息等）',
      usage: '检查 <文字>',
      args: 'optional',
      group: '个人信息保护',
      handle: async (ctx) => {
        if (ctx.rawArgs) return report(ctx, ctx.rawArgs);
        return {
          replies: [
            text('请发送要检查的文字（可直接粘贴稿件），或发送 .txt / .docx / .html 文件。发送“取消”退出。'),
          ],
          next: { flow: FLOW, step: 'waiting', data: {} },
        };
      },
    },
  ],
};
