// 催办 <单位|T12|L5|征集2|全部逾期>: reminds the liaisons now, audits who pushed whom, and says
// how many were reminded (the rules are in services/progress/urge.ts).
import { text } from '../../messages/outbound.js';
import { rolesWith } from '../../services/shared/permissions.js';
import { parseUrgeTarget, planUrge, recordUrges } from '../../services/progress/urge.js';
import { URGE_VIEW_KEY } from '../../services/progress/views.js';
import type { CardAction, Command } from '../types.js';
import { GROUP, progressCommand } from './view.js';

const USAGE = '催办 单位名｜T12｜全部逾期';

export const urgeCommand: Command = {
  name: '催办',
  roles: rolesWith('supervise'),
  summary: '立即提醒单位联络员办理（单位名、任务编号或“全部逾期”；同一事项每天提醒一次）',
  usage: USAGE,
  args: 'required',
  group: GROUP,
  handle: async (ctx) => {
    const target = parseUrgeTarget(ctx.args);
    if (!target) return { replies: [text(`用法：${USAGE}`)] };
    const calendar = await ctx.services.calendar.get();
    const outcome = await planUrge(ctx.tx, target, {
      now: ctx.now,
      calendar,
      urger: { userid: ctx.user.userid, name: ctx.user.name },
    });
    for (const entry of outcome.audits) await ctx.services.audit(entry);
    await recordUrges(ctx.tx, outcome.log);
    return { replies: [text(outcome.reply)], notify: outcome.notify };
  },
};

/** 查看本单位待办 on a 催办 card: the clicker's own 进度 (a liaison's is their unit's open items). */
export const urgeViewAction: CardAction = {
  prefix: URGE_VIEW_KEY,
  roles: progressCommand.roles,
  label: '查看本单位待办',
  handle: (ctx) => progressCommand.handle({ ...ctx, args: '', rawArgs: '' }),
};
