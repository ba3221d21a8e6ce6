// First match wins: 取消 → the open dialog (with its one rule for everything else the person does
// meanwhile) → card clicks → commands → events → help.
//
// While a dialog is open:
// - the person must still be who started it (role and unit are checked at every step);
// - a read-only command (帮助, 我的任务, 任务 T12, 进度 …) is answered and the dialog goes on, with a
//   line saying where the person is;
// - any other command, and a card click that would open another dialog, asks first whether to
//   leave the current one (是/否); a card click that acts at once (通过, 同意) is done and the
//   dialog goes on;
// - in a step that takes free text, only an exact command word or a read-only command with its
//   arguments counts as a command: "进度已完成80%" is part of a reply, not 进度.
import { ROLE_LABELS, type Role } from '../entities/person.js';
import type { EventMessage, Inbound, TextMessage } from '../messages/inbound.js';
import { MAX_CONTENT_BYTES, text, type OutMessage } from '../messages/outbound.js';
import { maskPiiForLog } from '../services/pii/detector.js';
import { denialAudit, denialText, isAllowed } from '../services/shared/permissions.js';
import {
  askToSwitch,
  labelOf,
  storedClick,
  SWITCH_FLOW,
  switchFlow,
  type PendingAction,
  type SwitchDraft,
} from './flow/switch.js';
import * as dialogViews from './flow/views.js';
import { MENU_COMMAND_PREFIX } from './menu.js';
import { normaliseText, rawRest, splitCommand } from './text.js';
import {
  STALE_BUTTON_TEXT,
  type CardAction,
  type Command,
  type ConversationSnapshot,
  type EventRoute,
  type FileRoute,
  type Flow,
  type HandlerContext,
  type HandlerResult,
} from './types.js';

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

interface MatchedCommand {
  command: Command;
  args: string;
  /** Typed as its own word (`进度 高青县`), not run together with what follows (`进度滞后`). */
  spaced: boolean;
}

/** A card click that would open a dialog while another is open: rolled back, then asked about. */
class OpensDialog extends Error {}

export class Router {
  private readonly flows: Map<string, Flow>;
  private readonly byWord = new Map<string, Command>();
  private readonly prefixed: Command[];

  constructor(private readonly table: RouteTable) {
    this.flows = new Map([...table.flows, switchFlow].map((flow) => [flow.name, flow]));
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

  /**
   * Whether a delivery is a light command (Command.light) typed or clicked with nothing after it:
   * it may share a transaction with other members' (src/app/shared-commit.ts). Inside a dialog such
   * a command is answered aside, so the answer does not depend on the dialog either. Without a
   * role: whether it may be light for someone (the asker is not known before the transaction).
   */
  isLight(inbound: Inbound, role?: Role): boolean {
    const typed =
      inbound.type === 'text'
        ? normaliseText(inbound.content)
        : inbound.type === 'event' &&
            inbound.event === 'click' &&
            inbound.eventKey.startsWith(MENU_COMMAND_PREFIX)
          ? inbound.eventKey.slice(MENU_COMMAND_PREFIX.length)
          : undefined;
    if (typed === undefined || CANCEL_WORDS.has(typed)) return false;
    const matched = this.matchCommand(typed);
    const light = matched?.args === '' ? matched.command.light : undefined;
    if (light === undefined) return false;
    return light === true || role === undefined || light.includes(role);
  }

  async route(ctx: HandlerContext): Promise<HandlerResult> {
    const { inbound } = ctx;
    if (inbound.type === 'text' && CANCEL_WORDS.has(ctx.text)) {
      if (ctx.conversation) {
        await this.flows.get(ctx.conversation.flow)?.discard?.(ctx, ctx.conversation.data);
        return { replies: [text('已取消。')], next: 'end' };
      }
      return { replies: [text('当前没有进行中的操作。')] };
    }
    if (ctx.conversation) return this.routeInDialog(ctx, ctx.conversation);
    return this.routeOutside(ctx);
  }

  /** Everything that is not part of a dialog: card clicks, commands, events, files. */
  private async routeOutside(ctx: HandlerContext): Promise<HandlerResult> {
    const { inbound } = ctx;
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

    const menu = this.menuCommand(ctx);
    if (menu)
      return menu.matched
        ? this.runMenu(ctx, menu.typed, menu.matched)
        : this.table.help(ctx, this.table.commands);

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

  /** The open dialog's rule: who may go on, what interrupts it, and otherwise its step. */
  private async routeInDialog(
    ctx: HandlerContext,
    conversation: ConversationSnapshot,
  ): Promise<HandlerResult> {
    const switching = conversation.flow === SWITCH_FLOW ? switchFlow.draftOf(conversation.data) : undefined;
    // While the 是/否 question is open, the dialog it would go back to is the one that counts.
    const current = switching ? { ...conversation, ...switching.resume } : conversation;
    const flow = this.flows.get(current.flow);
    if (!flow) return { replies: [text('系统已更新，之前未完成的操作已失效，请重新开始。')], next: 'end' };

    const changed = this.actorChange(ctx, current, flow);
    if (changed) {
      // Ended, not finished: what it left provisionally goes, as on 取消 (未保存任何内容).
      await flow.discard?.(ctx, current.data);
      return { replies: [text(changed)], next: 'end' };
    }

    if (switching) return this.answerSwitch(ctx, current, flow, switching);

    const { inbound } = ctx;
    if (inbound.type === 'event' && inbound.event === 'template_card_event') {
      return this.cardInDialog(ctx, current, flow, inbound);
    }

    const typed = inbound.type === 'text' ? ctx.text : undefined;
    const menu = this.menuCommand(ctx);
    const command = typed !== undefined ? this.matchCommand(typed) : menu?.matched;
    const claimed =
      typed !== undefined && (flow.claims?.(current.step, current.data, ctx.rawText.trim()) ?? false);
    const reading =
      command && !claimed ? this.readCommand(ctx, current, flow, command, menu !== undefined) : 'content';
    if (command && reading !== 'content') {
      const typedText = typed ?? menu!.typed;
      if (reading === 'answer') return this.answerAside(ctx, current, flow, typedText, command);
      return askToSwitch(
        current,
        flow.title,
        { kind: 'text', text: typedText, raw: ctx.rawText.trim() || typedText },
        reading === 'ask-or-content',
      );
    }

    const isMessage =
      inbound.type === 'text' ||
      inbound.type === 'file' ||
      inbound.type === 'image' ||
      inbound.type === 'link';
    const step = flow.steps[current.step];
    if (isMessage && step) return step(ctx, current.data);
    // Other events (entering the app, a menu click that is no command) leave the dialog alone.
    return this.routeOutside(ctx);
  }

  /** Why the dialog cannot go on with this person any more (a role or unit change), if so. */
  private actorChange(ctx: HandlerContext, current: ConversationSnapshot, flow: Flow): string | undefined {
    const { user } = ctx;
    if (current.role !== undefined && current.role !== user.role) {
      return dialogViews.roleChanged(flow.title, ROLE_LABELS[user.role]);
    }
    if (!isAllowed(user.role, flow.roles)) return dialogViews.notAllowedNow(flow.title);
    if (current.unitId !== undefined && current.unitId !== (user.topUnit?.id ?? null)) {
      return dialogViews.unitChanged(flow.title);
    }
    return undefined;
  }

  /**
   * What a command typed (or clicked in the menu) mid-dialog is: answered aside (read-only), a
   * question before leaving the dialog, a question whose 否 keeps the text as the step's content
   * (a free-text step, a command with arguments), or simply content.
   */
  private readCommand(
    ctx: HandlerContext,
    current: ConversationSnapshot,
    flow: Flow,
    matched: MatchedCommand,
    fromMenu: boolean,
  ): 'answer' | 'ask' | 'ask-or-content' | 'content' {
    if (!isAllowed(ctx.user.role, matched.command.roles)) return 'content';
    const readOnly = matched.command.readOnly;
    const whole = fromMenu || matched.args === '';
    // Free text may start with a command word ("进度已完成80%", "检查完毕"): there only a command
    // written as its own word with arguments of its own shape is one, and for any other command 否
    // keeps the message as what the step asked for.
    const takesText = flow.takesText?.(current.step) ?? true;
    if (readOnly !== undefined) {
      if (whole) return 'answer';
      if (matched.spaced && readOnly instanceof RegExp && readOnly.test(matched.args)) return 'answer';
      if (readOnly === true && !takesText) return 'answer';
    }
    if (whole || !takesText) return 'ask';
    return matched.spaced ? 'ask-or-content' : 'content';
  }

  /** A read-only command mid-dialog: answered, and the dialog stays where it was. */
  private async answerAside(
    ctx: HandlerContext,
    current: ConversationSnapshot,
    flow: Flow,
    typed: string,
    matched: MatchedCommand,
  ): Promise<HandlerResult> {
    const result = await this.runCommand(
      { ...ctx, text: typed, rawText: typed },
      matched.command,
      matched.args,
    );
    // A read-only command that opens a dialog of its own (检查 alone, 案例进度 with several calls).
    if (result.next !== undefined) return askToSwitch(current, flow.title, { kind: 'text', text: typed });
    return this.withWhereLine(result, current, flow);
  }

  /** A card click mid-dialog: the same dialog's own button, a read-only or at-once action, or a question. */
  private async cardInDialog(
    ctx: HandlerContext,
    current: ConversationSnapshot,
    flow: Flow,
    click: EventMessage,
  ): Promise<HandlerResult> {
    const found = this.cardAction(click.eventKey);
    if (!found) return this.withWhereLine({ replies: [text(STALE_BUTTON_TEXT)] }, current, flow);
    const { action, params } = found;
    if (action.continues?.(current, params)) return this.runCard(ctx, action, params);
    const pending: PendingAction = {
      kind: 'card',
      button: action.label ?? '按钮',
      event: click as unknown as Record<string, unknown>,
    };
    try {
      // Run it where it can be undone: an action that acts at once keeps its effects; one that
      // would open a dialog is rolled back and the person is asked first.
      const result = await ctx.tx.transaction(async () => {
        // As if no dialog were open: what the click would do on its own is what is judged.
        const outcome = await this.runCard({ ...ctx, conversation: undefined }, action, params);
        if (outcome.next !== undefined && outcome.next !== 'end') throw new OpensDialog();
        return outcome;
      });
      return this.withWhereLine({ ...result, next: undefined }, current, flow);
    } catch (error) {
      if (error instanceof OpensDialog) return askToSwitch(current, flow.title, pending);
      throw error;
    }
  }

  /** 是: leave the dialog and do what was asked; 否: back to the dialog as it was. */
  private async answerSwitch(
    ctx: HandlerContext,
    current: ConversationSnapshot,
    flow: Flow,
    { title, pending, asContent }: SwitchDraft,
  ): Promise<HandlerResult> {
    const answer = ctx.inbound.type === 'text' ? ctx.text.toLowerCase() : '';
    if (dialogViews.SWITCH_NO.has(answer)) {
      const back = { flow: current.flow, step: current.step, data: current.data };
      const step = flow.steps[current.step];
      if (asContent && pending.kind === 'text' && step) {
        // 否 to a command typed into free text: the message was meant as the step's content.
        const raw = pending.raw ?? pending.text;
        const typed = { ...ctx, conversation: back, inbound: { ...textOf(ctx.inbound), content: raw } };
        const result = await step({ ...typed, text: pending.text, rawText: raw }, current.data);
        return { ...result, next: result.next ?? back };
      }
      const hint = flow.hint?.(current.step, current.data);
      return { replies: [text(dialogViews.switchBack(title, hint))], next: back };
    }
    if (!dialogViews.SWITCH_YES.has(answer)) {
      const retry = text(dialogViews.switchRetry(title, labelOf(pending), asContent));
      // A read-only command (帮助, 进度 …) is answered here too, and the question stays open.
      const aside = ctx.inbound.type === 'text' ? await this.answerWhileAsked(ctx, ctx.text) : undefined;
      return { replies: [...(aside?.replies ?? []), retry] };
    }
    // 是: the dialog is abandoned, and what it left provisionally goes with it, as on 取消.
    await flow.discard?.(ctx, current.data);
    const outside = { ...ctx, conversation: undefined };
    const result =
      pending.kind === 'text'
        ? await this.runTyped(outside, pending.text)
        : await this.runStoredClick(outside, storedClick(pending));
    const replies: OutMessage[] = [text(dialogViews.switchAbandoned(title)), ...(result.replies ?? [])];
    return { ...result, replies, next: result.next ?? 'end' };
  }

  /**
   * A read-only command typed while the 是/否 question is open, answered as it would be outside a
   * dialog; undefined for anything else (or one that would open a dialog of its own).
   */
  private async answerWhileAsked(ctx: HandlerContext, typed: string): Promise<HandlerResult | undefined> {
    const matched = this.matchCommand(typed);
    const readOnly = matched?.command.readOnly;
    if (!matched || readOnly === undefined || !isAllowed(ctx.user.role, matched.command.roles))
      return undefined;
    const whole =
      matched.args === '' || (matched.spaced && readOnly instanceof RegExp && readOnly.test(matched.args));
    if (!whole) return undefined;
    const result = await this.runCommand(
      { ...ctx, conversation: undefined, text: typed, rawText: typed },
      matched.command,
      matched.args,
    );
    return result.next === undefined ? result : undefined;
  }

  /** A command as if it had just been typed. */
  private async runTyped(ctx: HandlerContext, typed: string): Promise<HandlerResult> {
    const typedCtx = { ...ctx, text: typed, rawText: typed };
    const matched = this.matchCommand(typed);
    return matched
      ? this.runCommand(typedCtx, matched.command, matched.args)
      : this.table.help(typedCtx, this.table.commands);
  }

  /** A card click kept while the person was asked, run now: its response code still updates the card. */
  private async runStoredClick(ctx: HandlerContext, click: EventMessage): Promise<HandlerResult> {
    const result = await this.routeCard({ ...ctx, inbound: click }, click.eventKey);
    const code = click.card?.responseCode;
    return result.cardUpdate && code && !result.cardResponseCode
      ? { ...result, cardResponseCode: code }
      : result;
  }

  /** Adds the line saying which dialog is open and what it waits for. */
  private withWhereLine(result: HandlerResult, current: ConversationSnapshot, flow: Flow): HandlerResult {
    const line = dialogViews.whereLine(flow.title, flow.hint?.(current.step, current.data));
    const replies = [...(result.replies ?? [])];
    const last = replies.at(-1);
    if (last && (last.type === 'text' || last.type === 'markdown')) {
      const joined = `${last.content}\n${line}`;
      if (Buffer.byteLength(joined, 'utf8') <= MAX_CONTENT_BYTES) {
        replies[replies.length - 1] = { ...last, content: joined };
        return { ...result, replies, next: undefined };
      }
    }
    return { ...result, replies: [...replies, text(line)], next: undefined };
  }

  private menuCommand(
    ctx: HandlerContext,
  ): { typed: string; matched: MatchedCommand | undefined } | undefined {
    const { inbound } = ctx;
    if (inbound.type !== 'event' || inbound.event !== 'click') return undefined;
    if (!inbound.eventKey.startsWith(MENU_COMMAND_PREFIX)) return undefined;
    const typed = inbound.eventKey.slice(MENU_COMMAND_PREFIX.length);
    return { typed, matched: this.matchCommand(typed) };
  }

  /** A menu click is the command it stands for, exactly as if it had been typed. */
  private runMenu(ctx: HandlerContext, typed: string, matched: MatchedCommand): Promise<HandlerResult> {
    return this.runCommand({ ...ctx, text: typed, rawText: typed }, matched.command, matched.args);
  }

  private matchCommand(normalised: string): MatchedCommand | undefined {
    const { word, rest } = splitCommand(normalised);
    const exact = this.byWord.get(word);
    if (exact && !(exact.args === 'none' && rest !== '')) return { command: exact, args: rest, spaced: true };
    for (const command of this.prefixed) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (normalised.startsWith(name) && normalised.length > name.length) {
          return { command, args: normalised.slice(name.length).trim(), spaced: false };
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

  /** The card action a button key leads to (`task:submit:12` → task:submit with params ['12']). */
  private cardAction(key: string): { action: CardAction; params: string[] } | undefined {
    const parts = key.split(':');
    for (let length = parts.length; length > 0; length--) {
      const prefix = parts.slice(0, length).join(':');
      const action = this.table.cardActions.find((candidate) => candidate.prefix === prefix);
      if (action) return { action, params: parts.slice(length) };
    }
    return undefined;
  }

  private async routeCard(ctx: HandlerContext, key: string): Promise<HandlerResult> {
    const found = this.cardAction(key);
    if (!found) return { replies: [text(STALE_BUTTON_TEXT)] };
    return this.runCard(ctx, found.action, found.params);
  }

  private async runCard(ctx: HandlerContext, action: CardAction, params: string[]): Promise<HandlerResult> {
    if (!isAllowed(ctx.user.role, action.roles)) {
      await ctx.services.audit(denialAudit(ctx.user, 'card', action.prefix));
      return { replies: [text(denialText(action.roles))] };
    }
    return action.handle(ctx, params);
  }
}

/** The start of what was typed, for a reply that quotes it; personal information masked. */
function clip(value: string, max = 20): string {
  const chars = [...maskPiiForLog(value)];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** A text delivery with the envelope of `inbound` (who sent it, when): a message read again. */
function textOf(inbound: Inbound): TextMessage {
  const { fromUser, toUser, createTime, agentId } = inbound;
  const msgId = 'msgId' in inbound && inbound.msgId ? inbound.msgId : '';
  return { fromUser, toUser, createTime, agentId, type: 'text', msgId, content: '' };
}
