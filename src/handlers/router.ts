// First match wins: 取消 → the open conversation → card clicks → commands → events → help.
import { MENU_COMMAND_PREFIX } from './menu.js';
import { text } from '../messages/outbound.js';
import { denialAudit, denialText, isAllowed } from '../services/shared/permissions.js';
import {
  STALE_BUTTON_TEXT,
  type CardAction,
  type Command,
  type EventRoute,
  type FileRoute,
  type Flow,
  type HandlerContext,
  type HandlerResult,
} from './types.js';
import { rawRest, splitCommand } from './text.js';

export interface RouteTable {
  commands: Command[];
  cardActions: CardAction[];
  events: EventRoute[];
  flows: Flow[];
  files: FileRoute[];
  help: (ctx: HandlerContext, commands: Command[], note?: string) => HandlerResult;
}

export const CANCEL_WORDS = new Set(['取消', '退出']);

/** The refusal texts live with the role rules in src/services/shared/permissions.ts. */
export { denialText };

export class Router {
  private readonly flows: Map<string, Flow>;
  private readonly byWord = new Map<string, Command>();
  private readonly prefixed: Command[];

  constructor(private readonly table: RouteTable) {
    this.flows = new Map(table.flows.map((flow) => [flow.name, flow]));
    for (const command of table.commands) {
      for (const word of [command.name, ...(command.aliases ?? [])]) {
        if (this.byWord.has(word)) throw new Error(`duplicate command word ${word}`);
        this.byWord.set(word, command);
      }
    }
    // For "检查身份证号…" typed without a space: longest command word first.
    this.prefixed = table.commands
      .filter((command) => command.args === 'required' || command.args === 'optional')
      .sort((a, b) => b.name.length - a.name.length);
  }

  flow(name: string): Flow | undefined {
    return this.flows.get(name);
  }

  get commands(): Command[] {
    return this.table.commands;
  }

  async route(ctx: HandlerContext): Promise<HandlerResult> {
    const { inbound } = ctx;
    const isMessage =
      inbound.type === 'text' ||
      inbound.type === 'file' ||
      inbound.type === 'image' ||
      inbound.type === 'link';

    if (inbound.type === 'text' && CANCEL_WORDS.has(ctx.text)) {
      if (ctx.conversation) {
        await this.flows.get(ctx.conversation.flow)?.discard?.(ctx, ctx.conversation.data);
        return { replies: [text('已取消。')], next: 'end' };
      }
      return { replies: [text('当前没有进行中的操作。')] };
    }

    if (ctx.conversation && isMessage) {
      const flow = this.flows.get(ctx.conversation.flow);
      const step = flow?.steps[ctx.conversation.step];
      if (step) return step(ctx, ctx.conversation.data);
    }

    if (inbound.type === 'event' && inbound.event === 'template_card_event') {
      return this.routeCard(ctx, inbound.eventKey);
    }

    if (inbound.type === 'text') {
      const matched = this.matchCommand(ctx.text);
      if (matched) return this.runCommand(ctx, matched.command, matched.args);
      return this.table.help(
        ctx,
        this.table.commands,
        ctx.text ? `没有识别到指令「${clip(ctx.text)}」。` : undefined,
      );
    }

    if (
      inbound.type === 'event' &&
      inbound.event === 'click' &&
      inbound.eventKey.startsWith(MENU_COMMAND_PREFIX)
    ) {
      // A menu click is the command it stands for, exactly as if it had been typed.
      const typed = inbound.eventKey.slice(MENU_COMMAND_PREFIX.length);
      const matched = this.matchCommand(typed);
      if (matched)
        return this.runCommand({ ...ctx, text: typed, rawText: typed }, matched.command, matched.args);
      return this.table.help(ctx, this.table.commands);
    }

    if (inbound.type === 'event') {
      const route = this.table.events.find(
        (candidate) =>
          candidate.event === inbound.event &&
          (candidate.key === undefined || candidate.key === inbound.eventKey),
      );
      return route ? route.handle(ctx) : {};
    }

    if (inbound.type === 'file' || inbound.type === 'image' || inbound.type === 'link') {
      const fileName =
        inbound.type === 'file' ? (inbound.fileName ?? '') : inbound.type === 'link' ? inbound.url : 'image';
      const route = this.table.files.find((candidate) => candidate.accepts(inbound.type, fileName));
      if (route) {
        if (!isAllowed(ctx.user.role, route.roles)) {
          await ctx.services.audit(denialAudit(ctx.user, 'file', inbound.type));
          return { replies: [text(denialText(route.roles))] };
        }
        return route.handle(ctx);
      }
      return {
        replies: [
          text('收到文件，但当前没有需要文件的操作。如需提交材料，请先发送相应指令（发送“帮助”查看）。'),
        ],
      };
    }

    return { replies: [text('暂不支持这种消息，请发送文字指令（发送“帮助”查看）。')] };
  }

  private matchCommand(normalised: string): { command: Command; args: string } | undefined {
    const { word, rest } = splitCommand(normalised);
    const exact = this.byWord.get(word);
    if (exact && !(exact.args === 'none' && rest !== '')) return { command: exact, args: rest };
    if (exact?.args === 'none' && rest === '') return { command: exact, args: '' };
    for (const command of this.prefixed) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (normalised.startsWith(name) && normalised.length > name.length) {
          return { command, args: normalised.slice(name.length).trim() };
        }
      }
    }
    return undefined;
  }

  private async runCommand(ctx: HandlerContext, command: Command, args: string): Promise<HandlerResult> {
    if (!isAllowed(ctx.user.role, command.roles)) {
      await ctx.services.audit(denialAudit(ctx.user, 'command', command.name));
      return { replies: [text(denialText(command.roles))] };
    }
    if (command.args === 'required' && args === '') {
      return { replies: [text(`用法：${command.usage ?? command.name}`)] };
    }
    const word =
      [command.name, ...(command.aliases ?? [])].find((name) => ctx.text.startsWith(name)) ?? command.name;
    return command.handle({ ...ctx, args, rawArgs: rawRest(ctx.rawText, word) });
  }

  private async routeCard(ctx: HandlerContext, key: string): Promise<HandlerResult> {
    const parts = key.split(':');
    for (let length = parts.length; length > 0; length--) {
      const prefix = parts.slice(0, length).join(':');
      const action = this.table.cardActions.find((candidate) => candidate.prefix === prefix);
      if (!action) continue;
      if (!isAllowed(ctx.user.role, action.roles)) {
        await ctx.services.audit(denialAudit(ctx.user, 'card', action.prefix));
        return { replies: [text(denialText(action.roles))] };
      }
      return action.handle(ctx, parts.slice(length));
    }
    return { replies: [text(STALE_BUTTON_TEXT)] };
  }
}

function clip(value: string, max = 20): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : value;
}
