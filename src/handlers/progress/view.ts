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
import * as views from './views.js';

export const GROUP = views.GROUP;

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
  summary: views.PROGRESS_SUMMARY,
  usage: views.PROGRESS_USAGE,
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
  summary: views.OVERDUE_SUMMARY,
  usage: views.OVERDUE_USAGE,
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
  summary: views.WEEKLY_SUMMARY,
  usage: views.WEEKLY_USAGE,
  args: 'optional',
  group: GROUP,
  handle: async (ctx) => {
    if (ctx.args) return reply(views.WEEKLY_HELP);
    const calendar = await ctx.services.calendar.get();
    return { replies: await weeklyReport(ctx.tx, calendar, ctx.now) };
  },
};
