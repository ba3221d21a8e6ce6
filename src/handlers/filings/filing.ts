// 账号备案: action → platform → account (typed, or picked from the unit's accounts) → for 变更 the
// new name → date of the change → for 关停/注销 the public closure announcement → 确认. Supervisors
// get a card to confirm the filing was made in the national system (or to send it back).
import { markdown, text } from '../../messages/outbound.js';
import { type FilingAction } from '../../entities/account-filing.js';
import { MediaAccount, type MediaPlatform } from '../../entities/media-account.js';
import { supervisors } from '../../services/directory/lookup.js';
import { unitNameOf } from '../../services/shared/duty.js';
import {
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
import { parseLocalDate, shanghaiDate, type LocalDate } from '../../services/calendar/time.js';
import { readPastDate } from '../../services/calendar/date-replies.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { ALL_ROLES, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { actorOf, cardNotices, effectsOf } from '../context.js';
import { AcceptedFindings } from '../flow/gated.js';
import { defineFlow, type KitFlow, type StepSpec } from '../flow/kit.js';
import { confirmStep, readStep } from '../flow/steps.js';
import * as views from './views.js';
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

const needsAnnouncement = (action: FilingAction | undefined) => action === 'close' || action === 'cancel';

function askPlatform(draft: Draft): HandlerResult {
  return filingFlow.to('platform', draft, text(views.askPlatform(draft.action!)));
}

async function askAccount(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  if (draft.action === 'open') {
    return filingFlow.to('account', draft, text(views.askNewAccount(draft.platform!)));
  }
  const accounts = (await unitAccounts(ctx.tx, draft.topUnitId, draft.platform)).filter(
    (account) => actionConflict(draft.action!, account) === null,
  );
  if (accounts.length === 0) {
    return filingFlow.to(
      'account',
      { ...draft, accountIds: [] },
      text(views.noAccountToPick(draft.platform!, draft.action!)),
    );
  }
  const accountIds = accounts.map((account) => account.id);
  return filingFlow.to(
    'account',
    { ...draft, accountIds },
    text(views.pickAccount(draft.platform!, accounts)),
  );
}

function askDate(draft: Draft, note?: string): HandlerResult {
  return filingFlow.to('date', draft, text(views.askDate(draft.action!, note)));
}

async function askConfirm(ctx: HandlerContext, draft: Draft, gateMessage?: string): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const { result } = filingDeadlineFields(calendar, draft.changeDate!);
  const lines = views.preview(
    {
      action: draft.action!,
      platform: draft.platform!,
      accountName: draft.accountName!,
      previousName: draft.previousName ?? null,
      changeDate: draft.changeDate!,
      announcement: draft.announcement ?? null,
      note: draft.note,
    },
    result,
    gateMessage !== undefined,
  );
  return filingFlow.to(
    'confirm',
    draft,
    ...(gateMessage ? [text(gateMessage)] : []),
    markdown(lines.join('\n')),
  );
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
    return filingFlow.to('action', draft, views.askAction());
  },
};

async function chooseAccount(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const accounts = ctx.tx.getRepository(MediaAccount);
  if (draft.action === 'open') {
    const name = validAccountName(ctx.rawText);
    if (!name) return { replies: [text(views.ACCOUNT_NAME_RETRY)] };
    const existing = await accounts.findOneBy({ platform: draft.platform!, name });
    if (existing) {
      return {
        replies: [text(views.nameTaken(existing.platform, name, await unitNameOf(ctx.tx, existing.unitId)))],
      };
    }
    return askDate({ ...draft, accountName: name, previousName: null, mediaAccountId: null });
  }
  const ids = draft.accountIds ?? [];
  const picked = /^\d{1,3}$/.test(ctx.text) ? ids[Number(ctx.text) - 1] : undefined;
  if (/^\d{1,3}$/.test(ctx.text) && picked === undefined && ids.length > 0) {
    return { replies: [text(views.numberNotListed(ctx.text, ids.length))] };
  }
  let account: MediaAccount | null;
  let name: string | null;
  if (picked !== undefined) {
    account = await accounts.findOneBy({ id: picked });
    name = account?.name ?? null;
  } else {
    name = validAccountName(ctx.rawText);
    if (!name) return { replies: [text(views.PICK_RETRY)] };
    const mine = await unitAccounts(ctx.tx, draft.topUnitId, draft.platform);
    account = mine.find((candidate) => candidate.name === name) ?? null;
    if (!account) {
      const other = await accounts.findOneBy({ platform: draft.platform!, name });
      if (other) {
        return {
          replies: [text(views.otherUnitsAccount(name, await unitNameOf(ctx.tx, other.unitId)))],
        };
      }
    }
  }
  if (!name) return { replies: [text(views.ACCOUNT_GONE)] };
  if (account) {
    const conflict = actionConflict(draft.action!, account);
    if (conflict) return { replies: [text(views.actionConflict(conflict))] };
  }
  const chosen: Draft = {
    ...draft,
    accountIds: undefined,
    accountName: name,
    previousName: draft.action === 'change' ? name : null,
    mediaAccountId: account?.id ?? null,
    unitId: account?.unitId ?? draft.unitId,
    note: account ? undefined : views.NOT_LISTED_NOTE,
  };
  if (draft.action === 'change') {
    return filingFlow.to('new-name', chosen, text(views.askNewName(name)));
  }
  return askDate(chosen, views.accountLine(name));
}

const steps: Record<string, StepSpec<Draft>> = {
  action: {
    hint: views.ACTION_HINT,
    run: async (ctx, draft) => {
      const action = parseFilingAction(ctx.text);
      if (!action) return { replies: [text(views.actionRetry())] };
      return askPlatform({ ...draft, action });
    },
  },

  platform: {
    hint: views.PLATFORM_HINT,
    run: async (ctx, draft) => {
      const platform: MediaPlatform | null = parsePlatform(ctx.text);
      if (!platform) return { replies: [text(views.platformRetry())] };
      return askAccount(ctx, { ...draft, platform });
    },
  },

  account: {
    hint: views.ACCOUNT_HINT,
    takesText: true,
    run: (ctx, draft) => chooseAccount(ctx, draft),
  },

  'new-name': {
    hint: views.NEW_NAME_HINT,
    takesText: true,
    run: async (ctx, draft) => {
      if (ctx.text === '不变') return askDate({ ...draft, accountName: draft.previousName! });
      const name = validAccountName(ctx.rawText);
      if (!name) return { replies: [text(views.NEW_NAME_RETRY)] };
      if (name !== draft.previousName) {
        const clash = await ctx.tx.getRepository(MediaAccount).findOneBy({ platform: draft.platform!, name });
        if (clash && clash.id !== draft.mediaAccountId) {
          return {
            replies: [text(views.nameTaken(clash.platform, name))],
          };
        }
      }
      return askDate({ ...draft, accountName: name });
    },
  },

  date: readStep<Draft, LocalDate>({
    hint: views.DATE_HINT,
    flow: () => filingFlow,
    step: 'date',
    read: (input, ctx) =>
      input === '默认' ? { ok: true, value: shanghaiDate(ctx.now) } : readPastDate(input, ctx.now),
    accept: async (ctx, draft, date) => {
      if (date > shanghaiDate(ctx.now)) {
        return { replies: [text(views.FUTURE_DATE)] };
      }
      const dated: Draft = { ...draft, changeDate: date };
      if (needsAnnouncement(draft.action)) {
        return filingFlow.to('announcement', dated, text(views.askAnnouncement(draft.action, date)));
      }
      return askConfirm(ctx, dated);
    },
  }),

  // The announcement's personal-information warnings are shown with the preview, so that one
  // 确认 accepts both (a blocked announcement is refused here).
  announcement: {
    hint: views.ANNOUNCEMENT_HINT,
    takesText: true,
    run: async (ctx, draft) => {
      const announcement = ctx.rawText.trim();
      if (ctx.inbound.type !== 'text' || announcement === '') {
        return { replies: [text(views.ANNOUNCEMENT_RETRY)] };
      }
      if ([...announcement].length > MAX_ANNOUNCEMENT_CHARS) {
        return { replies: [text(views.announcementTooLong(MAX_ANNOUNCEMENT_CHARS))] };
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
    (taskId) => views.filingCard(filing, unitName, ctx.user.name, taskId),
  );
  return {
    replies: [markdown(views.submitted(ref, filingSubject(filing), result))],
    notify: cards,
    next: 'end',
  };
}
