// 我的信息: the asker's record and their unit's websites and accounts (the city's for supervisors).
import { markdown } from '../../messages/outbound.js';
import { holdings, unitIdsUnder, type Holdings } from '../../services/directory/lookup.js';
import { can, rolesWith } from '../../services/shared/permissions.js';
import type { Command } from '../types.js';
import { MY_INFO_GROUP, MY_INFO_SUMMARY, formatMyInfo } from './views.js';

export const myInfoCommand: Command = {
  name: '我的信息',
  readOnly: true,
  // A supervisor's answer counts the city's websites and accounts.
  light: ['liaison'],
  aliases: ['我是谁'],
  roles: rolesWith('use'),
  summary: MY_INFO_SUMMARY,
  args: 'none',
  group: MY_INFO_GROUP,
  handle: async (ctx) => {
    let own: { holding: Holdings; withSubUnits: boolean } | null = null;
    if (ctx.user.topUnit) {
      const unitIds = await unitIdsUnder(ctx.tx, ctx.user.topUnit.id);
      own = { holding: await holdings(ctx.tx, unitIds), withSubUnits: unitIds.length > 1 };
    }
    const city = can(ctx.user.role, 'see-all-units') ? await holdings(ctx.tx) : null;
    return { replies: [markdown(formatMyInfo(ctx.user, own, city))] };
  },
};
