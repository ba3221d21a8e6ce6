import { markdown, MAX_CONTENT_BYTES, text } from '../messages/outbound.js';
import { ROLE_LABELS } from '../entities/person.js';
import type { Command, HandlerContext, HandlerResult } from './types.js';

/** The one line an unknown or deactivated user gets; nothing else happens. */
export const UNKNOWN_USER_TEXT = '您尚未登记为联络员或督办人员，请联系市大数据局电子政务科。';

function groupsOf(commands: Command[]): Map<string, Command[]> {
  const groups = new Map<string, Command[]>();
  for (const command of commands) {
    const group = command.group ?? '常用';
    groups.set(group, [...(groups.get(group) ?? []), command]);
  }
  return groups;
}

/**
 * 帮助: only the commands of the asker's role, grouped, in one message: with usage and summary
 * when that fits WeCom's 2048 bytes, otherwise as a compact list (details by `帮助 <指令>`).
 */
export function helpReply(ctx: HandlerContext, commands: Command[], note?: string): HandlerResult {
  const mine = commands.filter((command) => command.roles.includes(ctx.user.role) && command.summary);
  const head: string[] = [];
  if (note) head.push(`<font color="warning">${note}</font>`, '');
  head.push(`**督办助手**（${ROLE_LABELS[ctx.user.role]}：${ctx.user.name}）`);
  const foot = ['', '<font color="comment">多步操作中随时发送“取消”退出。</font>'];

  const full = [...head];
  for (const [group, list] of groupsOf(mine)) {
    full.push(
      '',
      `**${group}**`,
      ...list.map((command) => `> \`${command.usage ?? command.name}\` ${command.summary}`),
    );
  }
  const fullText = [...full, ...foot].join('\n');
  if (Buffer.byteLength(fullText, 'utf8') <= MAX_CONTENT_BYTES) return { replies: [markdown(fullText)] };

  const compact = [...head];
  for (const [group, list] of groupsOf(mine)) {
    compact.push(`**${group}**：${list.map((command) => command.name).join(' · ')}`);
  }
  compact.push('', '发送“帮助 指令名”查看用法，例如：帮助 下发任务', ...foot.slice(1));
  return { replies: [markdown(compact.join('\n'))] };
}

/** 帮助 <指令>: the usage and summary of one command the asker may use. */
function helpFor(ctx: HandlerContext, commands: Command[], name: string): HandlerResult {
  const command = commands.find(
    (candidate) => candidate.name === name || (candidate.aliases ?? []).includes(name),
  );
  if (!command || !command.roles.includes(ctx.user.role) || !command.summary) {
    return helpReply(ctx, commands, `没有可用的指令「${name}」。`);
  }
  const aliases = command.aliases?.length ? `（也可发送：${command.aliases.join('、')}）` : '';
  return { replies: [text(`${command.usage ?? command.name}${aliases}\n${command.summary}`)] };
}

/** 帮助 needs the whole command list, so it is built from it. */
export function helpCommand(commands: () => Command[]): Command {
  return {
    name: '帮助',
    readOnly: true,
    light: true,
    aliases: ['help', '菜单', '?'],
    roles: ['liaison', 'supervisor', 'admin'],
    summary: '查看可用指令',
    usage: '帮助 [指令]',
    args: 'optional',
    group: '常用',
    handle: async (ctx) => (ctx.args ? helpFor(ctx, commands(), ctx.args) : helpReply(ctx, commands())),
  };
}
