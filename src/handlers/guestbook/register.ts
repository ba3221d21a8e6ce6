// 留言登记: site → time received → summary (PII-gated) → stored with the notice's deadline.
import { z } from 'zod';
import { markdown } from '../../messages/outbound.js';
import { Website } from '../../entities/website.js';
import { liaisonsByTopUnit, topUnitIndex } from '../../services/directory/lookup.js';
import { isSupervisorRole, mayActFor } from '../../services/shared/duty.js';
import {
  matchSite,
  registerMessage,
  sitesForActor,
  type SiteOption,
} from '../../services/guestbook/store.js';
import { deadlineConfirmation, newMessagesText } from '../../services/guestbook/views.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { readPastMoment } from '../../services/calendar/date-replies.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { ALL_ROLES, reply, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { actorOf, effectsOf } from '../context.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { gatedTextSteps, readStep } from '../flow/steps.js';
import * as views from './views.js';

export const GUESTBOOK_GROUP = views.GUESTBOOK_GROUP;

/** A little slack for a clock a few seconds apart from the member's. */
const FUTURE_SLACK_MS = 60_000;
const MAX_SUMMARY_CHARS = 2000;

const Draft = z.object({
  websiteId: z.number().optional(),
  topUnitId: z.number().optional(),
  receivedAt: z.string().optional(),
});
type Draft = z.infer<typeof Draft>;

function askReceived(site: SiteOption): HandlerResult {
  return registerFlow.to(
    'received',
    { websiteId: site.website.id, topUnitId: site.topUnitId },
    views.askReceived(site.website),
  );
}

function noSites(ctx: HandlerContext): HandlerResult {
  return reply(views.noSites(isSupervisorRole(ctx.user.role)));
}

/** The site typed or picked: the next step, the candidates, or the list again. */
async function chooseSite(ctx: HandlerContext, input: string): Promise<HandlerResult> {
  const options = await sitesForActor(ctx.tx, actorOf(ctx));
  if (options.length === 0) return { ...noSites(ctx), next: 'end' };
  const match = matchSite(options, input);
  if (match.kind === 'one') return askReceived(match.site);
  const message =
    match.kind === 'many'
      ? views.candidatesPrompt(options, match.sites, input)
      : views.sitePrompt(options, views.siteNotFound(input));
  return registerFlow.to('site', {}, message);
}

async function store(
  ctx: HandlerContext,
  draft: Draft,
  summary: string,
  accepted: PiiFindingSummary[],
): Promise<HandlerResult> {
  const website = await ctx.tx.getRepository(Website).findOneBy({ id: draft.websiteId });
  if (!website) return reply(views.SITE_GONE, 'end');
  const topUnitId = (await topUnitIndex(ctx.tx)).get(website.unitId) ?? website.unitId;
  const actor = actorOf(ctx);
  if (!mayActFor(actor, topUnitId)) return reply(views.SITE_NOT_YOURS, 'end');
  const calendar = await ctx.services.calendar.get();
  const { message, result } = await registerMessage(effectsOf(ctx), calendar, website, {
    websiteId: website.id,
    topUnitId,
    receivedAt: new Date(draft.receivedAt!),
    summary,
    platformNo: null,
    source: 'chat',
    registeredBy: actor.userid,
    summaryPii: accepted.length > 0 ? accepted : null,
  });
  await auditAcceptedFindings(ctx.services, actor.userid, `L${message.id}`, accepted);
  const lines = views.registered(message, website, summary, deadlineConfirmation(result));
  // When someone else (a supervisor) registers it, the unit's liaisons hear of it.
  const liaisons = ((await liaisonsByTopUnit(ctx.tx, [topUnitId])).get(topUnitId) ?? [])
    .map((person) => person.userid)
    .filter((userid) => userid !== actor.userid);
  if (liaisons.length === 0 && actor.topUnitId !== topUnitId) lines.push(views.UNIT_UNREACHED);
  return {
    replies: [markdown(lines.join('\n'))],
    notify:
      liaisons.length > 0
        ? [
            {
              to: liaisons,
              key: `guestbook:${message.id}:registered`,
              source: 'guestbook',
              message: markdown(newMessagesText([{ message, website, unit: null }])),
            },
          ]
        : [],
    next: 'end',
  };
}

export const registerFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: 'guestbook-register',
  version: 2,
  title: views.REGISTER_TITLE,
  roles: ALL_ROLES,
  schema: Draft,
  steps: {
    site: {
      hint: views.SITE_HINT,
      run: (ctx) => chooseSite(ctx, ctx.text),
    },
    received: readStep<Draft, Date>({
      hint: views.RECEIVED_HINT,
      flow: () => registerFlow,
      step: 'received',
      read: (input, ctx) => readPastMoment(input, ctx.now),
      accept: (ctx, draft, at) => {
        if (at.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS) return reply(views.receivedInFuture(at));
        return registerFlow.to('summary', { ...draft, receivedAt: at.toISOString() }, views.askSummary(at));
      },
    }),
    ...gatedTextSteps<Draft>('summary', {
      hint: views.SUMMARY_HINT,
      label: views.SUMMARY_LABEL,
      maxChars: MAX_SUMMARY_CHARS,
      flow: () => registerFlow,
      accept: store,
    }),
  },
});

export const registerCommand: Command = {
  name: '留言登记',
  roles: ALL_ROLES,
  summary: views.GUESTBOOK_SUMMARIES.register,
  usage: views.REGISTER_USAGE,
  args: 'optional',
  group: GUESTBOOK_GROUP,
  handle: async (ctx) => {
    if (!isSupervisorRole(ctx.user.role) && !ctx.user.topUnit) return reply(NO_UNIT_TEXT);
    const options = await sitesForActor(ctx.tx, actorOf(ctx));
    if (options.length === 0) return noSites(ctx);
    if (ctx.args !== '') return chooseSite(ctx, ctx.args);
    if (options.length === 1) return askReceived(options[0]!);
    return registerFlow.to('site', {}, views.sitePrompt(options));
  },
};
