// 转载进度 [Z3|单位] and 转载核查 Z3. A liaison sees their own unit only.
import { markdown } from '../../messages/outbound.js';
import { can } from '../../services/shared/permissions.js';
import { findItem, openItems, parseRepostRef, repostRef } from '../../services/reposts/store.js';
import { itemSummaries, unitRows } from '../../services/reposts/status.js';
import { requestDiscovery } from '../../services/reposts/discovery.js';
import {
  discoveryQueuedText,
  discoveryRefusedText,
  itemDetailText,
  overviewText,
  unitDetailText,
} from '../../services/reposts/views.js';
import { actorOf, effectsOf } from '../context.js';
import * as W from './views.js';
import { NO_UNIT_TEXT, namedUnit } from '../progress/common.js';
import {
  ALL_ROLES,
  SUPERVISORS,
  reply,
  type Command,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import { RepostAssignment } from '../../entities/repost-assignment.js';
import { RepostItem } from '../../entities/repost-item.js';
import { In } from 'typeorm';

async function unitView(ctx: HandlerContext, unitId: number, unitName: string): Promise<HandlerResult> {
  const calendar = await ctx.services.calendar.get();
  const assignments = await ctx.tx
    .getRepository(RepostAssignment)
    .find({ where: { unitId }, order: { itemId: 'DESC' }, take: 30 });
  const items = assignments.length
    ? await ctx.tx.getRepository(RepostItem).findBy({ id: In(assignments.map((a) => a.itemId)) })
    : [];
  const entries = [];
  for (const item of items.sort((a, b) => b.id - a.id)) {
    const [row] = await unitRows(ctx.tx, item, [unitId]);
    if (row) entries.push({ item, row });
  }
  return { replies: [markdown(unitDetailText(calendar, unitName, entries, ctx.now))] };
}

export const repostProgressCommand: Command = {
  name: '转载进度',
  readOnly: /^(?:[Zz]\d{1,9}|\S{1,30})$/u,
  roles: ALL_ROLES,
  summary: W.PROGRESS_SUMMARY,
  usage: W.PROGRESS_USAGE,
  args: 'optional',
  group: W.REPOST_GROUP,
  handle: async (ctx) => {
    const calendar = await ctx.services.calendar.get();
    const seesAll = can(ctx.user.role, 'see-all-units');
    const scope = seesAll ? undefined : ctx.user.topUnit ? [ctx.user.topUnit.id] : [];
    if (!seesAll && !ctx.user.topUnit) return reply(NO_UNIT_TEXT);
    const arg = ctx.args.trim();
    const id = arg ? parseRepostRef(arg) : null;
    if (id && /^[Zz]/u.test(arg.normalize('NFKC'))) {
      const item = await findItem(ctx.tx, id);
      if (!item) return reply(W.itemNotFound(repostRef(id)));
      const [summary] = await itemSummaries(ctx.tx, [item], ctx.now, scope);
      const rows = await unitRows(ctx.tx, item, scope);
      if (!seesAll && rows.length === 0) return reply(W.notYourItem(repostRef(id)));
      return { replies: [markdown(itemDetailText(calendar, summary!, rows, ctx.now))] };
    }
    if (arg) {
      const choice = await namedUnit(ctx, arg, 'repost.progress');
      return choice.ok ? unitView(ctx, choice.unit.id, choice.unit.name) : reply(choice.message);
    }
    if (!seesAll) return unitView(ctx, ctx.user.topUnit!.id, ctx.user.topUnit!.name);
    const items = await openItems(ctx.tx);
    const summaries = await itemSummaries(ctx.tx, items, ctx.now);
    return { replies: [markdown(overviewText(calendar, summaries, ctx.now))] };
  },
};

export const repostCheckCommand: Command = {
  name: '转载核查',
  roles: SUPERVISORS,
  summary: W.CHECK_SUMMARY,
  usage: W.CHECK_USAGE,
  args: 'required',
  group: W.REPOST_GROUP,
  handle: async (ctx) => {
    const id = parseRepostRef(ctx.args.trim());
    if (!id) return reply(W.CHECK_USAGE_LINE);
    const queued = await requestDiscovery(effectsOf(ctx), id, actorOf(ctx));
    if (!queued.ok) {
      return reply(
        queued.reason === 'not-found'
          ? W.itemNotFound(repostRef(id))
          : discoveryRefusedText(queued.item, queued.reason),
      );
    }
    return reply(discoveryQueuedText(queued.item, queued.open, queued.withSites));
  },
};
