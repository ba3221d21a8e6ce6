// Quarantined deliveries, visible to admins: what could not be handled (a crash twice, a handler
// error, content that killed a parse worker), a way to run it again once the cause is fixed, and a
// way to let it go. Both are audited.
import { markdown, text } from '../../messages/outbound.js';
import { readableBody } from '../../db/sealed.js';
import { dropQuarantined, listQuarantined, requeueQuarantined } from '../../services/quarantine/store.js';
import {
  DROP_USAGE,
  QUARANTINE_GROUP,
  QUARANTINE_SUMMARIES,
  QUARANTINE_USAGE_TEXT,
  RETRY_USAGE,
  quarantineActionDetail,
  droppedText,
  quarantineListText,
  requeuedText,
} from '../../services/quarantine/views.js';
import { ADMINS, type Feature, type HandlerContext } from '../types.js';

const LISTED = 20;

/** `12 13`, `#12,#13` or `全部`; undefined when malformed. */
function parseIds(args: string): number[] | 'all' | undefined {
  if (args === '全部') return 'all';
  const ids = args.split(/[\s,，、]+/).map((id) => Number(id.replace(/^#/, '')));
  return ids.length > 0 && ids.every((id) => Number.isInteger(id) && id > 0) ? ids : undefined;
}

function target(ids: number[] | 'all'): string {
  return ids === 'all' ? 'inbound:quarantined' : `inbound:${ids.join(',')}`;
}

async function act(ctx: HandlerContext, action: 'retry' | 'drop') {
  const ids = parseIds(ctx.args);
  if (!ids) return { replies: [text(QUARANTINE_USAGE_TEXT)] };
  const outcome =
    action === 'retry'
      ? await requeueQuarantined(ctx.tx, ids, ctx.now, ctx.services.config.inboundRecoverySeconds * 1000)
      : { requeued: await dropQuarantined(ctx.tx, ids, ctx.now), missing: 0 };
  const count = outcome.requeued;
  if (count > 0) {
    await ctx.services.audit({
      actor: ctx.user.userid,
      action: action === 'retry' ? 'inbound.retry' : 'inbound.drop',
      target: target(ids),
      detail: quarantineActionDetail(action, count),
    });
  }
  return {
    replies: [text(action === 'retry' ? requeuedText(count, outcome.missing) : droppedText(count))],
  };
}

export const quarantineFeature: Feature = {
  name: 'quarantine',
  commands: [
    {
      name: '隔离消息',
      roles: ADMINS,
      summary: QUARANTINE_SUMMARIES.list,
      args: 'none',
      group: QUARANTINE_GROUP,
      handle: async (ctx) => {
        const { rows, total, names } = await listQuarantined(ctx.tx, LISTED);
        const key = ctx.services.config.inboundSealKey;
        const listText = quarantineListText(rows, total, names, LISTED, (row) => readableBody(row.xml, key));
        return { replies: [total === 0 ? text(listText) : markdown(listText)] };
      },
    },
    {
      name: '重试隔离',
      roles: ADMINS,
      summary: QUARANTINE_SUMMARIES.retry,
      usage: RETRY_USAGE,
      args: 'required',
      group: QUARANTINE_GROUP,
      handle: (ctx) => act(ctx, 'retry'),
    },
    {
      name: '丢弃隔离',
      roles: ADMINS,
      summary: QUARANTINE_SUMMARIES.drop,
      usage: DROP_USAGE,
      args: 'required',
      group: QUARANTINE_GROUP,
      handle: (ctx) => act(ctx, 'drop'),
    },
  ],
};
