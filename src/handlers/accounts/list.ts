// 账号清单 (the unit's accounts by platform; for supervisors every unit, summarised, with a per-unit
// detail and the consolidation candidates) and 标记整合 / 取消整合.
import { markdown, text } from '../../messages/outbound.js';
import { Unit } from '../../entities/unit.js';
import {
  accountLinesByPlatform,
  accountsWithUnits,
  countByUnit,
  setConsolidationCandidate,
} from '../../services/directory/accounts.js';
import { resolveUnitNames, unknownUnitText } from '../../services/directory/lookup.js';
import { isSupervisorRole } from '../../services/shared/duty.js';
import { leadingPlatform, pendingFilings } from '../../services/filings/store.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import {
  READ_ONLY_ARGS,
  ALL_ROLES,
  SUPERVISORS,
  type Command,
  type HandlerContext,
  type HandlerResult,
} from '../types.js';
import { actorOf, effectsOf } from '../context.js';
import { MEDIA_GROUP } from '../filings/views.js';
import * as views from './views.js';

async function unitDetail(ctx: HandlerContext, unit: Unit): Promise<HandlerResult> {
  const entries = (await accountsWithUnits(ctx.tx)).filter((entry) => entry.topUnitId === unit.id);
  const pending = await pendingFilings(ctx.tx, [unit.id]);
  const lines = accountLinesByPlatform(entries.map((entry) => entry.account));
  return { replies: [markdown(views.unitDetail(unit, entries.length, lines, pending))] };
}

async function overview(ctx: HandlerContext): Promise<HandlerResult> {
  const entries = await accountsWithUnits(ctx.tx);
  const units = await ctx.tx.getRepository(Unit).find();
  const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
  const candidates = entries
    .filter((entry) => entry.account.consolidationCandidate)
    .map(({ account, topUnitId }) => ({ account, unitName: unitName.get(topUnitId) ?? '—' }));
  return {
    replies: [markdown(views.overview(entries.length, countByUnit(entries, units), candidates))],
  };
}

export const accountListCommand: Command = {
  name: '账号清单',
  readOnly: READ_ONLY_ARGS.unit,
  roles: ALL_ROLES,
  summary: '查看政务新媒体账号清单（督办人员可查看全部单位）',
  usage: '账号清单 [单位]',
  args: 'optional',
  group: MEDIA_GROUP,
  handle: async (ctx) => {
    if (!isSupervisorRole(ctx.user.role)) {
      if (!ctx.user.topUnit) return { replies: [text(NO_UNIT_TEXT)] };
      return unitDetail(ctx, ctx.user.topUnit);
    }
    if (ctx.args === '') return overview(ctx);
    const resolved = await resolveUnitNames(ctx.tx, ctx.args);
    const [unit] = resolved.units;
    if (resolved.units.length !== 1 || resolved.unknown.length > 0 || !unit) {
      const [unknown] = resolved.unknown;
      return {
        replies: [text(unknown ? unknownUnitText(ctx.args, unknown.suggestions) : views.ONE_UNIT_ONLY)],
      };
    }
    return unitDetail(ctx, unit);
  },
};

function markCommand(candidate: boolean): Command {
  const name = candidate ? '标记整合' : '取消整合';
  return {
    name,
    roles: SUPERVISORS,
    summary: candidate ? '把低活跃账号标记为拟整合' : '取消账号的拟整合标记',
    usage: `${name} [平台] <账号名称>`,
    args: 'required',
    group: MEDIA_GROUP,
    handle: async (ctx) => {
      const { platform, rest } = leadingPlatform(ctx.rawArgs);
      const outcome = await setConsolidationCandidate(
        effectsOf(ctx),
        actorOf(ctx),
        rest,
        platform,
        candidate,
      );
      if (outcome.kind === 'none') return { replies: [text(views.noSuchAccount(rest))] };
      if (outcome.kind === 'many')
        return { replies: [text(views.severalAccounts(rest, outcome.accounts, name))] };
      return { replies: [text(views.marked(outcome.account, candidate, outcome.changed))] };
    },
  };
}

export const markCommands: Command[] = [markCommand(true), markCommand(false)];
