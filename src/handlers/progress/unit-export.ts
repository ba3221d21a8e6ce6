// 导出本单位 [征集N|T编号]: a unit's own 《政府网站、政务新媒体典型做法信息表》 (services/cases/export.ts,
// limited to the unit) and its 落实情况 document (services/unit-export/), sent as files for the
// liaison to print, stamp and upload to 协同办公系统. Always the asker's own top-level unit.
import { saveDocx, saveXlsx } from '../../db/files.js';
import type { CaseCall } from '../../entities/case-call.js';
import { text, type OutMessage } from '../../messages/outbound.js';
import { buildCaseExport } from '../../services/cases/export.js';
import { parseCallRef } from '../../services/cases/rules.js';
import { chooseCall, openCalls } from '../../services/cases/store.js';
import { noCallText, callName } from '../../services/cases/views.js';
import { rolesWith } from '../../services/shared/permissions.js';
import { parseTaskRef, taskRef } from '../../services/tasks/text.js';
import { buildUnitReport } from '../../services/unit-export/report.js';
import { unitReportGroups, type ReportSelection } from '../../services/unit-export/select.js';
import {
  NOTHING_TO_EXPORT_TEXT,
  NO_UNIT_EXPORT_TEXT,
  UNIT_EXPORT_USAGE,
  USAGE_TEXT,
  infoTableReplyText,
  reportReplyText,
  taskNotFoundText,
} from '../../services/unit-export/views.js';
import type { Command, HandlerContext, HandlerResult } from '../types.js';
import { GROUP } from './view.js';
import { UNIT_EXPORT_SUMMARY } from './views.js';

type Wanted = { report: ReportSelection | null; call: 'current' | number | null };

/** No argument: both; 征集N: the info table only; T12: the 落实情况 of T12's batch only. */
function parseWanted(args: string): Wanted | null {
  const trimmed = args.normalize('NFKC').trim();
  if (trimmed === '') return { report: { kind: 'open' }, call: 'current' };
  if (/^征集/u.test(trimmed)) {
    const id = parseCallRef(trimmed);
    return id === null ? null : { report: null, call: id };
  }
  if (/^[Tt]/.test(trimmed)) {
    const id = parseTaskRef(trimmed);
    return id === null ? null : { report: { kind: 'task', taskId: id }, call: null };
  }
  return null;
}

/** The call of the info table: the one named, else the only (or latest) open one, else the latest. */
async function pickCall(ctx: HandlerContext, wanted: 'current' | number): Promise<CaseCall | string | null> {
  if (wanted === 'current') {
    const open = await openCalls(ctx.tx);
    if (open.length > 0) return open.at(-1)!;
    const latest = await chooseCall(ctx.tx, '', { includeClosed: true });
    return latest.kind === 'one' ? latest.call : null;
  }
  const choice = await chooseCall(ctx.tx, `征集${wanted}`, { includeClosed: true });
  return choice.kind === 'one' ? choice.call : choice.kind === 'none' ? noCallText(choice) : null;
}

export const unitExportCommand: Command = {
  name: '导出本单位',
  readOnly: /^(征集\s*\d{1,9}|[Tt]\d{1,9})?$/u,
  roles: rolesWith('use'),
  summary: UNIT_EXPORT_SUMMARY,
  usage: UNIT_EXPORT_USAGE,
  args: 'optional',
  group: GROUP,
  handle: async (ctx): Promise<HandlerResult> => {
    const unit = ctx.user.topUnit;
    if (!unit) return { replies: [text(NO_UNIT_EXPORT_TEXT)] };
    const wanted = parseWanted(ctx.args);
    if (!wanted) return { replies: [text(USAGE_TEXT)] };
    const replies: OutMessage[] = [];
    const files: string[] = [];

    if (wanted.report) {
      const calendar = await ctx.services.calendar.get();
      const choice = await unitReportGroups(ctx.tx, unit.id, wanted.report, { now: ctx.now, calendar });
      if (choice.kind === 'not-found') return { replies: [text(taskNotFoundText(taskRef(choice.taskId)))] };
      if (choice.kind === 'ok') {
        const report = await buildUnitReport(unit.name, choice.groups, ctx.now);
        const stored = await saveDocx(ctx.tx, report, ctx.user.userid, ctx.now);
        files.push(`file:${stored.id}`);
        replies.push(text(reportReplyText(unit.name, choice.groups)), { type: 'file', fileId: stored.id });
      }
    }

    if (wanted.call !== null) {
      const call = await pickCall(ctx, wanted.call);
      if (typeof call === 'string') return { replies: [text(call)] };
      if (call) {
        const built = await buildCaseExport(ctx.tx, call, ctx.now, { id: unit.id, name: unit.name });
        const stored = await saveXlsx(ctx.tx, built, ctx.user.userid, ctx.now);
        files.push(`file:${stored.id}`);
        replies.push(text(infoTableReplyText(unit.name, callName(call), built.caseCount)), {
          type: 'file',
          fileId: stored.id,
        });
      }
    }

    if (replies.length === 0) return { replies: [text(NOTHING_TO_EXPORT_TEXT)] };
    await ctx.services.audit({
      actor: ctx.user.userid,
      action: 'unit.export',
      target: `unit:${unit.id}`,
      detail: files.join('，'),
    });
    return { replies };
  },
};
