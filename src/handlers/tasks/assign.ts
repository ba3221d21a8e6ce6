// 下发任务: kind → title → detail → units → deadline → preview → 确认. Nothing is created before
// 确认; invalid input keeps the draft and says what to fix; 修改 <field> goes back to one step.
import { memberText } from '../../messages/member-text.js';
import { z } from 'zod';
import { markdown } from '../../messages/outbound.js';
import { TASK_KIND_LABELS, type Task, type TaskKind } from '../../entities/task.js';
import type { Unit } from '../../entities/unit.js';
import {
  liaisonsByTopUnit,
  notToldText,
  resolveUnitNames,
  unknownUnitsText,
} from '../../services/directory/lookup.js';
import {
  DEADLINE_EXAMPLES,
  clip,
  kindMenu,
  TASK_KIND_ORDER,
  taskKindAliases,
  taskRef,
} from '../../services/tasks/text.js';
import { ASSIGN_WORDS as W, assignmentCard, taskDeadlineText } from '../../services/tasks/views.js';
import { createTasks, unitNames } from '../../services/tasks/store.js';
import { SUPERVISORS, reply, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { FLOWS, calendarOf, perPerson } from './common.js';
import { defineFlow, nextFieldOrPreview, type KitFlow } from '../flow/kit.js';
import { choiceStep, confirmStep, dateStep, gatedTextSteps, previewMessage } from '../flow/steps.js';

const Draft = z.object({
  kind: z.enum(TASK_KIND_ORDER).optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  unitIds: z.array(z.number()).optional(),
  deadline: z.string().optional(),
  deadlineEstimated: z.boolean().optional(),
  /** N of "N个工作日" and the instant counting started, to recompute a provisional deadline. */
  deadlineWorkingDays: z.number().nullable().optional(),
  deadlineCountedFrom: z.string().nullable().optional(),
  deadlineWarning: z.string().nullable().optional(),
  /** Set once the preview was shown: a changed field goes back to the preview. */
  editing: z.boolean().optional(),
});
type Draft = z.infer<typeof Draft>;

const UNITS_PROMPT = W.unitsAsk;
const DEADLINE_PROMPT = W.deadlineAsk(DEADLINE_EXAMPLES);
const EDIT_FIELDS: Record<string, { step: string; prompt: string }> = {
  类型: { step: 'kind', prompt: W.kindAsk(kindMenu()) },
  标题: { step: 'title', prompt: W.titleEdit },
  要求: { step: 'detail', prompt: W.detailEdit },
  单位: { step: 'units', prompt: UNITS_PROMPT },
  截止: { step: 'deadline', prompt: DEADLINE_PROMPT },
};

const EDIT_NAMES = ['标题', '类型', '要求', '单位', '截止'];

const MAX_TITLE = 100;
const MAX_DETAIL = 2000;

/** After a field: the next prompt, or the preview again when editing. */
const advance = nextFieldOrPreview<Draft>(() => assignFlow, preview);

async function preview(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const calendar = await calendarOf(ctx);
  const unitIds = draft.unitIds ?? [];
  const names = await unitNames(ctx.tx, unitIds);
  const liaisons = await liaisonsByTopUnit(ctx.tx, unitIds);
  const deadline = new Date(draft.deadline!);
  const { line } = taskDeadlineText(
    calendar,
    { assignedAt: ctx.now, deadline, deadlineEstimated: draft.deadlineEstimated ?? false },
    ctx.now,
  );
  const unitList = unitIds.map((id) => memberText(names.get(id) ?? String(id)));
  const silent = unitIds.filter((id) => !liaisons.get(id)?.length).map((id) => names.get(id) ?? String(id));
  const lines = [
    W.previewHeading,
    `类型：${TASK_KIND_LABELS[draft.kind!]}`,
    `标题：${memberText(draft.title)}`,
    `要求：`,
    `> ${memberText(clip(draft.detail!, 500)).replace(/\n+/g, '\n> ')}`,
    `单位（${unitList.length}个）：${unitList.length > 15 ? `${unitList.slice(0, 15).join('、')}等` : unitList.join('、')}`,
    `截止：${line}`,
  ];
  if (draft.deadlineWarning) lines.push(`<font color="warning">${draft.deadlineWarning}</font>`);
  if (silent.length) {
    lines.push(W.silentUnits(silent.join('、')));
  }
  lines.push('', W.previewFooter);
  return assignFlow.to('preview', { ...draft, editing: true }, previewMessage(lines, '下发', EDIT_NAMES));
}

async function confirm(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const deadline = new Date(draft.deadline!);
  if (deadline.getTime() <= ctx.now.getTime()) {
    return assignFlow.to('deadline', draft, W.deadlinePassed(DEADLINE_PROMPT));
  }
  const tasks = await createTasks(
    ctx.tx,
    {
      kind: draft.kind!,
      title: draft.title!,
      detail: draft.detail!,
      unitIds: draft.unitIds!,
      deadline,
      deadlineEstimated: draft.deadlineEstimated ?? false,
      deadlineWorkingDays: draft.deadlineWorkingDays ?? null,
      deadlineCountedFrom: draft.deadlineCountedFrom ? new Date(draft.deadlineCountedFrom) : null,
      noticeId: null,
    },
    ctx.user.userid,
    ctx.now,
    (entry) => ctx.services.audit(entry),
  );
  const notify = await assignmentNotifications(ctx, tasks);
  return {
    replies: [markdown(await createdSummary(ctx, tasks, ''))],
    notify,
    next: 'end',
  };
}

/** Cards for the liaisons of each new task's unit. */
export async function assignmentNotifications(
  ctx: HandlerContext,
  tasks: Task[],
): Promise<NonNullable<HandlerResult['notify']>> {
  const calendar = await calendarOf(ctx);
  const unitIds = [...new Set(tasks.map((task) => task.unitId))];
  const [liaisons, names] = await Promise.all([
    liaisonsByTopUnit(ctx.tx, unitIds),
    unitNames(ctx.tx, unitIds),
  ]);
  return tasks.flatMap((task) =>
    perPerson(liaisons.get(task.unitId) ?? [], `task:${task.id}:assigned`, (person) =>
      assignmentCard(calendar, task, names.get(task.unitId) ?? '', person.id, ctx.now),
    ),
  );
}

/** Up to this many tasks are listed one by one; more (a 通报 to every unit) are summed up by title. */
const LIST_EACH_UP_TO = 15;

/** > 《标题》54 个单位：T1–T54 (the numbers a title got, as ranges). */
function byTitle(tasks: readonly Task[]): string[] {
  const groups = new Map<string, number[]>();
  for (const task of tasks) groups.set(task.title, [...(groups.get(task.title) ?? []), task.id]);
  return [...groups].map(([title, ids]) => {
    const ranges: string[] = [];
    for (let i = 0; i < ids.length;) {
      let j = i;
      while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
      ranges.push(j > i ? `${taskRef(ids[i]!)}–${taskRef(ids[j]!)}` : taskRef(ids[i]!));
      i = j + 1;
    }
    return W.createdByTitle(memberText(clip(title, 40)), ids.length, ranges.join('、'));
  });
}

/** 已下发 3 项任务：T1 张店区、T2 淄川区…, naming units nobody was told about. */
export async function createdSummary(ctx: HandlerContext, tasks: Task[], heading: string): Promise<string> {
  const unitIds = tasks.map((task) => task.unitId);
  const [liaisons, names] = await Promise.all([
    liaisonsByTopUnit(ctx.tx, unitIds),
    unitNames(ctx.tx, unitIds),
  ]);
  const silent = [
    ...new Set(
      tasks.filter((task) => !liaisons.get(task.unitId)?.length).map((task) => names.get(task.unitId) ?? ''),
    ),
  ];
  const lines =
    tasks.length <= LIST_EACH_UP_TO
      ? [
          W.created(
            heading,
            tasks.length,
            tasks.map((task) => `${taskRef(task.id)} ${names.get(task.unitId) ?? ''}`).join('、'),
          ),
        ]
      : [W.created(heading, tasks.length, ''), ...byTitle(tasks)];
  if (silent.length) lines.push(`<font color="warning">${notToldText(silent)}</font>`);
  lines.push(W.createdFooter);
  return lines.join('\n');
}

/** Reads a unit list; on unknown names or none, the message to send back. */
export async function readUnits(
  ctx: HandlerContext,
  input: string,
): Promise<{ ok: true; units: Unit[] } | { ok: false; message: string }> {
  const resolved = await resolveUnitNames(ctx.tx, input);
  if (resolved.unknown.length) {
    return { ok: false, message: unknownUnitsText(resolved, W.unitsRetry) };
  }
  if (resolved.units.length === 0) return { ok: false, message: UNITS_PROMPT };
  return { ok: true, units: resolved.units };
}

export const assignFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOWS.assign,
  version: 2,
  title: '下发任务',
  roles: SUPERVISORS,
  schema: Draft,
  ttlMinutes: 60,
  steps: {
    kind: choiceStep<Draft, TaskKind>({
      hint: W.kindHint,
      label: '任务类型',
      choices: () =>
        TASK_KIND_ORDER.map((kind) => ({
          label: TASK_KIND_LABELS[kind],
          value: kind,
          aliases: taskKindAliases(kind),
        })),
      accept: (ctx, draft, kind) => advance(ctx, { ...draft, kind }, 'title', W.titleAsk),
    }),
    // Title and requirement go to every liaison of the chosen units: checked for personal
    // information like a reply (a blocking finding is refused, a warning asks 确认).
    ...gatedTextSteps<Draft>('title', {
      hint: W.titleHint,
      label: '任务标题',
      maxChars: MAX_TITLE,
      flow: () => assignFlow,
      accept: (ctx, draft, title) => advance(ctx, { ...draft, title }, 'detail', W.detailAsk),
    }),
    ...gatedTextSteps<Draft>('detail', {
      hint: W.detailHint,
      label: '任务要求',
      maxChars: MAX_DETAIL,
      flow: () => assignFlow,
      accept: (ctx, draft, detail) => advance(ctx, { ...draft, detail }, 'units', UNITS_PROMPT),
    }),
    units: {
      hint: W.unitsHint,
      run: async (ctx, draft) => {
        const units = await readUnits(ctx, ctx.text);
        if (!units.ok) return reply(units.message);
        const unitIds = units.units.map((unit) => unit.id);
        return advance(ctx, { ...draft, unitIds }, 'deadline', DEADLINE_PROMPT);
      },
    },
    deadline: dateStep<Draft>({
      hint: W.deadlineHint(DEADLINE_EXAMPLES),
      flow: () => assignFlow,
      step: 'deadline',
      accept: (ctx, draft, value) =>
        preview(ctx, {
          ...draft,
          deadline: value.deadline.toISOString(),
          deadlineEstimated: value.estimated,
          deadlineWarning: value.warning,
          deadlineWorkingDays: value.workingDays,
          deadlineCountedFrom: value.countedFrom?.toISOString() ?? null,
        }),
    }),
    preview: confirmStep<Draft>({
      action: '下发',
      edits: EDIT_FIELDS,
      flow: () => assignFlow,
      confirm: (ctx, draft) => confirm(ctx, draft),
    }),
  },
});

export const assignCommand: Command = {
  name: '下发任务',
  roles: SUPERVISORS,
  summary: '分步填写并向单位下发任务',
  args: 'none',
  group: '督办',
  handle: async () => assignFlow.to('kind', {}, W.start(kindMenu())),
};
