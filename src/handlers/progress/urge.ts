// 催办 <单位|T12|L5|征集2|全部逾期>: reminds the liaisons now, audits who pushed whom, and says
// how many were reminded (the rules are in services/progress/urge.ts).
import { text } from '../../messages/outbound.js';
import { rolesWith } from '../../services/shared/permissions.js';
import { parseUrgeTarget, planUrge, recordUrges } from '../../services/progress/urge.js';
import { URGE_VIEW_KEY, urgeAnswerText } from '../../services/progress/views.js';
import type { CardAction, Command } from '../types.js';
import { GROUP, progressCommand } from './view.js';
import * as views from './views.js';

export const urgeCommand: Command = {
  name: '催办',
  roles: rolesWith('supervise'),
  summary: views.URGE_SUMMARY,
  usage: views.URGE_USAGE,
  args: 'required',
  group: GROUP,
  handle: async (ctx) => {
    const target = parseUrgeTarget(ctx.args);
    if (!target) return { replies: [text(views.URGE_HELP)] };
    const calendar = await ctx.services.calendar.get();
    const outcome = await planUrge(ctx.tx, target, {
      now: ctx.now,
      calendar,
      urger: { userid: ctx.user.userid, name: ctx.user.name },
    });
    for (const entry of outcome.audits) await ctx.services.audit(entry);
    await recordUrges(ctx.tx, outcome.log);
    return { replies: [text(urgeAnswerText(outcome.answer))], notify: outcome.notify };
  },
};

/** 查看本单位待办 on a 催办 card: the clicker's own 进度 (a liaison's is their unit's open items). */
export const urgeViewAction: CardAction = {
  prefix: URGE_VIEW_KEY,
  roles: progressCommand.roles,
  label: views.URGE_VIEW_LABEL,
  handle: (ctx) => progressCommand.handle({ ...ctx, args: '', rawArgs: '' }),
};
