import { markdown } from '../bot/messages.js';
import { ROLE_LABELS } from '../entities/person.js';
import type { Command, HandlerContext, HandlerResult } from './types.js';

/** The one line an unknown or deactivated user gets; nothing else happens. */
export const UNKNOWN_USER_TEXT = '您尚未登记为联络员或督办人员，请联系市大数据局电子政务科。';

/** 帮助: only the commands of the asker's role, grouped. */
export function helpReply(ctx: HandlerContext, commands: Command[], note?: string): HandlerResult {
  const mine = commands.filter((command) => command.roles.includes(ctx.user.role) && command.summary);
  const groups = new Map<string, Command[]>();
  for (const command of mine) {
    const group = command.group ?? '常用';
    groups.set(group, [...(groups.get(group) ?? []), command]);
  }
  const lines: string[] = [];
  if (note) lines.push(`<font color="warning">${note}</font>`, '');
  lines.push(`**督办助手**（${ROLE_LABELS[ctx.user.role]}：${ctx.user.name}）`);
  for (const [group, list] of groups) {
    lines.push('', `**${group}**`);
    for (const command of list) {
      lines.push(`> \`${command.usage ?? command.name}\` ${command.summary}`);
    }
  }
  lines.push('', '<font color="comment">多步操作中随时发送“取消”退出。</font>');
  return { replies: [markdown(lines.join('\n'))] };
}

/** 帮助 needs the whole command list, so it is built from it. */
export function helpCommand(commands: () => Command[]): Command {
  return {
    name: '帮助',
    aliases: ['help', '菜单', '?'],
    roles: ['liaison', 'supervisor', 'admin'],
    summary: '查看可用指令',
    args: 'none',
    group: '常用',
    handle: async (ctx) => helpReply(ctx, commands()),
  };
}
