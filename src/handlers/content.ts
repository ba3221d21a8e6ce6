// How handlers read what members send: download with the kind's byte cap, then parse in the content
// pool; every refusal becomes one clear answer. A parse killed over a worker limit also quarantines
// the delivery (admins see it in 隔离消息 and may retry or drop it).
import type { MediaFile } from '../messages/inbound.js';
import { text } from '../messages/outbound.js';
import type { ContentKind } from '../services/content/limits.js';
import { killedWorker, type ContentRefusal } from '../services/content/refusals.js';
import { refusalText } from '../services/content/views.js';
import type { HandlerContext, HandlerResult } from './types.js';

export const RECEIVE_FAILED_TEXT = '文件接收失败，请重新发送。';

/** The answer to content that was not read; `next` keeps or ends the dialog as the caller wants. */
export function refusalResult(
  refusal: ContentRefusal,
  what: '文件' | '网页' = '文件',
  next?: HandlerResult['next'],
): HandlerResult {
  return {
    replies: [text(refusalText(refusal, what))],
    ...(next ? { next } : {}),
    ...(killedWorker(refusal) ? { quarantine: `content ${refusal.reason}` } : {}),
  };
}

/** A member's file, downloaded with the byte cap of `kind`, or the answer to give instead. */
export async function downloadMedia(
  ctx: HandlerContext,
  mediaId: string,
  kind: ContentKind,
): Promise<{ ok: true; file: MediaFile } | { ok: false; result: HandlerResult }> {
  const limitBytes = ctx.services.content.sizeLimit(kind);
  try {
    const download = await ctx.services.fetchMedia(mediaId, limitBytes);
    if (download.ok) return download;
    return { ok: false, result: refusalResult({ reason: 'too-large', kind, limitBytes }) };
  } catch (error) {
    ctx.services.logger.warn({ err: error, delivery: ctx.deliveryId }, 'could not fetch media');
    return { ok: false, result: { replies: [text(RECEIVE_FAILED_TEXT)] } };
  }
}
