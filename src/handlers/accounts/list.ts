// 账号清单 (the unit's accounts by platform; for supervisors every unit, summarised, with a per-unit
// detail and the consolidation candidates) and 标记整合 / 取消整合.
import { memberText } from '../../messages/member-text.js';
import { markdown, text } from '../../messages/outbound.js';
import { MEDIA_PLATFORM_LABELS } from '../../entities/media-account.js';
import { Unit } from '../../entities/unit.js';
import {
  accountLinesByPlatform,
  accountsWithUnits,
  countByUnit,
  setConsolidationCandidate,
} from '../../services/directory/accounts.js';
import { resolveUnitNames, unknownUnitText } from '../../services/directory/lookup.js';
import { isSupervisorRole } from '../../services/shared/duty.js';
import { filingRef, filingSubject, leadingPlatform, pendingFilings } from '../../services/filings/store.js';
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

async function unitDetail(ctx: HandlerContext, unit: Unit): Promise<HandlerResult> {
  const entries = (await accountsWithUnits(ctx.tx)).filter((entry) => entry.topUnitId === unit.id);
  const pending = await pendingFilings(ctx.tx, [unit.id]);
  const lines = [`**${memberText(unit.name)} 政务新媒体账号（${entries.length} 个）**`];
  if (entries.length === 0) lines.push('账号清单中暂无账号。');
  lines.push(...accountLinesByPlatform(entries.map((entry) => entry.account)));
  if (pending.length > 0) {
    lines.push('', '**待确认的备案**');
    for (const filing of pending) lines.push(`> ${filingRef(filing.id)} ${filingSubject(filing)}`);
  }
  return { replies: [markdown(lines.join('\n'))] };
}

async function overview(ctx: HandlerContext): Promise<HandlerResult> {
  const entries = await accountsWithUnits(ctx.tx);
  const units = await ctx.tx.getRepository(Unit).find();
  const counts = countByUnit(entries, units);
  const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
  const lines = [`**政务新媒体账号清单（全部单位，${entries.length} 个）**`];
  if (counts.length === 0) lines.push('账号清单中暂无账号。');
  for (const row of counts) {
    const parts = [`运行 ${row.running}`];
    if (row.closed > 0) parts.push(`已关停 ${row.closed}`);
    if (row.cancelled > 0) parts.push(`已注销 ${row.cancelled}`);
    if (row.candidates > 0) parts.push(`<font color="warning">拟整合 ${row.candidates}</font>`);
    lines.push(`> ${memberText(row.unit.name)}：${parts.join(' · ')}`);
  }
  const candidates = entries.filter((entry) => entry.account.consolidationCandidate);
  if (candidates.length > 0) {
    lines.push('', `**拟整合账号（${candidates.length} 个）**`);
    for (const { account, topUnitId } of candidates) {
      lines.push(
        `> ${memberText(unitName.get(topUnitId) ?? '—')} · ${MEDIA_PLATFORM_LABELS[account.platform]}“${memberText(account.name)}”`,
      );
    }
  }
  lines.push('', '<font color="comment">单位明细：账号清单 单位名称；标记：标记整合 [平台] 账号名称</font>');
  return { replies: [markdown(lines.join('\n'))] };
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
        replies: [text(unknown ? unknownUnitText(ctx.args, unknown.suggestions) : '请只写一个单位名称。')],
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
      if (outcome.kind === 'none') return { replies: [text(`账号清单中没有名为“${rest}”的账号。`)] };
      if (outcome.kind === 'many') {
        const platforms = outcome.accounts
          .map((account) => MEDIA_PLATFORM_LABELS[account.platform])
          .join('、');
        return {
          replies: [text(`有多个名为“${rest}”的账号（${platforms}），请注明平台，如：${name} 抖音 ${rest}`)],
        };
      }
      const label = `${MEDIA_PLATFORM_LABELS[outcome.account.platform]}“${outcome.account.name}”`;
      if (!outcome.changed) {
        return { replies: [text(candidate ? `${label}已是拟整合账号。` : `${label}未标记为拟整合。`)] };
      }
      return { replies: [text(candidate ? `已将${label}标记为拟整合。` : `已取消${label}的拟整合标记。`)] };
    },
  };
}

export const markCommands: Command[] = [markCommand(true), markCommand(false)];
