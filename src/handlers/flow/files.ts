// The kit's file-collection step: files and images sent during the step are downloaded at the
// content work's caps (per file, per collection, per member per day) and stored as draft uploads;
// a done word (完成, or the flow's own such as 提交) ends the collection; 取消 drops the drafts
// (the flow's `discard`, see discardFiles); drafts of a dialog never finished expire by themselves.
import { refusalText, dailyUploadsFullText, replyAttachmentsFullText } from '../../services/content/views.js';
import {
  dropCollected,
  keepDraftUpload,
  type CollectedFile,
  type UploadOutcome,
} from '../../services/content/uploads.js';
import { effectsOf } from '../context.js';
import { RECEIVE_FAILED_TEXT } from '../content.js';
import { reply, type HandlerContext, type HandlerResult } from '../types.js';
import type { KitFlow, StepSpec } from './kit.js';
import * as views from './views.js';

export type { CollectedFile } from '../../services/content/uploads.js';

export const DONE_WORD = views.DONE_WORD;

export interface FileStepOptions<D> {
  hint: string | ((draft: D) => string);
  flow: () => KitFlow<D>;
  step: string;
  files: (draft: D) => readonly CollectedFile[];
  withFiles: (draft: D, files: CollectedFile[]) => D;
  maxFiles: number;
  /** Words that end the collection besides 完成 (办理: 提交); the first is the one named in prompts. */
  doneWords?: readonly string[];
  /** How the collection is called in the cap's refusal: 本次办理. */
  what?: string;
  done: (ctx: HandlerContext, draft: D) => Promise<HandlerResult>;
  /** Text other than a done word (a reply's pieces); by default the person is told what to send. */
  text?: (ctx: HandlerContext, draft: D, value: string) => Promise<HandlerResult>;
  /** What is said once a file is kept; by default the count and how to finish. */
  kept?: (draft: D) => string;
}

function doneWordsOf<D>(options: Pick<FileStepOptions<D>, 'doneWords'>): { all: Set<string>; shown: string } {
  const words = options.doneWords ?? [];
  return { all: new Set([...words, DONE_WORD]), shown: words[0] ?? DONE_WORD };
}

function refusal(outcome: Exclude<UploadOutcome, { kind: 'kept' }>, what: string, doneWord: string): string {
  switch (outcome.kind) {
    case 'too-large':
      return refusalText({ reason: 'too-large', kind: 'attachment', limitBytes: outcome.limitBytes });
    case 'collection-full':
      return replyAttachmentsFullText(outcome.limitBytes, what, doneWord);
    case 'daily-full':
      return dailyUploadsFullText(outcome.limitBytes);
  }
}

/**
 * Keeps the file or image of this message as a draft of the collection: the updated draft, or the
 * answer to give instead (not a file, too many, a cap reached, the download failed).
 */
export async function collectFile<D>(
  ctx: HandlerContext,
  draft: D,
  options: Pick<FileStepOptions<D>, 'files' | 'withFiles' | 'maxFiles' | 'doneWords' | 'what'>,
): Promise<{ draft: D; file: CollectedFile } | { refused: HandlerResult }> {
  const { inbound } = ctx;
  const doneWord = doneWordsOf(options).shown;
  if (inbound.type !== 'file' && inbound.type !== 'image') return { refused: reply(views.mediaOnly()) };
  const files = options.files(draft);
  if (files.length >= options.maxFiles) {
    return { refused: reply(views.tooManyFiles(options.maxFiles, doneWord)) };
  }
  try {
    const outcome = await keepDraftUpload(
      effectsOf(ctx),
      {
        media: {
          type: inbound.type,
          mediaId: inbound.mediaId,
          fileName: inbound.type === 'file' ? inbound.fileName : undefined,
          msgId: inbound.msgId,
        },
        collectedBytes: files.reduce((sum, file) => sum + file.size, 0),
        limits: ctx.services.content.attachmentLimits,
        fetchMedia: ctx.services.fetchMedia,
      },
      { userid: ctx.user.userid },
    );
    if (outcome.kind !== 'kept') {
      return { refused: reply(refusal(outcome, options.what ?? views.COLLECTION, doneWord)) };
    }
    return { draft: options.withFiles(draft, [...files, outcome.file]), file: outcome.file };
  } catch (error) {
    ctx.services.logger.warn({ err: error, delivery: ctx.deliveryId }, 'could not fetch an attachment');
    return { refused: reply(RECEIVE_FAILED_TEXT) };
  }
}

/** Files and images until a done word; text goes to `text` (or is answered with what to send). */
export function fileCollectStep<D>(options: FileStepOptions<D>): StepSpec<D> {
  const { all, shown } = doneWordsOf(options);
  return {
    hint: options.hint,
    takesText: options.text !== undefined,
    run: async (ctx, draft) => {
      if (ctx.inbound.type === 'text') {
        if (all.has(ctx.text)) return options.done(ctx, draft);
        const value = ctx.rawText.trim();
        if (options.text && value) return options.text(ctx, draft, value);
        return reply(views.filesOnly(shown));
      }
      const collected = await collectFile(ctx, draft, options);
      if ('refused' in collected) return collected.refused;
      const said = options.kept
        ? options.kept(collected.draft)
        : views.fileKept(options.files(collected.draft).length, shown);
      return options.flow().to(options.step, collected.draft, said);
    },
  };
}

/** The flow's `discard` (取消): the collection's drafts are removed. */
export function discardFiles<D>(files: (draft: D) => readonly CollectedFile[]) {
  return async (ctx: HandlerContext, draft: D): Promise<void> => {
    await dropCollected(effectsOf(ctx), files(draft));
  };
}
