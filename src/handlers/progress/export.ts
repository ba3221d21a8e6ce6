// 导出进度: the progress workbook (services/progress/export.ts), stored and sent as a file.
import { text } from '../../messages/outbound.js';
import { saveXlsx } from '../../db/files.js';
import { rolesWith } from '../../services/shared/permissions.js';
import { buildProgressExport } from '../../services/progress/export.js';
import { READ_ONLY_ARGS, type Command } from '../types.js';
import { namedUnit } from './common.js';
import { GROUP } from './view.js';

export const exportCommand: Command = {
  name: '导出进度',
  readOnly: READ_ONLY_ARGS.unit,
  roles: rolesWith('export'),
  summary: '导出进度表 Excel：每项任务一行（红黄绿标色），另附各单位汇总和转载明细；可只导出一个单位',
  usage: '导出进度 [单位]',
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    let topUnitIds: number[] | undefined;
    if (ctx.args) {
      const choice = await namedUnit(ctx, ctx.args, 'progress.export');
      if (!choice.ok) return { replies: [text(choice.message)] };
      topUnitIds = [choice.unit.id];
    }
    const calendar = await ctx.services.calendar.get();
    const built = await buildProgressExport(ctx.tx, { now: ctx.now, calendar, topUnitIds });
    if (built.taskCount === 0 && !built.repostCount)
      return { replies: [text('目前没有未办结的任务批次，无需导出。')] };
    const stored = await saveXlsx(ctx.tx, built, ctx.user.userid, ctx.now);
    await ctx.services.audit({
      actor: ctx.user.userid,
      action: 'progress.export',
      target: `file:${stored.id}`,
      detail: `${built.taskCount} 项任务，${built.unitCount} 个单位`,
    });
    const { totals } = built.model;
    return {
      replies: [
        text(
          `进度表：${built.taskCount} 项任务（逾期 ${totals.overdue} 项），${built.unitCount} 个单位，` +
            `见下方文件（第2页为各单位汇总${built.repostCount ? `，第3页为转载明细 ${built.repostCount} 行` : ''}）。`,
        ),
        { type: 'file', fileId: stored.id },
      ],
    };
  },
};
