// 留言列表: open messages of the asker's unit (all units for supervisors), most urgent first.
import { memberText } from '../../messages/member-text.js';
import { markdown, text } from '../../messages/outbound.js';
import { colourTag, deadlineLine, viewDeadline } from '../../services/calendar/deadline-text.js';
import { resolveUnitNames, unknownUnitText } from '../../services/directory/lookup.js';
import { clip, isSupervisorRole } from '../../services/shared/duty.js';
import { guestbookRef, openMessages } from '../../services/guestbook/store.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { READ_ONLY_ARGS, ALL_ROLES, type Command } from '../types.js';

import { GUESTBOOK_GROUP } from './views.js';
import * as views from './views.js';

export const listCommand: Command = {
  name: '留言列表',
  readOnly: READ_ONLY_ARGS.unit,
  roles: ALL_ROLES,
  summary: views.GUESTBOOK_SUMMARIES.list,
  usage: views.LIST_USAGE,
  args: 'optional',
  group: GUESTBOOK_GROUP,
  handle: async (ctx) => {
    const supervisor = isSupervisorRole(ctx.user.role);
    let topUnitIds: number[] | undefined;
    let scope = views.ALL_UNITS;
    if (!supervisor) {
      if (!ctx.user.topUnit) return { replies: [text(NO_UNIT_TEXT)] };
      topUnitIds = [ctx.user.topUnit.id];
      scope = memberText(ctx.user.topUnit.name);
    } else if (ctx.args !== '') {
      const resolved = await resolveUnitNames(ctx.tx, ctx.args);
      if (resolved.unknown.length > 0 || resolved.units.length === 0) {
        return { replies: [text(unknownUnitText(ctx.args, resolved.unknown[0]?.suggestions ?? []))] };
      }
      topUnitIds = resolved.units.map((unit) => unit.id);
      scope = resolved.units.map((unit) => memberText(unit.name)).join('、');
    }
    const open = await openMessages(ctx.tx, topUnitIds);
    if (open.length === 0) return { replies: [text(views.listEmpty(scope))] };
    const calendar = await ctx.services.calendar.get();
    const lines = [views.listHeading(scope, open.length)];
    for (const { message, website, unit } of open) {
      const view = viewDeadline(calendar, message.deadline, ctx.now, message.deadlineEstimated);
      const who = supervisor && !topUnitIds ? `${memberText(unit?.name ?? '—')} · ` : '';
      lines.push(
        `${colourTag(view.colour)} **${guestbookRef(message.id)}** ${who}${memberText(website?.name ?? views.SITE_FALLBACK)}：${memberText(clip(message.summary, 24).replace(/\s+/g, ' '))}`,
        `> ${deadlineLine(view)}${message.reviewStatus === 'pending' ? views.IN_REVIEW_TAG : ''}`,
      );
    }
    lines.push('', views.LIST_FOOTER);
    return { replies: [markdown(lines.join('\n'))] };
  },
};
