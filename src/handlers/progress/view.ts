// 进度 (统计, 总览), 进度 <单位>, 逾期 and 周报: renderings of the one status model. A liaison's
// 进度 and 逾期 show their own top-level unit only.
import { boardUrl, unitBoardUrl } from '../../services/shared/board-links.js';
import { text } from '../../messages/outbound.js';
import { can, rolesWith } from '../../services/shared/permissions.js';
import { computeProgress, describeUnits } from '../../services/progress/model.js';
import {
  overdueMessages,
  progressMessages,
  unitDetailMessages,
  unitOverdueMessages,
} from '../../services/progress/views.js';
import { weeklyReport } from '../../services/progress/weekly-report.js';
import { READ_ONLY_ARGS, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { NO_UNIT_TEXT, namedUnit } from './common.js';

export const GROUP = '督办';

const reply = (message: string): HandlerResult => ({ replies: [text(message)] });

async function unitView(ctx: HandlerContext, unitId: number): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const [detail] = await describeUnits(ctx.tx, {
    now: ctx.now,
    calendar,
    unitIds: [unitId],
    lastReplies: true,
  });
  const pointer = can(ctx.user.role, 'export') ? 'export' : 'my-tasks';
  return {
    replies: unitDetailMessages(detail!, pointer, unitBoardUrl(ctx.services.config, unitId)),
  };
}

export const progressCommand: Command = {
  name: '进度',
  readOnly: READ_ONLY_ARGS.unit,
  aliases: ['统计', '总览'],
  roles: rolesWith('use'),
  summary: '督办进度：各批任务办理情况、逾期和临期单位；“进度 单位名”查看单位详情',
  usage: '进度 [单位]',
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    const seesAll = can(ctx.user.role, 'see-all-units');
    if (ctx.args) {
      const choice = await namedUnit(ctx, ctx.args, 'progress.view');
      return choice.ok ? unitView(ctx, choice.unit.id) : reply(choice.message);
    }
    if (!seesAll) return ctx.user.topUnit ? unitView(ctx, ctx.user.topUnit.id) : reply(NO_UNIT_TEXT);
    const calendar = await ctx.services.calendar.get();
    const model = await computeProgress(ctx.tx, { now: ctx.now, calendar });
    return { replies: progressMessages(model, boardUrl(ctx.services.config)) };
  },
};

export const overdueCommand: Command = {
  name: '逾期',
  readOnly: READ_ONLY_ARGS.unit,
  roles: rolesWith('use'),
  summary: '逾期和临期（今天或下一个工作日截止）的单位；“逾期 单位名”看该单位的事项，联络员看本单位的',
  usage: '逾期 [单位]',
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    let unitId: number | undefined;
    if (ctx.args) {
      const choice = await namedUnit(ctx, ctx.args, 'progress.view');
      if (!choice.ok) return reply(choice.message);
      unitId = choice.unit.id;
    } else if (!can(ctx.user.role, 'see-all-units')) {
      if (!ctx.user.topUnit) return reply(NO_UNIT_TEXT);
      unitId = ctx.user.topUnit.id;
    }
    const calendar = await ctx.services.calendar.get();
    if (unitId !== undefined) {
      const [detail] = await describeUnits(ctx.tx, { now: ctx.now, calendar, unitIds: [unitId] });
      return { replies: unitOverdueMessages(detail!, ctx.now) };
    }
    const model = await computeProgress(ctx.tx, { now: ctx.now, calendar });
    return { replies: overdueMessages(model) };
  },
};

export const weeklyCommand: Command = {
  name: '周报',
  readOnly: true,
  roles: rolesWith('see-all-units'),
  summary: '本周督办周报（可直接转发；每周五16:00也会自动发送）',
  usage: '周报',
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    if (ctx.args) return reply('用法：周报（本周一至今的督办情况）');
    const calendar = await ctx.services.calendar.get();
    return { replies: await weeklyReport(ctx.tx, calendar, ctx.now) };
  },
};
