// A liaison's answer: `转载 Z3 <链接…>`, or `转载 Z3` / the card's 提交转载链接 and then the links
// (typed or forwarded). Each link is read through the guarded fetcher and judged at once; a link a
// person must look at goes to the supervisors as a card with 确认通过 / 不通过.
import { z } from 'zod';
import { markdown } from '../../messages/outbound.js';
import type { RepostAssignment } from '../../entities/repost-assignment.js';
import type { RepostItem } from '../../entities/repost-item.js';
import { taskSupervisors } from '../../services/tasks/store.js';
import { supervisors } from '../../services/directory/lookup.js';
import { missingChannel } from '../../services/reposts/rules.js';
import {
  assignmentForActor,
  linksOf,
  recordLinks,
  repostRef,
  unitNameMap,
} from '../../services/reposts/store.js';
import { MAX_LINKS_PER_ANSWER, checkLink, judgeContext, linksIn } from '../../services/reposts/verify.js';
import {
  ASK_LINKS_HINT,
  REPOST_KEYS,
  SUBMIT_USAGE,
  accessText,
  alreadyDoneText,
  askLinksText,
  manualCard,
  noLinksText,
  submittedText,
} from '../../services/reposts/views.js';
import { actorOf, effectsOf } from '../context.js';
import * as W from './views.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import {
  STALE_BUTTON_TEXT,
  reply,
  type CardAction,
  type Command,
  type HandlerContext,
  type HandlerResult,
  type Notification,
} from '../types.js';

export const REPOST_SUBMIT_FLOW = 'repost-submit';

/** `cardCode`: the response code of the 提交转载链接 click, to grey that button once verified. */
const Draft = z.object({ itemId: z.number(), cardCode: z.string().optional() });
type Draft = z.infer<typeof Draft>;

/** The links of this message: a forwarded link, or every address in the text. */
function messageLinks(ctx: HandlerContext, text: string): string[] {
  if (ctx.inbound.type === 'link') return [ctx.inbound.url];
  return linksIn(text);
}

/** Checks the links, records them, answers the liaison and tells supervisors what needs a look. */
async function submitLinks(
  ctx: HandlerContext,
  item: RepostItem,
  assignment: RepostAssignment,
  urls: string[],
  cardCode?: string,
): Promise<HandlerResult> {
  const taken = urls.slice(0, MAX_LINKS_PER_ANSWER);
  const context = await judgeContext(ctx.tx, assignment.unitId);
  const checked = [];
  for (const url of taken)
    checked.push(await checkLink(ctx.services.content, item, assignment, url, context));
  const links = await recordLinks(effectsOf(ctx), assignment, checked, 'liaison', actorOf(ctx));
  const verified = (await linksOf(ctx.tx, [assignment.id])).filter((link) => link.outcome === 'verified');
  const missing = assignment.status === 'done' ? null : missingChannel(item.channels, verified);
  const notify: Notification[] = [];
  const manual = links.filter((link) => link.outcome === 'manual');
  if (manual.length > 0) {
    let people = await taskSupervisors(ctx.tx, item);
    if (people.length === 0) people = await supervisors(ctx.tx);
    const unitName = (await unitNameMap(ctx.tx, [assignment.unitId])).get(assignment.unitId) ?? '';
    for (const link of manual) {
      for (const person of people) {
        notify.push({
          to: [person.userid],
          key: `repost-link:${link.id}:manual`,
          source: 'repost',
          message: manualCard(item, link, unitName, person.userid),
        });
      }
    }
  }
  const greyed: HandlerResult =
    cardCode && assignment.status === 'done'
      ? { cardUpdate: { type: 'updateButton', replaceName: W.VERIFIED_BUTTON }, cardResponseCode: cardCode }
      : {};
  return {
    replies: [markdown(submittedText(item, assignment, links, urls.length - taken.length, missing))],
    notify,
    ...greyed,
    next: 'end',
  };
}

type Start =
  | { ok: true; item: RepostItem; assignment: RepostAssignment }
  | { ok: false; result: HandlerResult; done?: true };

async function start(ctx: HandlerContext, ref: string): Promise<Start> {
  const access = await assignmentForActor(effectsOf(ctx), ref, actorOf(ctx));
  if (!access.ok) return { ok: false, result: reply(accessText(access.reason, access.ref)) };
  if (access.assignment.status === 'done') {
    return { ok: false, result: reply(alreadyDoneText(access.item, access.assignment)), done: true };
  }
  return { ok: true, item: access.item, assignment: access.assignment };
}

export const repostSubmitFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: REPOST_SUBMIT_FLOW,
  version: 1,
  title: W.SUBMIT_TITLE,
  roles: ['liaison'],
  schema: Draft,
  ttlMinutes: 60,
  steps: {
    links: {
      hint: ASK_LINKS_HINT,
      run: async (ctx, draft) => {
        const urls = messageLinks(ctx, ctx.rawText);
        if (urls.length === 0) return reply(noLinksText());
        const begun = await start(ctx, repostRef(draft.itemId));
        if (!begun.ok) return { ...begun.result, next: 'end' };
        return submitLinks(ctx, begun.item, begun.assignment, urls, draft.cardCode);
      },
    },
  },
});

export const repostSubmitCommand: Command = {
  name: '转载',
  roles: ['liaison'],
  summary: W.SUBMIT_SUMMARY,
  usage: W.SUBMIT_COMMAND_USAGE,
  args: 'required',
  group: W.REPOST_GROUP,
  handle: async (ctx) => {
    const [ref, ...rest] = ctx.rawArgs.trim().split(/\s+/);
    if (!ref || !/^[Zz]?\d{1,9}$/u.test(ref.normalize('NFKC'))) return reply(SUBMIT_USAGE);
    const begun = await start(ctx, ref);
    if (!begun.ok) return begun.result;
    const urls = linksIn(rest.join('\n'));
    if (urls.length > 0) return submitLinks(ctx, begun.item, begun.assignment, urls);
    return repostSubmitFlow.to('links', { itemId: begun.item.id }, askLinksText(begun.item));
  },
};

export const repostSubmitAction: CardAction = {
  prefix: REPOST_KEYS.submit,
  roles: ['liaison'],
  label: W.SUBMIT_BUTTON,
  continues: (conversation, params) =>
    conversation.flow === REPOST_SUBMIT_FLOW &&
    conversation.data.draft !== undefined &&
    (conversation.data.draft as { itemId?: number }).itemId === Number(params[0]),
  handle: async (ctx, params) => {
    const id = Number(params[0]);
    if (!Number.isInteger(id) || id <= 0) return reply(STALE_BUTTON_TEXT);
    const begun = await start(ctx, repostRef(id));
    if (!begun.ok) {
      return begun.done
        ? { ...begun.result, cardUpdate: { type: 'updateButton', replaceName: W.DONE_BUTTON } }
        : begun.result;
    }
    const code = ctx.inbound.type === 'event' ? ctx.inbound.card?.responseCode : undefined;
    return repostSubmitFlow.to(
      'links',
      { itemId: id, ...(code ? { cardCode: code } : {}) },
      askLinksText(begun.item),
    );
  },
};
