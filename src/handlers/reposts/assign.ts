// 转载任务: sources (links typed or forwarded; title and publisher read from the page where the bot
// may read it, typed otherwise) → units (default all top-level units) → channels → deadline →
// preview → 确认. Nothing is created before 确认; 修改 <field> goes back to one step.
import { z } from 'zod';
import { REPOST_CHANNEL_LABELS, type RepostChannels } from '../../entities/repost-item.js';
import { markdown } from '../../messages/outbound.js';
import { memberText } from '../../messages/member-text.js';
import { DEADLINE_EXAMPLES } from '../../services/calendar/date-replies.js';
import { activeTopUnits, liaisonsByTopUnit } from '../../services/directory/lookup.js';
import { taskDeadlineText } from '../../services/tasks/views.js';
import { unitNames } from '../../services/tasks/store.js';
import { createRepostBatch, openItems } from '../../services/reposts/store.js';
import { linksIn } from '../../services/reposts/verify.js';
import { alreadyOpenLine, createdText, previewLines, repostCard } from '../../services/reposts/views.js';
import { actorOf, effectsOf } from '../context.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { choiceStep, confirmStep, dateStep, previewMessage } from '../flow/steps.js';
import { readUnits } from '../tasks/assign.js';
import {
  SUPERVISORS,
  reply,
  type Command,
  type HandlerContext,
  type HandlerResult,
  type Notification,
} from '../types.js';

export const REPOST_ASSIGN_FLOW = 'repost-assign';

const Source = z.object({
  url: z.string(),
  title: z.string().nullable(),
  publisher: z.string().nullable(),
});

const Draft = z.object({
  sources: z.array(Source).default([]),
  unitIds: z.array(z.number()).optional(),
  allUnits: z.boolean().optional(),
  channels: z.enum(['website', 'media', 'both']).optional(),
  deadline: z.string().optional(),
  deadlineEstimated: z.boolean().optional(),
  deadlineWarning: z.string().nullable().optional(),
  editing: z.boolean().optional(),
});
type Draft = z.infer<typeof Draft>;

const MAX_SOURCES = 10;
const MAX_TITLE = 200;

const SOURCE_PROMPT = '请发送要转载的文章链接（可一次发送多条，每行一条；也可直接转发文章链接）。';
const MORE_PROMPT = '如还有其他文章，请继续发送链接；没有了请回复“好了”。';
const UNITS_PROMPT =
  '请输入转载单位：回复“全部”为全部单位；也可写 全部区县 / 全部功能区 / 全部市直部门 / 单位名称（用“、”或空格分隔）。';
const DEADLINE_PROMPT = `请输入截止时间，如 1个工作日、${DEADLINE_EXAMPLES}。`;
const CHANNEL_PROMPT = '请选择转载渠道（回复序号或名称）：\n1. 网站\n2. 政务新媒体\n3. 网站和政务新媒体';
const DONE_WORDS = new Set(['好了', '好', '完成', '没有了', '没有', '下一步', '继续']);
const ALL_WORDS = new Set(['全部', '默认', '所有单位', '全部单位']);

const EDIT_FIELDS: Record<string, { step: string; prompt: string }> = {
  单位: { step: 'units', prompt: UNITS_PROMPT },
  渠道: { step: 'channels', prompt: CHANNEL_PROMPT },
  截止: { step: 'deadline', prompt: DEADLINE_PROMPT },
};
const EDIT_NAMES = ['单位', '渠道', '截止'];

/**
 * Whether the bot reads the source page itself: always in live mode; in the sandbox only pages on
 * this machine (the fictional unit sites), so that trying it offline does not wait on DNS.
 */
function readsSource(ctx: HandlerContext, url: string): boolean {
  if (ctx.services.config.mode === 'live') return true;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

/** The sources in this message: forwarded link (with WeCom's title), or addresses in the text. */
async function sourcesOf(ctx: HandlerContext): Promise<Draft['sources']> {
  const found: { url: string; title: string | null }[] =
    ctx.inbound.type === 'link'
      ? [{ url: ctx.inbound.url, title: ctx.inbound.title.trim() || null }]
      : linksIn(ctx.rawText).map((url) => ({ url, title: null }));
  const sources: Draft['sources'] = [];
  for (const { url, title } of found) {
    let read: { title: string | null; publisher: string | null } = { title, publisher: null };
    if (readsSource(ctx, url)) {
      const page = await ctx.services.content.readPageFacts(url);
      if (page.ok) {
        const heading = page.facts.metaTitles[0] ?? page.facts.headings[0] ?? page.facts.title;
        read = { title: title ?? (heading ? heading : null), publisher: page.facts.publisher };
      }
    }
    sources.push({
      url: url.slice(0, 1000),
      title: read.title ? [...read.title].slice(0, MAX_TITLE).join('') : null,
      publisher: read.publisher,
    });
  }
  return sources;
}

const missingTitle = (draft: Draft): number => draft.sources.findIndex((source) => source.title === null);

function titlePrompt(draft: Draft, index: number): string {
  return `未能读取第 ${index + 1} 条文章的标题，请输入标题（可在后面加“｜发布机构”，如 关于…的通知｜国务院办公厅）：\n${memberText(draft.sources[index]!.url)}`;
}

function sourcesSoFar(draft: Draft): string {
  return draft.sources
    .map(
      (source, i) =>
        `${i + 1}. 《${memberText(source.title ?? '（待输入标题）')}》${source.publisher ? `（${memberText(source.publisher)}）` : ''}`,
    )
    .join('\n');
}

/** After a source message or a title: the next title to ask, or more sources. */
function afterSources(draft: Draft): HandlerResult {
  const missing = missingTitle(draft);
  if (missing >= 0) return repostAssignFlow.to('title', draft, titlePrompt(draft, missing));
  if (draft.editing)
    return repostAssignFlow.to('more', draft, `已添加：\n${sourcesSoFar(draft)}\n${MORE_PROMPT}`);
  return repostAssignFlow.to('more', draft, `已添加：\n${sourcesSoFar(draft)}\n${MORE_PROMPT}`);
}

async function addSources(ctx: HandlerContext, draft: Draft): Promise<HandlerResult | null> {
  if (ctx.inbound.type !== 'link' && linksIn(ctx.rawText).length === 0) return null;
  const sources = await sourcesOf(ctx);
  const all = [...draft.sources, ...sources.filter((s) => !draft.sources.some((d) => d.url === s.url))];
  if (all.length > MAX_SOURCES) return reply(`一次最多下发 ${MAX_SOURCES} 条文章，请分批下发。`);
  return afterSources({ ...draft, sources: all });
}

async function advance(
  ctx: HandlerContext,
  draft: Draft,
  step: string,
  prompt: string,
): Promise<HandlerResult> {
  if (draft.editing) return preview(ctx, draft);
  return repostAssignFlow.to(step, draft, prompt);
}

async function preview(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const unitIds = draft.unitIds ?? [];
  const names = await unitNames(ctx.tx, unitIds);
  const { line } = taskDeadlineText(
    calendar,
    {
      assignedAt: ctx.now,
      deadline: new Date(draft.deadline!),
      deadlineEstimated: draft.deadlineEstimated ?? false,
    },
    ctx.now,
  );
  const list = unitIds.map((id) => memberText(names.get(id) ?? String(id)));
  const unitText = draft.allUnits
    ? `全部单位（${list.length}个）`
    : `${list.length > 15 ? `${list.slice(0, 15).join('、')}等` : list.join('、')}（${list.length}个）`;
  const lines = previewLines(
    draft.sources.map((source) => ({ url: source.url, title: source.title!, publisher: source.publisher })),
    unitText,
    draft.channels!,
    line,
  );
  if (draft.deadlineWarning) lines.push(`<font color="warning">${draft.deadlineWarning}</font>`);
  const urls = new Set(draft.sources.map((source) => source.url));
  const already = (await openItems(ctx.tx)).filter((item) => urls.has(item.sourceUrl));
  if (already.length) lines.push(alreadyOpenLine(already));
  return repostAssignFlow.to(
    'preview',
    { ...draft, editing: true },
    previewMessage(lines, '下发', EDIT_NAMES),
  );
}

async function confirm(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const deadline = new Date(draft.deadline!);
  if (deadline.getTime() <= ctx.now.getTime()) {
    return repostAssignFlow.to('deadline', draft, `截止时间已过，请重新输入。${DEADLINE_PROMPT}`);
  }
  const created = await createRepostBatch(
    effectsOf(ctx),
    {
      sources: draft.sources.map((source) => ({
        url: source.url,
        title: source.title!,
        publisher: source.publisher,
      })),
      channels: draft.channels!,
      unitIds: draft.unitIds!,
      deadline,
      deadlineEstimated: draft.deadlineEstimated ?? false,
    },
    actorOf(ctx),
  );
  const calendar = await ctx.services.calendar.get();
  const unitIds = [...new Set(draft.unitIds)];
  const [liaisons, names] = await Promise.all([
    liaisonsByTopUnit(ctx.tx, unitIds),
    unitNames(ctx.tx, unitIds),
  ]);
  const notify: Notification[] = [];
  for (const item of created.items) {
    for (const unitId of unitIds) {
      for (const person of liaisons.get(unitId) ?? []) {
        notify.push({
          to: [person.userid],
          key: `repost:${item.id}:assigned`,
          source: 'repost',
          message: repostCard(calendar, item, names.get(unitId) ?? '', person.userid, ctx.now),
        });
      }
    }
  }
  const silent = unitIds.filter((id) => !liaisons.get(id)?.length).map((id) => names.get(id) ?? String(id));
  return { replies: [markdown(createdText(created.items, unitIds.length, silent))], notify, next: 'end' };
}

export const repostAssignFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: REPOST_ASSIGN_FLOW,
  version: 1,
  title: '转载任务',
  roles: SUPERVISORS,
  schema: Draft,
  ttlMinutes: 60,
  steps: {
    source: {
      hint: '请发送要转载的文章链接',
      run: async (ctx, draft) => (await addSources(ctx, draft)) ?? reply(SOURCE_PROMPT),
    },
    title: {
      hint: '请输入文章标题',
      takesText: true,
      run: async (ctx, draft) => {
        const index = missingTitle(draft);
        if (index < 0) return afterSources(draft);
        if (ctx.inbound.type !== 'text' || !ctx.rawText.trim()) return reply(titlePrompt(draft, index));
        const [title, publisher] = ctx.rawText.trim().split(/\s*[｜|]\s*/u);
        if (!title || [...title].length > MAX_TITLE)
          return reply(`标题不能为空，也不能超过 ${MAX_TITLE} 个字。`);
        const sources = draft.sources.map((source, i) =>
          i === index ? { ...source, title, publisher: publisher?.trim() || source.publisher } : source,
        );
        return afterSources({ ...draft, sources });
      },
    },
    more: {
      hint: '继续发送文章链接，或回复“好了”',
      run: async (ctx, draft) => {
        const added = await addSources(ctx, draft);
        if (added) return added;
        if (!DONE_WORDS.has(ctx.text)) return reply(MORE_PROMPT);
        if (draft.editing) return preview(ctx, draft);
        return repostAssignFlow.to('units', draft, UNITS_PROMPT);
      },
    },
    units: {
      hint: '请发送转载单位（如 全部、全部区县、高青县）',
      run: async (ctx, draft) => {
        if (ALL_WORDS.has(ctx.text)) {
          const units = await activeTopUnits(ctx.tx);
          if (units.length === 0) return reply('通讯录中还没有单位。');
          return advance(
            ctx,
            { ...draft, unitIds: units.map((u) => u.id), allUnits: true },
            'channels',
            CHANNEL_PROMPT,
          );
        }
        const units = await readUnits(ctx, ctx.text);
        if (!units.ok) return reply(units.message);
        const unitIds = units.units.map((unit) => unit.id);
        return advance(ctx, { ...draft, unitIds, allUnits: false }, 'channels', CHANNEL_PROMPT);
      },
    },
    channels: choiceStep<Draft, RepostChannels>({
      hint: '请选择转载渠道（网站、政务新媒体或两者）',
      label: '转载渠道',
      choices: () =>
        (['website', 'media', 'both'] as const).map((value) => ({
          label: REPOST_CHANNEL_LABELS[value],
          value,
          aliases:
            value === 'both'
              ? ['两者', '都要', '全部']
              : value === 'media'
                ? ['新媒体', '公众号']
                : ['政府网站'],
        })),
      accept: (ctx, draft, channels) => advance(ctx, { ...draft, channels }, 'deadline', DEADLINE_PROMPT),
    }),
    deadline: dateStep<Draft>({
      hint: '请发送截止时间（如 24小时内、1个工作日）',
      flow: () => repostAssignFlow,
      step: 'deadline',
      accept: (ctx, draft, value) =>
        preview(ctx, {
          ...draft,
          deadline: value.deadline.toISOString(),
          deadlineEstimated: value.estimated,
          deadlineWarning: value.warning,
        }),
    }),
    preview: confirmStep<Draft>({
      action: '下发',
      edits: EDIT_FIELDS,
      flow: () => repostAssignFlow,
      confirm: (ctx, draft) => confirm(ctx, draft),
    }),
  },
});

export const repostAssignCommand: Command = {
  name: '转载任务',
  roles: SUPERVISORS,
  summary: '下发重要信息转载任务（文章链接、单位、渠道、截止时间），各单位提交转载链接后自动核验',
  usage: '转载任务 [文章链接…]',
  args: 'optional',
  group: '重要信息转载',
  handle: async (ctx) => {
    const start = { sources: [] } as Draft;
    if (linksIn(ctx.rawArgs).length > 0) {
      const added = await addSources({ ...ctx, rawText: ctx.rawArgs }, start);
      if (added)
        return {
          ...added,
          replies: [markdown('转载任务（随时发送“取消”退出）。'), ...(added.replies ?? [])],
        };
    }
    return repostAssignFlow.to('source', start, `转载任务（随时发送“取消”退出）。\n${SOURCE_PROMPT}`);
  },
};
