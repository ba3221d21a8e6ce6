// 导出进度: the progress workbook (services/progress/export.ts), stored and sent as a file.
import { text } from '../../messages/outbound.js';
import { saveXlsx } from '../../db/files.js';
import { rolesWith } from '../../services/shared/permissions.js';
import { buildProgressExport } from '../../services/progress/export.js';
import { exportEmptyText } from '../../services/progress/views.js';
import { READ_ONLY_ARGS, type Command } from '../types.js';
import { namedUnit } from './common.js';
import { GROUP } from './view.js';
import * as views from './views.js';

export const exportCommand: Command = {
  name: '导出进度',
  readOnly: READ_ONLY_ARGS.unit,
  roles: rolesWith('export'),
  summary: views.EXPORT_SUMMARY,
  usage: views.EXPORT_USAGE,
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    let topUnitIds: number[] | undefined;
    let unitName: string | undefined;
    if (ctx.args) {
      const choice = await namedUnit(ctx, ctx.args, 'progress.export');
      if (!choice.ok) return { replies: [text(choice.message)] };
      topUnitIds = [choice.unit.id];
      unitName = choice.unit.name;
    }
    const calendar = await ctx.services.calendar.get();
    const built = await buildProgressExport(ctx.tx, { now: ctx.now, calendar, topUnitIds });
    if (built.taskCount === 0 && !built.repostCount) return { replies: [text(exportEmptyText(unitName))] };
    const stored = await saveXlsx(ctx.tx, built, ctx.user.userid, ctx.now);
    await ctx.services.audit({
      actor: ctx.user.userid,
      action: 'progress.export',
      target: `file:${stored.id}`,
      detail: views.exportAudit(built.taskCount, built.unitCount),
    });
    const { totals } = built.model;
    return {
      replies: [
        text(views.exportReply(built.taskCount, totals.overdue, built.unitCount, built.repostCount)),
        { type: 'file', fileId: stored.id },
      ],
    };
  },
};
