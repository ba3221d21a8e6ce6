// Scheduled notices (定时通知), immediate broadcasts (广播) and group robots (群机器人).
import { z } from 'zod';
import { markdown } from '../../messages/outbound.js';
import { Broadcast, type BroadcastAudience } from '../../entities/broadcast.js';
import { GroupRobot } from '../../entities/group-robot.js';
import {
  audienceMembers,
  sendOccurrence,
  broadcastProgress,
  nextOccurrence,
  parseAudience,
  parseSchedule,
} from '../../services/broadcasts/store.js';
import { yearDeclined } from '../../services/calendar/date-replies.js';
import { readYesNo } from '../../services/calendar/year-choice.js';
import type { LocalDate } from '../../services/calendar/time.js';
import { isWorkingDayOrWeekday } from '../../services/calendar/calendar.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { confirmStep, previewMessage, textStep } from '../flow/steps.js';
import { tooLong } from '../flow/views.js';
import {
  SUPERVISORS,
  reply,
  type Command,
  type Feature,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import * as views from './views.js';

const FLOW = 'broadcast';
const BROADCAST_NOW_FLOW = 'broadcast-now';
const MAX_CONTENT_CHARS = 1500;
const WEBHOOK_KEY = /^[A-Za-z0-9-]{8,128}$/;

const Audience = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all-liaisons') }),
  z.object({
    kind: z.literal('unit-kinds'),
    unitKinds: z.array(z.enum(['district', 'zone', 'department', 'other'])),
  }),
  z.object({ kind: z.literal('units'), unitIds: z.array(z.number().int()) }),
  z.object({ kind: z.literal('robot'), robotId: z.number().int() }),
]) satisfies z.ZodType<BroadcastAudience>;

const Schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: z.string(), text: z.string() }),
  z.object({
    kind: z.literal('recurring'),
    cron: z.string(),
    workingDaysOnly: z.boolean(),
    text: z.string(),
  }),
]);
type Schedule = z.infer<typeof Schedule>;

const Draft = z.object({
  content: z.string().optional(),
  audience: Audience.optional(),
  audienceLabel: z.string().optional(),
  schedule: Schedule.optional(),
});
type Draft = z.infer<typeof Draft>;

const NowDraft = z.object({ content: z.string().min(1) });
type NowDraft = z.infer<typeof NowDraft>;

/** 广播's content: not empty, at most MAX_CONTENT_CHARS (the kit's wording for a long text). */
function checkContent(content: string): string | undefined {
  if (!content.trim()) return views.EMPTY_CONTENT;
  const length = [...content].length;
  if (length > MAX_CONTENT_CHARS) return tooLong(views.CONTENT_LABEL, MAX_CONTENT_CHARS, length);
  return undefined;
}

async function audienceSize(ctx: HandlerContext, audience: BroadcastAudience): Promise<string> {
  if (audience.kind === 'robot') return views.audienceSize(true, 1);
  return views.audienceSize(false, (await audienceMembers(ctx.tx, audience)).length);
}

/** The time: a one-off or a recurring schedule; a month-day on the wrong side of today asks the year. */
async function readTime(
  ctx: HandlerContext,
  draft: Draft,
  pendingYear: string | undefined,
): Promise<HandlerResult> {
  let input = ctx.text;
  if (pendingYear) {
    const answer = readYesNo(input);
    if (answer === 'no') return broadcastFlow.to('time', draft, yearDeclined(ctx.now));
    if (answer === 'yes') input = pendingYear;
  }
  const schedule = parseSchedule(input, ctx.now);
  if ('problem' in schedule) {
    const { problem } = schedule;
    const say = views.scheduleProblem(problem);
    return problem.kind === 'ask-next-year'
      ? broadcastFlow.toYearQuestion('time', draft, problem.ask, say)
      : broadcastFlow.to('time', draft, say);
  }
  const stored: Schedule =
    schedule.kind === 'once'
      ? { kind: 'once', at: schedule.at.toISOString(), text: schedule.text }
      : schedule;
  const next = await nextRun(ctx, stored);
  const lines = views.schedulePreview(
    schedule.text,
    next,
    draft.audienceLabel ?? '',
    await audienceSize(ctx, draft.audience!),
    draft.content ?? '',
  );
  return broadcastFlow.to(
    'confirm',
    { ...draft, schedule: stored },
    previewMessage(lines, views.CREATE_ACTION),
  );
}

async function create(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const schedule = draft.schedule!;
  const broadcast = await ctx.tx.getRepository(Broadcast).save(
    ctx.tx.getRepository(Broadcast).create({
      content: draft.content!,
      audience: draft.audience!,
      runAt: schedule.kind === 'once' ? new Date(schedule.at) : null,
      cron: schedule.kind === 'recurring' ? schedule.cron : null,
      workingDaysOnly: schedule.kind === 'recurring' && schedule.workingDaysOnly,
      scheduleText: schedule.text,
      status: 'active',
      createdBy: ctx.user.userid,
      lastRunAt: null,
      runCount: 0,
      checkedThrough: ctx.now,
    }),
  );
  await ctx.services.audit({
    actor: ctx.user.userid,
    action: 'broadcast.create',
    target: `broadcast:${broadcast.id}`,
    detail: `${schedule.text} → ${draft.audienceLabel}`,
  });
  const next = await nextRun(ctx, schedule);
  return reply(views.created(broadcast.id, schedule.text, draft.audienceLabel ?? '', next), 'end');
}

export const broadcastFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOW,
  version: 2,
  title: views.SCHEDULE_TITLE,
  roles: SUPERVISORS,
  schema: Draft,
  steps: {
    content: textStep<Draft>({
      hint: views.CONTENT_HINT,
      label: views.CONTENT_LABEL,
      maxChars: MAX_CONTENT_CHARS,
      accept: (_ctx, draft, content) =>
        broadcastFlow.to('audience', { ...draft, content }, views.AUDIENCE_PROMPT),
    }),
    audience: {
      hint: views.AUDIENCE_HINT,
      run: async (ctx, draft) => {
        const parsed = await parseAudience(ctx.tx, ctx.text);
        if ('problem' in parsed) return reply(views.audienceProblem(parsed.problem));
        return broadcastFlow.to(
          'time',
          { ...draft, audience: parsed.audience, audienceLabel: views.audienceLabel(parsed) },
          views.TIME_PROMPT,
        );
      },
    },
    time: {
      hint: views.TIME_HINT,
      run: (ctx, draft, stored) => readTime(ctx, draft, stored.pendingYear),
    },
    confirm: confirmStep<Draft>({
      action: views.CREATE_ACTION,
      flow: () => broadcastFlow,
      confirm: create,
    }),
  },
});

async function sendNow(ctx: HandlerContext, draft: NowDraft): Promise<HandlerResult> {
  const audience: BroadcastAudience = { kind: 'all-liaisons' };
  const repo = ctx.tx.getRepository(Broadcast);
  const broadcast = await repo.save(
    repo.create({
      content: draft.content,
      audience,
      runAt: ctx.now,
      cron: null,
      workingDaysOnly: false,
      scheduleText: views.NOW_SCHEDULE_TEXT,
      status: 'done',
      createdBy: ctx.user.userid,
      lastRunAt: ctx.now,
      runCount: 1,
      checkedThrough: ctx.now,
    }),
  );
  const sent = await sendOccurrence(ctx.tx, broadcast, ctx.now, ctx.now);
  await ctx.services.audit({
    actor: ctx.user.userid,
    action: 'broadcast.send',
    target: `broadcast:${broadcast.id}`,
    detail: views.nowAudit(sent.recipients),
  });
  return reply(views.nowStarted(sent.recipients, broadcast.id), 'end');
}

export const broadcastNowFlow: KitFlow<NowDraft> = defineFlow<NowDraft>({
  name: BROADCAST_NOW_FLOW,
  version: 2,
  title: views.NOW_TITLE,
  roles: SUPERVISORS,
  schema: NowDraft,
  steps: {
    confirm: confirmStep<NowDraft>({
      action: views.SEND_ACTION,
      flow: () => broadcastNowFlow,
      confirm: sendNow,
    }),
  },
});

/** The next run of a schedule: a one-off's time, or the cron's next match (working days only if so). */
async function nextRun(ctx: HandlerContext, schedule: Schedule): Promise<Date | undefined> {
  if (schedule.kind === 'once') return new Date(schedule.at);
  const calendar = await ctx.services.calendar.get();
  const workingDay = (date: LocalDate) => isWorkingDayOrWeekday(calendar, date);
  return nextOccurrence(schedule.cron, ctx.now, schedule.workingDaysOnly ? workingDay : undefined);
}

async function listBroadcasts(ctx: HandlerContext): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const workingDay = (date: LocalDate) => isWorkingDayOrWeekday(calendar, date);
  const broadcasts = await ctx.tx.getRepository(Broadcast).find({ order: { id: 'DESC' }, take: 15 });
  if (broadcasts.length === 0) return reply(views.NO_BROADCASTS);
  const progress = await broadcastProgress(
    ctx.tx,
    broadcasts.map((b) => b.id),
  );
  const robots = new Map(
    (await ctx.tx.getRepository(GroupRobot).find()).map((robot) => [robot.id, robot.name]),
  );
  const lines = [views.LIST_HEADING];
  for (const b of broadcasts) {
    const audience = views.listAudience(
      b.audience.kind === 'robot'
        ? { kind: 'robot', name: robots.get(b.audience.robotId) }
        : b.audience.kind === 'units'
          ? { kind: 'units', count: b.audience.unitIds.length }
          : { kind: b.audience.kind },
    );
    const next =
      b.status === 'active' && b.cron
        ? nextOccurrence(b.cron, ctx.now, b.workingDaysOnly ? workingDay : undefined)
        : undefined;
    lines.push(...views.listEntry(b, audience, progress.get(b.id)!, next));
  }
  return { replies: [markdown(lines.join('\n'))] };
}

function maskKey(key: string): string {
  return `${key.slice(0, 4)}****${key.slice(-4)}`;
}

/** The key from a webhook URL (…/webhook/send?key=<key>) or the key itself. */
export function webhookKeyOf(input: string): string | undefined {
  const trimmed = input.trim();
  let key = trimmed;
  if (/^https?:\/\//.test(trimmed)) {
    try {
      key = new URL(trimmed).searchParams.get('key') ?? '';
    } catch {
      return undefined;
    }
  }
  return WEBHOOK_KEY.test(key) ? key : undefined;
}

const commands: Command[] = [
  {
    name: '定时通知',
    roles: SUPERVISORS,
    summary: views.SCHEDULE_SUMMARY,
    args: 'none',
    group: views.GROUP,
    handle: async () => broadcastFlow.to('content', {}, views.scheduleStart(MAX_CONTENT_CHARS)),
  },
  {
    name: '广播',
    roles: SUPERVISORS,
    summary: views.NOW_SUMMARY,
    usage: views.NOW_USAGE,
    args: 'required',
    group: views.GROUP,
    handle: async (ctx) => {
      const problem = checkContent(ctx.rawArgs);
      if (problem) return reply(problem);
      const count = (await audienceMembers(ctx.tx, { kind: 'all-liaisons' })).length;
      if (count === 0) return reply(views.NO_LIAISONS);
      return broadcastNowFlow.to(
        'confirm',
        { content: ctx.rawArgs },
        previewMessage(views.nowPreview(count, ctx.rawArgs), views.SEND_ACTION),
      );
    },
  },
  {
    name: '通知列表',
    readOnly: true,
    roles: SUPERVISORS,
    summary: views.LIST_SUMMARY,
    args: 'none',
    group: views.GROUP,
    handle: listBroadcasts,
  },
  {
    name: '取消通知',
    roles: SUPERVISORS,
    summary: views.CANCEL_SUMMARY,
    usage: views.CANCEL_USAGE,
    args: 'required',
    group: views.GROUP,
    handle: async (ctx) => {
      const id = Number(ctx.args.replace(/^#/, ''));
      const repo = ctx.tx.getRepository(Broadcast);
      const broadcast = Number.isInteger(id) ? await repo.findOneBy({ id }) : null;
      if (!broadcast) return reply(views.noSuchBroadcast(ctx.args));
      if (broadcast.status !== 'active') return reply(views.notActive(id, broadcast.status));
      await repo.update({ id }, { status: 'cancelled' });
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'broadcast.cancel',
        target: `broadcast:${id}`,
      });
      return reply(views.cancelled(id, broadcast.scheduleText));
    },
  },
  {
    name: '添加群机器人',
    roles: SUPERVISORS,
    summary: views.ADD_ROBOT_SUMMARY,
    usage: views.ADD_ROBOT_USAGE,
    args: 'required',
    group: views.GROUP,
    handle: async (ctx) => {
      const match = /^(\S+)\s+(\S+)$/.exec(ctx.args);
      const key = match ? webhookKeyOf(match[2]!) : undefined;
      if (!match || !key) return reply(views.ADD_ROBOT_HELP);
      const name = match[1]!;
      const repo = ctx.tx.getRepository(GroupRobot);
      const existing = await repo.findOneBy({ name });
      if (existing?.active) return reply(views.robotExists(name));
      if (existing)
        await repo.update({ id: existing.id }, { webhookKey: key, active: true, createdBy: ctx.user.userid });
      else await repo.insert({ name, webhookKey: key, createdBy: ctx.user.userid, active: true });
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'robot.add',
        target: `robot:${name}`,
        detail: `key ${maskKey(key)}`,
      });
      return reply(views.robotAdded(name, maskKey(key)));
    },
  },
  {
    name: '群机器人列表',
    readOnly: true,
    roles: SUPERVISORS,
    summary: views.LIST_ROBOTS_SUMMARY,
    args: 'none',
    group: views.GROUP,
    handle: async (ctx) => {
      const robots = await ctx.tx
        .getRepository(GroupRobot)
        .find({ where: { active: true }, order: { id: 'ASC' } });
      if (robots.length === 0) return reply(views.NO_ROBOTS);
      return reply(views.robotList(robots.map((r) => ({ name: r.name, maskedKey: maskKey(r.webhookKey) }))));
    },
  },
  {
    name: '删除群机器人',
    roles: SUPERVISORS,
    summary: views.REMOVE_ROBOT_SUMMARY,
    usage: views.REMOVE_ROBOT_USAGE,
    args: 'required',
    group: views.GROUP,
    handle: async (ctx) => {
      const repo = ctx.tx.getRepository(GroupRobot);
      const robot = await repo.findOneBy({ name: ctx.args, active: true });
      if (!robot) return reply(views.noSuchRobot(ctx.args));
      await repo.update({ id: robot.id }, { active: false });
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'robot.remove',
        target: `robot:${robot.name}`,
      });
      return reply(views.robotRemoved(robot.name));
    },
  },
];

export const broadcastsFeature: Feature = {
  name: 'broadcasts',
  commands,
  flows: [broadcastFlow, broadcastNowFlow],
};
