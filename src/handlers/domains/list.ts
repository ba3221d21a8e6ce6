// 域名列表 [全部]: a liaison sees their unit's names, supervisors every unit's.
import { memberText } from '../../messages/member-text.js';
import { markdown } from '../../messages/outbound.js';
import { allocationName, listDomains } from '../../services/domains/store.js';
import { isSupervisorRole } from '../../services/shared/duty.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { ALL_ROLES, reply, type Command } from '../types.js';
import * as views from './views.js';

export const domainListCommand: Command = {
  name: '域名列表',
  readOnly: true,
  roles: ALL_ROLES,
  summary: views.DOMAIN_SUMMARIES.list,
  usage: views.LIST_USAGE,
  args: 'optional',
  group: views.DOMAIN_GROUP,
  handle: async (ctx) => {
    const supervisor = isSupervisorRole(ctx.user.role);
    if (!supervisor && !ctx.user.topUnit) return reply(NO_UNIT_TEXT);
    const all = ctx.args === '全部';
    const rows = await listDomains(ctx.tx, {
      all,
      topUnitIds: supervisor ? undefined : [ctx.user.topUnit!.id],
    });
    const scope = supervisor ? views.ALL_UNITS_SCOPE : memberText(ctx.user.topUnit!.name);
    if (rows.length === 0) return reply(views.listEmpty(scope, all));
    return { replies: [markdown(views.list(scope, rows, (row) => allocationName(row.allocation)))] };
  },
};
