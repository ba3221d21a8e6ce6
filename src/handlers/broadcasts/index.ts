// Scheduled notices (定时通知), immediate broadcasts (广播) and group robots (群机器人).
import { memberText } from '../../messages/member-text.js';
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
  SCHEDULE_EXAMPLES,
} from '../../services/broadcasts/store.js';
import { failedRead, takeYearAnswer } from '../year-question.js';
import { CONFIRM_WORDS } from '../../services/pii/gate.js';
import { formatDateTime, type LocalDate } from '../../services/calendar/time.js';
import { isWorkingDayOrWeekday } from '../../services/calendar/calendar.js';
import { nextSendLine } from '../../services/broadcasts/views.js';
import {
  SUPERVISORS,
  reply,
  type Command,
  type Feature,
  type Flow,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';

const FLOW = 'broadcast';
const FLOWS_TIME = { flow: FLOW, step: 'time' } as const;
const MAX_CONTENT_CHARS = 1500;
const WEBHOOK_KEY = /^[A-Za-z0-9-]{8,128}$/;

interface Draft extends Record<string, unknown> {
  content?: string;
  audience?: BroadcastAudience;
  audienceLabel?: string;
  schedule?:
    | { kind: 'once'; at: string; text: string }
    | { kind: 'recurring'; cron: string; workingDaysOnly: boolean; text: string };
}

function checkContent(content: string): string | undefined {
  if (!content.trim()) return '通知内容不能为空，请重新发送。';
  if ([...content].length > MAX_CONTENT_CHARS)
    return `通知内容最多 ${MAX_CONTENT_CHARS} 字，当前 ${[...content].length} 字，请精简后重新发送。`;
  return undefined;
}

async function audienceSize(ctx: HandlerContext, audience: BroadcastAudience): Promise<string> {
  if (audience.kind === 'robot') return '1 个群';
  return `当前 ${(await audienceMembers(ctx.tx, audience)).length} 人`;
}

const flow: Flow = {
  name: FLOW,
  version: 1,
  title: '定时通知',
  roles: SUPERVISORS,
  steps: {
    content: async (ctx, data) => {
      if (ctx.inbound.type !== 'text') return reply('请发送通知的文字内容。');
      const problem = checkContent(ctx.rawText);
      if (problem) return reply(problem);
      return reply(
        '发给谁？回复：全部联络员、区县、功能区、市直部门（可用“、”组合）、单位名称（用“、”分隔），或“群机器人 名称”。',
        { flow: FLOW, step: 'audience', data: { ...data, content: ctx.rawText.trim() } },
      );
    },
    audience: async (ctx, data) => {
      const parsed = await parseAudience(ctx.tx, ctx.text);
      if ('error' in parsed) return reply(parsed.error);
      return reply(`什么时候发送？例如：${SCHEDULE_EXAMPLES}。`, {
        flow: FLOW,
        step: 'time',
        data: { ...data, audience: parsed.audience, audienceLabel: parsed.label },
      });
    },
    time: async (ctx, data) => {
      const stay = (kept: Record<string, unknown>) => ({
        flow: FLOWS_TIME.flow,
        step: FLOWS_TIME.step,
        data: kept,
      });
      const answer = takeYearAnswer(ctx.text, data, stay);
      if ('declined' in answer) return answer.declined;
      const draft = answer.data as Draft;
      const schedule = parseSchedule(answer.input, ctx.now);
      if ('error' in schedule) return failedRead(schedule, answer.data, stay);
      const stored =
        schedule.kind === 'once'
          ? { kind: 'once' as const, at: schedule.at.toISOString(), text: schedule.text }
          : schedule;
      const next = await nextRun(ctx, stored);
      const preview = [
        '**请确认定时通知**',
        `> 时间：${schedule.text}`,
        next ? `> ${nextSendLine(next)}` : '> 40 天内不会发送，请检查时间。',
        `> 对象：${draft.audienceLabel}（${await audienceSize(ctx, draft.audience!)}）`,
        `> 内容：${memberText(draft.content).replace(/\n+/g, '\n> ')}`,
        '',
        '回复“确认”创建，回复“取消”放弃。',
      ].join('\n');
      return {
        replies: [markdown(preview)],
        next: { flow: FLOW, step: 'confirm', data: { ...draft, schedule: stored } },
      };
    },
    confirm: async (ctx, data) => {
      if (!CONFIRM_WORDS.has(ctx.text)) return reply('请回复“确认”创建，或回复“取消”放弃。');
      const draft = data as Draft;
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
      return reply(
        `已创建定时通知 #${broadcast.id}（${schedule.text}，${draft.audienceLabel}）。${next ? `${nextSendLine(next)}。` : ''}发送“通知列表”查看，“取消通知 ${broadcast.id}”取消。`,
        'end',
      );
    },
  },
};

const BROADCAST_NOW_FLOW = 'broadcast-now';

const broadcastNowFlow: Flow = {
  name: BROADCAST_NOW_FLOW,
  version: 1,
  title: '广播',
  roles: SUPERVISORS,
  steps: {
    confirm: async (ctx, data) => {
      if (!CONFIRM_WORDS.has(ctx.text)) return reply('请回复“确认”立即发送，或回复“取消”放弃。');
      const content = String(data.content);
      const audience: BroadcastAudience = { kind: 'all-liaisons' };
      const repo = ctx.tx.getRepository(Broadcast);
      const broadcast = await repo.save(
        repo.create({
          content,
          audience,
          runAt: ctx.now,
          cron: null,
          workingDaysOnly: false,
          scheduleText: '立即',
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
        detail: `立即发送给全部联络员 ${sent.recipients} 人`,
      });
      return reply(
        `已开始发送给 ${sent.recipients} 名联络员（#${broadcast.id}）。发送“通知列表”查看进度。`,
        'end',
      );
    },
  },
};

/** The next run of a schedule: a one-off's time, or the cron's next match (working days only if so). */
async function nextRun(
  ctx: HandlerContext,
  schedule: NonNullable<Draft['schedule']>,
): Promise<Date | undefined> {
  if (schedule.kind === 'once') return new Date(schedule.at);
  const calendar = await ctx.services.calendar.get();
  const workingDay = (date: LocalDate) => isWorkingDayOrWeekday(calendar, date);
  return nextOccurrence(schedule.cron, ctx.now, schedule.workingDaysOnly ? workingDay : undefined);
}

async function listBroadcasts(ctx: HandlerContext): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const workingDay = (date: LocalDate) => isWorkingDayOrWeekday(calendar, date);
  const broadcasts = await ctx.tx.getRepository(Broadcast).find({ order: { id: 'DESC' }, take: 15 });
  if (broadcasts.length === 0) return reply('还没有通知。发送“定时通知”创建。');
  const progress = await broadcastProgress(
    ctx.tx,
    broadcasts.map((b) => b.id),
  );
  const robots = new Map(
    (await ctx.tx.getRepository(GroupRobot).find()).map((robot) => [robot.id, robot.name]),
  );
  const statusLabel = { active: '生效中', done: '已发送', cancelled: '已取消' } as const;
  const lines = ['**通知列表**（最近 15 条）'];
  for (const b of broadcasts) {
    const p = progress.get(b.id)!;
    const audience =
      b.audience.kind === 'robot'
        ? `群机器人“${memberText(robots.get(b.audience.robotId) ?? '已删除')}”`
        : b.audience.kind === 'all-liaisons'
          ? '全部联络员'
          : b.audience.kind === 'unit-kinds'
            ? '按单位类型'
            : `${b.audience.unitIds.length} 个单位`;
    const next =
      b.status === 'active' && b.cron
        ? nextOccurrence(b.cron, ctx.now, b.workingDaysOnly ? workingDay : undefined)
        : undefined;
    const excerpt = [...b.content].slice(0, 20).join('') + ([...b.content].length > 20 ? '…' : '');
    lines.push(
      `> **#${b.id}** ${statusLabel[b.status]} · ${b.scheduleText} · ${audience}`,
      `> 已发送 ${p.sent}，待发送 ${p.waiting}，失败 ${p.failed}${next ? ` · 下次 ${formatDateTime(next)}` : ''}`,
      `> ${memberText(excerpt.replace(/\s+/g, ' '))}`,
    );
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
    summary: '创建定时或周期通知（发给联络员或群机器人）',
    args: 'none',
    group: '通知',
    handle: async () =>
      reply('请发送通知内容（最多 1500 字）。发送“取消”退出。', { flow: FLOW, step: 'content', data: {} }),
  },
  {
    name: '广播',
    roles: SUPERVISORS,
    summary: '立即发通知给全部联络员',
    usage: '广播 <内容>',
    args: 'required',
    group: '通知',
    handle: async (ctx) => {
      const problem = checkContent(ctx.rawArgs);
      if (problem) return reply(problem);
      const count = (await audienceMembers(ctx.tx, { kind: 'all-liaisons' })).length;
      if (count === 0) return reply('目前没有登记的联络员，无法发送。');
      return {
        replies: [
          markdown(
            `**将立即发送给全部 ${count} 名联络员：**\n> ${memberText(ctx.rawArgs).replace(/\n+/g, '\n> ')}\n\n回复“确认”发送，回复“取消”放弃。`,
          ),
        ],
        next: { flow: BROADCAST_NOW_FLOW, step: 'confirm', data: { content: ctx.rawArgs } },
      };
    },
  },
  {
    name: '通知列表',
    readOnly: true,
    roles: SUPERVISORS,
    summary: '查看通知及发送进度',
    args: 'none',
    group: '通知',
    handle: listBroadcasts,
  },
  {
    name: '取消通知',
    roles: SUPERVISORS,
    summary: '取消一条定时通知',
    usage: '取消通知 <编号>',
    args: 'required',
    group: '通知',
    handle: async (ctx) => {
      const id = Number(ctx.args.replace(/^#/, ''));
      const repo = ctx.tx.getRepository(Broadcast);
      const broadcast = Number.isInteger(id) ? await repo.findOneBy({ id }) : null;
      if (!broadcast) return reply(`没有编号为 ${ctx.args} 的通知。发送“通知列表”查看。`);
      if (broadcast.status !== 'active')
        return reply(`通知 #${id} 已${broadcast.status === 'done' ? '发送' : '取消'}，无需取消。`);
      await repo.update({ id }, { status: 'cancelled' });
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'broadcast.cancel',
        target: `broadcast:${id}`,
      });
      return reply(`已取消通知 #${id}（${broadcast.scheduleText}）。`);
    },
  },
  {
    name: '添加群机器人',
    roles: SUPERVISORS,
    summary: '登记企业微信群机器人，通知可发到群里',
    usage: '添加群机器人 <名称> <Webhook地址或key>',
    args: 'required',
    group: '通知',
    handle: async (ctx) => {
      const match = /^(\S+)\s+(\S+)$/.exec(ctx.args);
      const key = match ? webhookKeyOf(match[2]!) : undefined;
      if (!match || !key) {
        return reply(
          '用法：添加群机器人 <名称> <Webhook地址或key>，例如：添加群机器人 联络员群 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
        );
      }
      const name = match[1]!;
      const repo = ctx.tx.getRepository(GroupRobot);
      const existing = await repo.findOneBy({ name });
      if (existing?.active) return reply(`已有名为“${name}”的群机器人，请换一个名称或先删除。`);
      if (existing)
        await repo.update({ id: existing.id }, { webhookKey: key, active: true, createdBy: ctx.user.userid });
      else await repo.insert({ name, webhookKey: key, createdBy: ctx.user.userid, active: true });
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'robot.add',
        target: `robot:${name}`,
        detail: `key ${maskKey(key)}`,
      });
      return reply(`已登记群机器人“${name}”（key ${maskKey(key)}）。定时通知的对象可写“群机器人 ${name}”。`);
    },
  },
  {
    name: '群机器人列表',
    readOnly: true,
    roles: SUPERVISORS,
    summary: '查看已登记的群机器人',
    args: 'none',
    group: '通知',
    handle: async (ctx) => {
      const robots = await ctx.tx
        .getRepository(GroupRobot)
        .find({ where: { active: true }, order: { id: 'ASC' } });
      if (robots.length === 0) return reply('还没有登记群机器人。发送“添加群机器人 名称 Webhook地址”登记。');
      return reply(
        ['已登记的群机器人：', ...robots.map((r) => `· ${r.name}（key ${maskKey(r.webhookKey)}）`)].join(
          '\n',
        ),
      );
    },
  },
  {
    name: '删除群机器人',
    roles: SUPERVISORS,
    summary: '停用一个群机器人',
    usage: '删除群机器人 <名称>',
    args: 'required',
    group: '通知',
    handle: async (ctx) => {
      const repo = ctx.tx.getRepository(GroupRobot);
      const robot = await repo.findOneBy({ name: ctx.args, active: true });
      if (!robot) return reply(`没有名为“${ctx.args}”的群机器人。`);
      await repo.update({ id: robot.id }, { active: false });
      await ctx.services.audit({
        actor: ctx.user.userid,
        action: 'robot.remove',
        target: `robot:${robot.name}`,
      });
      return reply(`已停用群机器人“${robot.name}”。以它为对象的定时通知将不再发送到该群。`);
    },
  },
];

export const broadcastsFeature: Feature = {
  name: 'broadcasts',
  commands,
  flows: [flow, broadcastNowFlow],
};
