// Importing the platform's export in chat: a supervisor sends the .xlsx/.csv directly (a file
// name containing 留言 or 找错) or after 留言导入 (then any name). Bad rows stop the whole import.
import { describeImportOutcome } from '../../services/guestbook/import-report.js';
import { text } from '../../messages/outbound.js';
import {
  HEADER_HINT,
  MESSAGE_COLUMNS,
  importMessages,
  isImportableSheet,
  newMessageNotices,
  readMessageSheet,
} from '../../services/guestbook/import.js';
import { notToldText } from '../../services/directory/lookup.js';
import { guestbookRef } from '../../services/guestbook/store.js';
import {
  SUPERVISORS,
  type Command,
  type FileRoute,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import { downloadMedia, refusalResult } from '../content.js';
import { effectsOf } from '../context.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { z } from 'zod';
import { GUESTBOOK_GROUP } from './views.js';
import * as views from './views.js';

export const IMPORT_FLOW = 'guestbook-import';

/**
 * File names this route claims without a 留言导入 first. Other features may accept spreadsheets
 * too (the directory import), so an arbitrary .xlsx is not taken for a guestbook export.
 */
export function looksLikeMessageExport(fileName: string): boolean {
  return isImportableSheet(fileName) && /留言|找错/.test(fileName);
}

const FORMAT_TEXT = views.importFormat(MESSAGE_COLUMNS);

async function importFile(ctx: HandlerContext): Promise<HandlerResult> {
  if (ctx.inbound.type !== 'file') return { replies: [text(views.importRetry(FORMAT_TEXT))] };
  const fileName = ctx.inbound.fileName ?? '';
  if (!isImportableSheet(fileName)) {
    return { replies: [text(views.notASheet(fileName, HEADER_HINT))] };
  }
  const download = await downloadMedia(ctx, ctx.inbound.mediaId, /\.csv$/i.test(fileName) ? 'csv' : 'xlsx');
  if (!download.ok) return download.result;
  const sheet = await readMessageSheet(ctx.services.content, fileName, download.file.data);
  if (!sheet.ok && 'refusal' in sheet) return refusalResult(sheet.refusal);
  if (!sheet.ok) return { replies: [text(sheet.error)] };
  const calendar = await ctx.services.calendar.get();
  const outcome = await importMessages(effectsOf(ctx), calendar, sheet.rows, {
    actor: ctx.user.userid,
    fileName,
    piiAllowList: ctx.services.config.piiAllowList,
  });
  const reply = describeImportOutcome(outcome);
  if (!outcome.ok) return { replies: [text(reply)] };
  const first = outcome.created[0];
  const { notify, unreached } = first
    ? await newMessageNotices(ctx.tx, outcome.created, `guestbook:import:${guestbookRef(first.message.id)}`)
    : { notify: [], unreached: [] };
  const note = unreached.length > 0 ? `\n${notToldText(unreached)}` : '';
  return { replies: [text(reply + note)], notify, next: 'end' };
}

export const importCommand: Command = {
  name: '留言导入',
  roles: SUPERVISORS,
  summary: views.GUESTBOOK_SUMMARIES.import,
  args: 'none',
  group: GUESTBOOK_GROUP,
  handle: async () => importFlow.to('file', {}, views.importAsk(FORMAT_TEXT)),
};

/** Nothing to keep: the step waits for the file. */
const Draft = z.object({});
type Draft = z.infer<typeof Draft>;

export const importFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: IMPORT_FLOW,
  version: 2,
  title: views.IMPORT_TITLE,
  roles: SUPERVISORS,
  schema: Draft,
  steps: { file: { hint: views.IMPORT_HINT, run: (ctx) => importFile(ctx) } },
});

export const importFileRoute: FileRoute = {
  accepts: (kind, fileName) => kind === 'file' && looksLikeMessageExport(fileName),
  roles: SUPERVISORS,
  handle: importFile,
};
