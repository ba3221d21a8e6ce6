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
import * as W from './views.js';
import { defineFlow, nextFieldOrPreview, type KitFlow } from '../flow/kit.js';
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

const DEADLINE_PROMPT = W.deadlinePrompt(DEADLINE_EXAMPLES);
const { SOURCE_PROMPT, MORE_PROMPT, UNITS_PROMPT, CHANNEL_PROMPT } = W;
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
  return W.titlePrompt(index, draft.sources[index]!.url);
}

/** After a source message or a title: the next title to ask, or more sources. */
function afterSources(draft: Draft): HandlerResult {
  const missing = missingTitle(draft);
  if (missing >= 0) return repostAssignFlow.to('title', draft, titlePrompt(draft, missing));
  return repostAssignFlow.to('more', draft, W.sourcesAdded(W.sourcesSoFar(draft.sources)));
}

async function addSources(ctx: HandlerContext, draft: Draft): Promise<HandlerResult | null> {
  if (ctx.inbound.type !== 'link' && linksIn(ctx.rawText).length === 0) return null;
  const sources = await sourcesOf(ctx);
  const all = [...draft.sources, ...sources.filter((s) => !draft.sources.some((d) => d.url === s.url))];
  if (all.length > MAX_SOURCES) return reply(W.tooManySources(MAX_SOURCES));
  return afterSources({ ...draft, sources: all });
}

/** After a field: the next prompt, or the preview again when editing. */
const advance = nextFieldOrPreview<Draft>(() => repostAssignFlow, preview);

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
  const unitText = W.unitsText(list, draft.allUnits ?? false);
  const lines = previewLines(
    draft.sources.map((source) => ({ url: source.url, title: source.title!, publisher: source.publisher })),
    unitText,
    draft.channels!,
    line,
  );
  if (draft.deadlineWarning) lines.push(W.warningLine(draft.deadlineWarning));
  const urls = new Set(draft.sources.map((source) => source.url));
  const already = (await openItems(ctx.tx)).filter((item) => urls.has(item.sourceUrl));
  if (already.length) lines.push(alreadyOpenLine(already));
  return repostAssignFlow.to(
    'preview',
    { ...draft, editing: true },
    previewMessage(lines, W.ASSIGN_ACTION, EDIT_NAMES),
  );
}

async function confirm(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const deadline = new Date(draft.deadline!);
  if (deadline.getTime() <= ctx.now.getTime()) {
    return repostAssignFlow.to('deadline', draft, W.deadlinePassed(DEADLINE_PROMPT));
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
      hint: W.SOURCE_HINT,
      run: async (ctx, draft) => (await addSources(ctx, draft)) ?? reply(SOURCE_PROMPT),
    },
    title: {
      hint: W.TITLE_HINT,
      takesText: true,
      run: async (ctx, draft) => {
        const index = missingTitle(draft);
        if (index < 0) return afterSources(draft);
        if (ctx.inbound.type !== 'text' || !ctx.rawText.trim()) return reply(titlePrompt(draft, index));
        const [title, publisher] = ctx.rawText.trim().split(/\s*[｜|]\s*/u);
        if (!title || [...title].length > MAX_TITLE) return reply(W.titleProblem(MAX_TITLE));
        const sources = draft.sources.map((source, i) =>
          i === index ? { ...source, title, publisher: publisher?.trim() || source.publisher } : source,
        );
        return afterSources({ ...draft, sources });
      },
    },
    more: {
      hint: W.MORE_HINT,
      run: async (ctx, draft) => {
        const added = await addSources(ctx, draft);
        if (added) return added;
        if (!DONE_WORDS.has(ctx.text)) return reply(MORE_PROMPT);
        if (draft.editing) return preview(ctx, draft);
        return repostAssignFlow.to('units', draft, UNITS_PROMPT);
      },
    },
    units: {
      hint: W.UNITS_HINT,
      run: async (ctx, draft) => {
        if (ALL_WORDS.has(ctx.text)) {
          const units = await activeTopUnits(ctx.tx);
          if (units.length === 0) return reply(W.NO_UNITS);
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
      hint: W.CHANNEL_HINT,
      label: W.CHANNEL_LABEL,
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
      hint: W.DEADLINE_HINT,
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
      action: W.ASSIGN_ACTION,
      edits: EDIT_FIELDS,
      flow: () => repostAssignFlow,
      confirm: (ctx, draft) => confirm(ctx, draft),
    }),
  },
});

export const repostAssignCommand: Command = {
  name: '转载任务',
  roles: SUPERVISORS,
  summary: W.ASSIGN_SUMMARY,
  usage: W.ASSIGN_USAGE,
  args: 'optional',
  group: W.REPOST_GROUP,
  handle: async (ctx) => {
    const start = { sources: [] } as Draft;
    if (linksIn(ctx.rawArgs).length > 0) {
      const added = await addSources({ ...ctx, rawText: ctx.rawArgs }, start);
      if (added)
        return {
          ...added,
          replies: [markdown(W.ASSIGN_INTRO), ...(added.replies ?? [])],
        };
    }
    return repostAssignFlow.to('source', start, `${W.ASSIGN_INTRO}\n${SOURCE_PROMPT}`);
  },
};
