// 留言登记: site → time received → summary (PII-gated) → stored with the notice's deadline.
import { memberText } from '../../messages/member-text.js';
import { markdown, text } from '../../messages/outbound.js';
import { Website } from '../../entities/website.js';
import { liaisonsByTopUnit, topUnitIndex } from '../../services/directory/lookup.js';
import { clip, isSupervisorRole, mayActFor } from '../../services/shared/duty.js';
import {
  deadlineConfirmation,
  guestbookRef,
  matchSite,
  registerMessage,
  siteLabel,
  siteListLines,
  sitesForActor,
  type SiteOption,
} from '../../services/guestbook/store.js';
import { newMessagesText } from '../../services/guestbook/import.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import { formatDateTime } from '../../services/calendar/time.js';
import { DATE_TIME_HINT, readPastMoment } from '../../services/calendar/date-replies.js';
import { failedRead, takeYearAnswer } from '../year-question.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { ALL_ROLES, type Command, type Flow, type HandlerContext, type HandlerResult } from '../types.js';
import { actorOf, effectsOf } from '../context.js';
import { gateAndStore, type GatedKind } from './pii-confirm.js';

export const REGISTER_FLOW = 'guestbook-register';
export const GUESTBOOK_GROUP = '网站找错留言';

/** A little slack for a clock a few seconds apart from the member's. */
const FUTURE_SLACK_MS = 60_000;
const MAX_SUMMARY_CHARS = 2000;

function sitePrompt(options: SiteOption[], note?: string): string {
  return [
    ...(note ? [note] : []),
    '请选择收到留言的网站（回复序号、网站名称或网站标识码）：',
    ...siteListLines(options),
  ].join('\n');
}

/** Several sites match: list them with their numbers in the full list. */
function candidatesPrompt(options: SiteOption[], matches: SiteOption[], input: string): string {
  return [
    `有多个网站名称包含“${clip(input, 20)}”，请回复序号：`,
    ...matches.map((site) => `${options.indexOf(site) + 1}. ${siteLabel(site.website)}`),
  ].join('\n');
}

function askReceived(site: SiteOption): HandlerResult {
  return {
    replies: [text(`网站：${siteLabel(site.website)}\n请输入收到留言的时间（${DATE_TIME_HINT}）：`)],
    next: {
      flow: REGISTER_FLOW,
      step: 'received',
      data: { websiteId: site.website.id, topUnitId: site.topUnitId },
    },
  };
}

function noSites(ctx: HandlerContext): HandlerResult {
  const whose = isSupervisorRole(ctx.user.role) ? '' : '您单位的';
  return {
    replies: [text(`网站目录中没有${whose}运行中的网站，无法登记留言。请联系督办人员核对网站目录。`)],
  };
}

export const registerCommand: Command = {
  name: '留言登记',
  roles: ALL_ROLES,
  summary: '登记收到的“我为政府网站找错”留言',
  usage: '留言登记 [网站]',
  args: 'optional',
  group: GUESTBOOK_GROUP,
  handle: async (ctx) => {
    if (!isSupervisorRole(ctx.user.role) && !ctx.user.topUnit) return { replies: [text(NO_UNIT_TEXT)] };
    const options = await sitesForActor(ctx.tx, actorOf(ctx));
    if (options.length === 0) return noSites(ctx);
    if (ctx.args !== '') {
      const match = matchSite(options, ctx.args);
      if (match.kind === 'one') return askReceived(match.site);
      const reply =
        match.kind === 'many'
          ? candidatesPrompt(options, match.sites, ctx.args)
          : sitePrompt(options, `没有找到网站“${clip(ctx.args, 20)}”。`);
      return { replies: [text(reply)], next: { flow: REGISTER_FLOW, step: 'site', data: {} } };
    }
    if (options.length === 1) return askReceived(options[0]!);
    return { replies: [text(sitePrompt(options))], next: { flow: REGISTER_FLOW, step: 'site', data: {} } };
  },
};

export const guestbookSummaryKind: GatedKind = {
  kind: 'guestbook-summary',
  store: async (ctx, payload, summary, accepted) => {
    const website = await ctx.tx.getRepository(Website).findOneBy({ id: Number(payload.websiteId) });
    if (!website) return { replies: [text('该网站已不在网站目录中，留言未登记。')] };
    const topUnitId = (await topUnitIndex(ctx.tx)).get(website.unitId) ?? website.unitId;
    const actor = actorOf(ctx);
    if (!mayActFor(actor, topUnitId)) return { replies: [text('该网站不属于您的单位，留言未登记。')] };
    const calendar = await ctx.services.calendar.get();
    const { message, result } = await registerMessage(effectsOf(ctx), calendar, website, {
      websiteId: website.id,
      topUnitId,
      receivedAt: new Date(String(payload.receivedAt)),
      summary,
      platformNo: null,
      source: 'chat',
      registeredBy: actor.userid,
      summaryPii: accepted.length > 0 ? accepted : null,
    });
    const ref = guestbookRef(message.id);
    await auditAcceptedFindings(ctx.services, actor.userid, ref, accepted);
    const reply = [
      `**已登记留言 ${ref}**`,
      `> 网站：${memberText(siteLabel(website))}`,
      `> 收到时间：${formatDateTime(message.receivedAt)}`,
      `> 内容：${memberText(clip(summary, 60).replace(/\s+/g, ' '))}`,
      ...deadlineConfirmation(result),
      '',
      `办结后请发送：留言办结 ${ref} 答复摘要`,
    ];
    // When someone else (a supervisor) registers it, the unit's liaisons hear of it.
    const liaisons = ((await liaisonsByTopUnit(ctx.tx, [topUnitId])).get(topUnitId) ?? [])
      .map((person) => person.userid)
      .filter((userid) => userid !== actor.userid);
    const unreached = liaisons.length === 0 && actor.topUnitId !== topUnitId;
    if (unreached) reply.push(`<font color="warning">该单位暂无联络员，未能通知，请另行转告。</font>`);
    return {
      replies: [markdown(reply.join('\n'))],
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
  },
};

export const registerFlow: Flow = {
  name: REGISTER_FLOW,
  version: 1,
  title: '留言登记',
  roles: ALL_ROLES,
  steps: {
    site: async (ctx) => {
      const options = await sitesForActor(ctx.tx, actorOf(ctx));
      if (options.length === 0) return { ...noSites(ctx), next: 'end' };
      const match = matchSite(options, ctx.text);
      if (match.kind === 'one') return askReceived(match.site);
      if (match.kind === 'many') return { replies: [text(candidatesPrompt(options, match.sites, ctx.text))] };
      return { replies: [text(sitePrompt(options, `没有找到网站“${clip(ctx.text, 20)}”。`))] };
    },
    received: async (ctx, raw) => {
      const stay = (kept: Record<string, unknown>) => ({ flow: REGISTER_FLOW, step: 'received', data: kept });
      const answer = takeYearAnswer(ctx.text, raw, stay);
      if ('declined' in answer) return answer.declined;
      const data = answer.data;
      const parsed = readPastMoment(answer.input, ctx.now);
      if (!parsed.ok) return failedRead(parsed, data, stay);
      if (parsed.value.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS) {
        return {
          replies: [text(`收到时间 ${formatDateTime(parsed.value)} 晚于当前时间，请核对后重新输入。`)],
        };
      }
      return {
        replies: [text(`收到时间：${formatDateTime(parsed.value)}\n请输入留言内容摘要：`)],
        next: {
          flow: REGISTER_FLOW,
          step: 'summary',
          data: { ...data, receivedAt: parsed.value.toISOString() },
        },
      };
    },
    summary: async (ctx, data) => {
      const summary = ctx.rawText.trim();
      if (ctx.inbound.type !== 'text' || summary === '') {
        return { replies: [text('请用文字输入留言内容摘要。')] };
      }
      if ([...summary].length > MAX_SUMMARY_CHARS) {
        return { replies: [text(`摘要过长（最多 ${MAX_SUMMARY_CHARS} 字），请精简后重新输入。`)] };
      }
      return gateAndStore(ctx, guestbookSummaryKind, data, summary, { dialog: true });
    },
  },
};
