// 账号备案: action → platform → account (typed, or picked from the unit's accounts) → for 变更 the
// new name → date of the change → for 关停/注销 the public closure announcement → 确认. Supervisors
// get a card to confirm the filing was made in the national system (or to send it back).
import { memberText } from '../../messages/member-text.js';
import { markdown, text, type TemplateCard } from '../../messages/outbound.js';
import {
  FILING_ACTION_LABELS,
  type AccountFiling,
  type FilingAction,
} from '../../entities/account-filing.js';
import {
  MEDIA_ACCOUNT_STATUS_LABELS,
  MEDIA_PLATFORM_LABELS,
  MediaAccount,
  type MediaPlatform,
} from '../../entities/media-account.js';
import {
  describeDeadline,
  isProvisional,
  provisionalWarning,
  type DeadlineResult,
} from '../../services/calendar/deadlines.js';
import { formatDeadlineMarked } from '../../services/calendar/deadline-text.js';
import { supervisors } from '../../services/directory/lookup.js';
import { clip, unitNameOf } from '../../services/shared/duty.js';
import {
  ACTION_MENU,
  PLATFORM_MENU,
  actionConflict,
  filingDeadlineFields,
  filingRef,
  filingSubject,
  parseFilingAction,
  parsePlatform,
  submitFiling,
  unitAccounts,
  validAccountName,
} from '../../services/filings/store.js';
import { z } from 'zod';
import { auditAcceptedFindings, gateSubmission, summariseFindings } from '../../services/pii/gate.js';
import { formatDate, parseLocalDate, shanghaiDate, type LocalDate } from '../../services/calendar/time.js';
import { readPastDate } from '../../services/calendar/date-replies.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { ALL_ROLES, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { actorOf, cardNotices, effectsOf } from '../context.js';
import { AcceptedFindings } from '../flow/gated.js';
import { defineFlow, type KitFlow, type StepSpec } from '../flow/kit.js';
import { confirmStep, readStep } from '../flow/steps.js';
import { MEDIA_GROUP } from './views.js';

export const FILING_FLOW = 'account-filing';
export { MEDIA_GROUP };

const MAX_ANNOUNCEMENT_CHARS = 5000;

const Draft = z.object({
  action: z.enum(['open', 'change', 'close', 'cancel']).optional(),
  platform: z.enum(['wechat', 'weibo', 'toutiao', 'douyin', 'other']).optional(),
  accountName: z.string().optional(),
  previousName: z.string().nullable().optional(),
  mediaAccountId: z.number().nullable().optional(),
  unitId: z.number(),
  topUnitId: z.number(),
  changeDate: z
    .string()
    .refine((value) => parseLocalDate(value) !== null)
    .transform((value) => value as LocalDate)
    .optional(),
  announcement: z.string().nullable().optional(),
  /** The unit's accounts offered at the account step, by number. */
  accountIds: z.array(z.number()).optional(),
  /** Warn findings in the announcement, accepted with the preview's 确认. */
  findings: AcceptedFindings.optional(),
  note: z.string().optional(),
});
type Draft = z.infer<typeof Draft>;

const next = (step: string, draft: Draft): HandlerResult['next'] => ({
  flow: FILING_FLOW,
  step,
  data: { draft },
});

const needsAnnouncement = (action: FilingAction | undefined) => action === 'close' || action === 'cancel';

function askAction(): HandlerResult {
  return { replies: [text(`请选择备案事项（回复序号）：\n${ACTION_MENU}`)] };
}

function askPlatform(draft: Draft): HandlerResult {
  return {
    replies: [
      text(`备案事项：${FILING_ACTION_LABELS[draft.action!]}\n请选择平台（回复序号）：\n${PLATFORM_MENU}`),
    ],
    next: next('platform', draft),
  };
}

async function askAccount(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const platform = MEDIA_PLATFORM_LABELS[draft.platform!];
  if (draft.action === 'open') {
    return { replies: [text(`平台：${platform}\n请输入新开设账号的名称：`)], next: next('account', draft) };
  }
  const accounts = (await unitAccounts(ctx.tx, draft.topUnitId, draft.platform)).filter(
    (account) => actionConflict(draft.action!, account) === null,
  );
  if (accounts.length === 0) {
    return {
      replies: [
        text(
          `平台：${platform}\n您单位在该平台暂无可${FILING_ACTION_LABELS[draft.action!]}的登记账号，请输入账号名称：`,
        ),
      ],
      next: next('account', { ...draft, accountIds: [] }),
    };
  }
  const lines = accounts.map(
    (account, i) => `${i + 1}. ${account.name}（${MEDIA_ACCOUNT_STATUS_LABELS[account.status]}）`,
  );
  return {
    replies: [text([`平台：${platform}`, '请选择账号（回复序号），或输入账号名称：', ...lines].join('\n'))],
    next: next('account', { ...draft, accountIds: accounts.map((account) => account.id) }),
  };
}

function askDate(draft: Draft, note?: string): HandlerResult {
  return {
    replies: [
      text(
        [
          ...(note ? [note] : []),
          `请输入${FILING_ACTION_LABELS[draft.action!]}日期（如 2026-03-20、3月20日、昨天；当天请回复“今天”）：`,
        ].join('\n'),
      ),
    ],
    next: next('date', draft),
  };
}

function deadlineLines(result: DeadlineResult): string[] {
  const line = `备案期限：${describeDeadline(result)}`;
  if (!isProvisional(result)) return [line];
  return [line, `<font color="warning">${provisionalWarning(result.provisionalYears)}</font>`];
}

async function askConfirm(ctx: HandlerContext, draft: Draft, gateMessage?: string): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const { result } = filingDeadlineFields(calendar, draft.changeDate!);
  const lines = [
    '**请核对账号备案**',
    `> 事项：${FILING_ACTION_LABELS[draft.action!]}`,
    `> 平台：${MEDIA_PLATFORM_LABELS[draft.platform!]}`,
    draft.action === 'change' && draft.previousName !== draft.accountName
      ? `> 账号：${memberText(draft.previousName)} → ${memberText(draft.accountName)}`
      : `> 账号：${memberText(draft.accountName)}`,
    `> ${FILING_ACTION_LABELS[draft.action!]}日期：${formatDate(draft.changeDate!)}`,
    ...(draft.announcement
      ? [`> 关停公告：${memberText(clip(draft.announcement, 80).replace(/\s+/g, ' '))}`]
      : []),
    ...deadlineLines(result),
    ...(draft.note ? [`<font color="comment">${draft.note}</font>`] : []),
    '',
    gateMessage
      ? '内容中可能含有个人信息（见上一条）。回复“确认”提交，发送“取消”放弃。'
      : '回复“确认”提交，发送“取消”放弃。',
  ];
  return {
    replies: [...(gateMessage ? [text(gateMessage)] : []), markdown(lines.join('\n'))],
    next: next('confirm', draft),
  };
}

export const filingCommand: Command = {
  name: '账号备案',
  roles: ALL_ROLES,
  summary: '政务新媒体账号开设、变更、关停、注销备案（3个工作日内）',
  usage: '账号备案',
  args: 'optional',
  group: MEDIA_GROUP,
  handle: async (ctx) => {
    const unit = ctx.user.topUnit;
    if (!unit || ctx.user.unitId === null) return { replies: [text(NO_UNIT_TEXT)] };
    const draft: Draft = { topUnitId: unit.id, unitId: ctx.user.unitId };
    const action = ctx.args === '' ? null : parseFilingAction(ctx.args);
    if (action) return askPlatform({ ...draft, action });
    return { ...askAction(), next: next('action', draft) };
  },
};

async function chooseAccount(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const accounts = ctx.tx.getRepository(MediaAccount);
  if (draft.action === 'open') {
    const name = validAccountName(ctx.rawText);
    if (!name) return { replies: [text('请输入账号名称（一行，不超过100字）。')] };
    const existing = await accounts.findOneBy({ platform: draft.platform!, name });
    if (existing) {
      return {
        replies: [
          text(
            `账号清单中已有${MEDIA_PLATFORM_LABELS[existing.platform]}“${name}”（${await unitNameOf(ctx.tx, existing.unitId)}），请核对名称后重新输入。`,
          ),
        ],
      };
    }
    return askDate({ ...draft, accountName: name, previousName: null, mediaAccountId: null });
  }
  const ids = draft.accountIds ?? [];
  const picked = /^\d{1,3}$/.test(ctx.text) ? ids[Number(ctx.text) - 1] : undefined;
  if (/^\d{1,3}$/.test(ctx.text) && picked === undefined && ids.length > 0) {
    return { replies: [text(`序号 ${ctx.text} 不在列表中，请回复 1–${ids.length}，或输入账号名称。`)] };
  }
  let account: MediaAccount | null;
  let name: string | null;
  if (picked !== undefined) {
    account = await accounts.findOneBy({ id: picked });
    name = account?.name ?? null;
  } else {
    name = validAccountName(ctx.rawText);
    if (!name) return { replies: [text('请回复序号，或输入账号名称（一行，不超过100字）。')] };
    const mine = await unitAccounts(ctx.tx, draft.topUnitId, draft.platform);
    account = mine.find((candidate) => candidate.name === name) ?? null;
    if (!account) {
      const other = await accounts.findOneBy({ platform: draft.platform!, name });
      if (other) {
        return {
          replies: [
            text(`“${name}”登记在${await unitNameOf(ctx.tx, other.unitId)}名下，不能代为备案。请核对名称。`),
          ],
        };
      }
    }
  }
  if (!name) return { replies: [text('该账号已不在账号清单中，请重新选择或输入名称。')] };
  if (account) {
    const conflict = actionConflict(draft.action!, account);
    if (conflict) return { replies: [text(conflict)] };
  }
  const chosen: Draft = {
    ...draft,
    accountIds: undefined,
    accountName: name,
    previousName: draft.action === 'change' ? name : null,
    mediaAccountId: account?.id ?? null,
    unitId: account?.unitId ?? draft.unitId,
    note: account ? undefined : '该账号不在账号清单中，备案确认后将加入清单。',
  };
  if (draft.action === 'change') {
    return {
      replies: [text(`账号：${name}\n请输入变更后的账号名称（名称不变请回复“不变”）：`)],
      next: next('new-name', chosen),
    };
  }
  return askDate(chosen, `账号：${name}`);
}

const steps: Record<string, StepSpec<Draft>> = {
  action: {
    hint: '请选择备案事项（回复序号）',
    run: async (ctx, draft) => {
      const action = parseFilingAction(ctx.text);
      if (!action) return { replies: [text(`请回复序号选择备案事项：\n${ACTION_MENU}`)] };
      return askPlatform({ ...draft, action });
    },
  },

  platform: {
    hint: '请选择平台（回复序号）',
    run: async (ctx, draft) => {
      const platform: MediaPlatform | null = parsePlatform(ctx.text);
      if (!platform) return { replies: [text(`请回复序号选择平台：\n${PLATFORM_MENU}`)] };
      return askAccount(ctx, { ...draft, platform });
    },
  },

  account: {
    hint: '请回复序号或输入账号名称',
    takesText: true,
    run: (ctx, draft) => chooseAccount(ctx, draft),
  },

  'new-name': {
    hint: '请输入变更后的账号名称（名称不变请回复“不变”）',
    takesText: true,
    run: async (ctx, draft) => {
      if (ctx.text === '不变') return askDate({ ...draft, accountName: draft.previousName! });
      const name = validAccountName(ctx.rawText);
      if (!name)
        return { replies: [text('请输入变更后的账号名称（一行，不超过100字），名称不变请回复“不变”。')] };
      if (name !== draft.previousName) {
        const clash = await ctx.tx.getRepository(MediaAccount).findOneBy({ platform: draft.platform!, name });
        if (clash && clash.id !== draft.mediaAccountId) {
          return {
            replies: [
              text(`账号清单中已有${MEDIA_PLATFORM_LABELS[clash.platform]}“${name}”，请核对后重新输入。`),
            ],
          };
        }
      }
      return askDate({ ...draft, accountName: name });
    },
  },

  date: readStep<Draft, LocalDate>({
    hint: '请输入日期（如 2026-03-20、3月20日、昨天；当天请回复“今天”）',
    flow: () => filingFlow,
    step: 'date',
    read: (input, ctx) =>
      input === '默认' ? { ok: true, value: shanghaiDate(ctx.now) } : readPastDate(input, ctx.now),
    accept: async (ctx, draft, date) => {
      if (date > shanghaiDate(ctx.now)) {
        return { replies: [text('日期不能晚于今天：请在变更发生后备案。')] };
      }
      const dated: Draft = { ...draft, changeDate: date };
      if (needsAnnouncement(draft.action)) {
        return {
          replies: [
            text(
              `${FILING_ACTION_LABELS[draft.action]}日期：${formatDate(date)}\n请发送向社会发布的关停公告链接或公告全文（通报要求关停、注销须发布公告）：`,
            ),
          ],
          next: next('announcement', dated),
        };
      }
      return askConfirm(ctx, dated);
    },
  }),

  // The announcement's personal-information warnings are shown with the preview, so that one
  // 确认 accepts both (a blocked announcement is refused here).
  announcement: {
    hint: '请发送关停公告的链接或公告全文',
    takesText: true,
    run: async (ctx, draft) => {
      const announcement = ctx.rawText.trim();
      if (ctx.inbound.type !== 'text' || announcement === '') {
        return { replies: [text('请用文字发送关停公告的链接或公告全文。')] };
      }
      if ([...announcement].length > MAX_ANNOUNCEMENT_CHARS) {
        return { replies: [text(`公告过长（最多 ${MAX_ANNOUNCEMENT_CHARS} 字），请发送公告链接。`)] };
      }
      const gate = gateSubmission(announcement, ctx.services.config.piiAllowList);
      if (gate.outcome === 'block') return { replies: [text(gate.message)] };
      const findings = gate.outcome === 'confirm' ? summariseFindings(gate.findings) : [];
      return askConfirm(
        ctx,
        { ...draft, announcement, findings },
        gate.outcome === 'confirm' ? gate.message : undefined,
      );
    },
  },

  confirm: confirmStep<Draft>({
    action: '提交',
    flow: () => filingFlow,
    confirm: (ctx, draft) => submit(ctx, draft),
  }),
};

export const filingFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FILING_FLOW,
  version: 2,
  title: '账号备案',
  roles: ALL_ROLES,
  schema: Draft,
  steps,
});

async function submit(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const actor = actorOf(ctx);
  const accepted = draft.findings ?? [];
  const { filing, result } = await submitFiling(
    effectsOf(ctx),
    calendar,
    {
      action: draft.action!,
      platform: draft.platform!,
      accountName: draft.accountName!,
      previousName: draft.previousName ?? null,
      mediaAccountId: draft.mediaAccountId ?? null,
      unitId: draft.unitId,
      topUnitId: draft.topUnitId,
      changeDate: draft.changeDate!,
      announcement: draft.announcement ?? null,
    },
    actor,
    accepted,
  );
  const ref = filingRef(filing.id);
  await auditAcceptedFindings(ctx.services, actor.userid, ref, accepted);
  const unitName = ctx.user.topUnit?.name ?? '';
  const cards = cardNotices(
    (await supervisors(ctx.tx)).map((person) => person.userid),
    { kind: 'filing', id: filing.id, key: `filing:${filing.id}:card`, source: 'filing' },
    (taskId) => filingCard(filing, unitName, ctx.user.name, taskId),
  );
  return {
    replies: [
      markdown(
        [
          `**已提交账号备案 ${ref}**`,
          `> ${filingSubject(filing)}`,
          ...deadlineLines(result),
          '督办人员确认已在全国政务新媒体信息报送系统完成备案后，账号清单将同步更新。',
        ].join('\n'),
      ),
    ],
    notify: cards,
    next: 'end',
  };
}

/** The supervisors' card: what changed, the deadline, and 确认备案 / 退回. */
export function filingCard(
  filing: AccountFiling,
  unitName: string,
  submitter: string,
  taskId: string,
): TemplateCard {
  const account =
    filing.previousName && filing.previousName !== filing.accountName
      ? `${filing.previousName}→${filing.accountName}`
      : filing.accountName;
  const card: TemplateCard = {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 账号备案' },
    main_title: {
      title: `账号备案 ${filingRef(filing.id)}：${FILING_ACTION_LABELS[filing.action]}`,
      desc: unitName,
    },
    horizontal_content_list: [
      { keyname: '平台', value: MEDIA_PLATFORM_LABELS[filing.platform] },
      { keyname: '账号', value: clip(account, 30) },
      { keyname: `${FILING_ACTION_LABELS[filing.action]}日期`, value: formatDate(filing.changeDate) },
      {
        keyname: '备案期限',
        value: formatDeadlineMarked(filing.deadline, filing.deadlineEstimated),
      },
      { keyname: '提交人', value: submitter },
    ],
    sub_title_text: '请在全国政务新媒体信息报送系统完成备案后点“确认备案”。',
    button_list: [
      { text: '确认备案', style: 1, key: `filing:confirm:${filing.id}` },
      { text: '退回', style: 2, key: `filing:reject:${filing.id}` },
    ],
  };
  if (filing.announcement) {
    const link = /^https?:\/\/\S+$/.test(filing.announcement) ? filing.announcement : undefined;
    card.quote_area = link
      ? { type: 1, url: link, title: '关停公告', quote_text: clip(link, 60) }
      : { type: 0, title: '关停公告', quote_text: clip(filing.announcement, 80) };
  }
  return card;
}
