import { memberText } from '../../messages/member-text.js';
import { markdown } from '../../messages/outbound.js';
import { MEDIA_PLATFORM_LABELS, type MediaPlatform } from '../../entities/media-account.js';
import { ROLE_LABELS } from '../../entities/person.js';
import { holdings, totalAccounts, unitIdsUnder, type Holdings } from '../../services/directory/lookup.js';
import { can, rolesWith } from '../../services/shared/permissions.js';
import type { Asker, Command } from '../types.js';

/** `微信公众号 437 · 新浪微博 90 · …` */
function byPlatform(holding: Holdings): string {
  return (Object.keys(MEDIA_PLATFORM_LABELS) as MediaPlatform[])
    .map((platform) => `${MEDIA_PLATFORM_LABELS[platform]} ${holding.accounts[platform]}`)
    .join(' · ');
}

function holdingLines(holding: Holdings): string[] {
  const lines = [
    `> 政府网站：${holding.websites} 个`,
    `> 政务新媒体：${totalAccounts(holding)} 个（${byPlatform(holding)}）`,
  ];
  if (holding.inactiveAccounts > 0) lines.push(`> 已关停或注销的账号：${holding.inactiveAccounts} 个`);
  return lines;
}

/** The asker's record and their top-level unit's websites and accounts; supervisors also the city. */
export function formatMyInfo(
  asker: Asker,
  own: { holding: Holdings; withSubUnits: boolean } | null,
  city: Holdings | null,
): string {
  const unit = asker.unit
    ? asker.topUnit && asker.topUnit.id !== asker.unit.id
      ? `${memberText(asker.unit.name)}（属${memberText(asker.topUnit.name)}）`
      : memberText(asker.unit.name)
    : '未登记';
  const lines = [
    '**我的信息**',
    `> 姓名：${memberText(asker.name)}`,
    `> 单位：${unit}`,
    `> 角色：${ROLE_LABELS[asker.role]}`,
  ];
  if (own && asker.topUnit) {
    lines.push(
      '',
      `**${memberText(asker.topUnit.name)}**${own.withSubUnits ? '（含下属单位）' : ''}`,
      ...holdingLines(own.holding),
    );
  }
  if (city) lines.push('', '**全市合计**', ...holdingLines(city));
  return lines.join('\n');
}

export const myInfoCommand: Command = {
  name: '我的信息',
  readOnly: true,
  aliases: ['我是谁'],
  roles: rolesWith('use'),
  summary: '本人登记信息，本单位的网站和新媒体账号数',
  args: 'none',
  group: '常用',
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
