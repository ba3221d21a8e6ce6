// The contract between the router and handlers. Handlers are thin: they read the input, call
// domain services and RETURN what to say and what comes next; the dispatcher turns that into
// conversation state and outbox rows inside one transaction.
import type { EntityManager } from 'typeorm';
import type { Inbound } from '../messages/inbound.js';
import { text, type CardUpdate, type Notification, type OutMessage } from '../messages/outbound.js';

export type { Notification };
import type { Person, Role } from '../entities/person.js';
import type { Unit } from '../entities/unit.js';
import type { AppServices } from '../services/index.js';

/** The asker, with their unit and its top-level unit (tasks and quotas roll up to it). */
export interface Asker extends Person {
  unit: Unit | null;
  topUnit: Unit | null;
}

export interface ConversationSnapshot {
  flow: string;
  step: string;
  data: Record<string, unknown>;
  /** Who started the dialog (role and top-level unit): a change ends it. Unknown for old rows. */
  role?: Role;
  unitId?: number | null;
}

export interface HandlerContext {
  inbound: Inbound;
  /**
   * A short id unique to this delivery and the same for WeCom's retries of it: for idempotency
   * keys of what a handler sends, and for logs.
   */
  deliveryId: string;
  user: Asker;
  /** Normalised text (trimmed, full-width → half-width) for matching; '' for non-text input. */
  text: string;
  /** The text exactly as the member typed it (what gets stored). */
  rawText: string;
  /** For commands: the normalised text after the command word. */
  args: string;
  /** The same, taken from rawText (for free text such as reasons and replies). */
  rawArgs: string;
  conversation?: ConversationSnapshot;
  tx: EntityManager;
  services: AppServices;
  now: Date;
}

export interface ConversationNext {
  flow: string;
  step: string;
  data: Record<string, unknown>;
}

export interface HandlerResult {
  replies?: OutMessage[];
  /** For a template-card click: change the clicked button, or the whole card. */
  cardUpdate?: CardUpdate;
  /**
   * Apply cardUpdate to a card clicked earlier, with the response code saved from that click
   * (usable once), instead of to the card this message came from: a dialog started from a card
   * updates it when it ends (提交办理情况 → 已提交).
   */
  cardResponseCode?: string;
  notify?: Notification[];
  /**
   * Quarantine the delivery once these effects are committed, with this reason: its content killed
   * a worker (over the time or memory limit), so running it again would do the same. The member
   * has been answered; admins see it in 隔离消息.
   */
  quarantine?: string;
  /** Undefined keeps the current conversation as it is; 'end' closes it. */
  next?: ConversationNext | 'end';
}

export type Handler = (ctx: HandlerContext) => Promise<HandlerResult>;

export interface Command {
  /** The word that starts the command, e.g. 我的任务. */
  name: string;
  aliases?: string[];
  roles: readonly Role[];
  /** One line for 帮助. */
  summary: string;
  /** Shown when arguments are missing, e.g. 审核 T12 通过|退回 <理由>. */
  usage?: string;
  /** none: the whole message must be the command; optional/required: text may follow it. */
  args?: 'none' | 'optional' | 'required';
  /** Listed in 帮助 under this heading. */
  group?: string;
  /**
   * A command that only reads (帮助, 我的任务, 进度 …). While a dialog is open it is answered and the
   * dialog goes on; a RegExp says which arguments keep it read-only and recognisable inside free
   * text (`任务 T12` but not `任务 已完成`). Any other command asks first whether to leave the dialog.
   */
  readOnly?: true | RegExp;
  /**
   * Typed with nothing after it, it reads a few rows of the asker's own and writes nothing but the
   * dialog: several members' may share one transaction and commit (src/app/shared-commit.ts). A
   * write it makes after all (a denial's audit row) only makes it run alone. A list of roles: light
   * for those only (a liaison's 我的任务 reads one unit's tasks, a supervisor's the city's).
   */
  light?: true | readonly Role[];
  handle: Handler;
}

/** A template-card button, routed by the prefix of its key (`task:submit:12` → task:submit). */
export interface CardAction {
  prefix: string;
  roles: readonly Role[];
  /**
   * Whether a click continues the dialog that is open (the 提交办理情况 button of the very task
   * being answered): it then goes to the action, not through the dialog-switch rule.
   */
  continues?: (conversation: ConversationSnapshot, params: string[]) => boolean;
  /** What the button says (提交办理情况), for the question asked before leaving a dialog. */
  label?: string;
  handle: (ctx: HandlerContext, params: string[]) => Promise<HandlerResult>;
}

/** A menu click or another event. */
export interface EventRoute {
  event: string;
  key?: string;
  handle: Handler;
}

/** A file or image sent outside a conversation (e.g. a calendar JSON, an import sheet). */
export interface FileRoute {
  /** `name` is the file's name, or the address of a forwarded link. */
  accepts: (kind: 'file' | 'image' | 'link', name: string) => boolean;
  roles: readonly Role[];
  handle: Handler;
}

export type Step = (ctx: HandlerContext, data: Record<string, unknown>) => Promise<HandlerResult>;

/**
 * A multi-step dialog as an explicit, persisted step table; bump `version` when the steps change
 * shape. Build one with the flow kit (src/handlers/flow/kit.ts), which fills in what follows from
 * a typed draft and its steps.
 */
export interface Flow {
  name: string;
  version: number;
  /** How the dialog is called where the person is reminded of it: 下发任务. */
  title: string;
  /** Who may be in this dialog: checked again at every step. */
  roles: readonly Role[];
  /** Minutes of silence before the dialog expires (default 30). */
  ttlMinutes?: number;
  /** On 取消: undo what the dialog left provisionally (draft files). */
  discard?: (ctx: HandlerContext, data: Record<string, unknown>) => Promise<void>;
  steps: Record<string, Step>;
  /** What the step asks for (请发送责任单位), for the reminder line; undefined when unknown. */
  hint?: (step: string, data: Record<string, unknown>) => string | undefined;
  /**
   * Whether the step takes free text as content (a title, a reason, a reply): there only an exact
   * command word, or a read-only command with its arguments, is taken as a command.
   */
  takesText?: (step: string) => boolean;
  /**
   * Whether the step itself takes this typed command (a confirmation step that reads the same
   * command retyped as a revision): it then goes to the step, not through the dialog rule.
   */
  claims?: (step: string, data: Record<string, unknown>, raw: string) => boolean;
  /** Whether stored data still fits the flow (checked on every load; a misfit drops the state). */
  accepts?: (data: unknown) => boolean;
}

export const ALL_ROLES: readonly Role[] = ['liaison', 'supervisor', 'admin'];

/** Arguments that keep a read-only command recognisable mid-dialog (see Command.readOnly). */
export const READ_ONLY_ARGS = {
  /** 进度 高青县: one unit name or 全部逾期-like word. */
  unit: /^\S{1,30}$/u,
  /** 任务 T12 */
  task: /^[Tt]\d{1,9}$/,
  /** 工作日 2026-12-07 */
  date: /^\d{4}-\d{1,2}-\d{1,2}$/,
  /** 案例进度 征集2 */
  call: /^征集\s*\d{1,9}$/u,
} as const;
export const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

/** What one feature contributes to the router (each feature folder exports one). */
export interface Feature {
  name: string;
  commands?: Command[];
  cardActions?: CardAction[];
  events?: EventRoute[];
  flows?: Flow[];
  files?: FileRoute[];
}

/** A card button whose key no longer leads anywhere (a malformed or retired key). */
export const STALE_BUTTON_TEXT = '该按钮已失效，请发送“帮助”查看可用指令。';

/** A text answer to the asker, optionally moving the conversation on. */
export function reply(message: string, next?: HandlerResult['next']): HandlerResult {
  return { replies: [text(message)], next };
}
