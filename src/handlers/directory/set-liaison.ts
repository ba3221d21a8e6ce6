// 设置联络员 <单位> <userid> <姓名>: register a new liaison or move/rename an existing person, after
// a confirmation. Supervisors and admins; rules in permissions.checkSetLiaison.
import { text } from '../../messages/outbound.js';
import { Unit } from '../../entities/unit.js';
import { findUnitByName } from '../../services/directory/lookup.js';
import { isValidPersonName, isValidUserid } from '../../services/directory/sheets.js';
import {
  describeLiaisonChange,
  findPersonByUserid,
  saveLiaison,
  type LiaisonChange,
} from '../../services/directory/people.js';
import { checkSetLiaison, rolesWith } from '../../services/shared/permissions.js';
import { SUPERVISORS, type Command, type Flow, type HandlerContext, type HandlerResult } from '../types.js';
import { awaitingConfirmation, CONFIRM_HINT } from './confirm.js';

const FLOW = 'directory.set-liaison';
const USAGE = '设置联络员 <单位> <userid> <姓名>';

interface Draft {
  unitId: number;
  userid: string;
  name: string;
}

type Prepared =
  { ok: true; draft: Draft; change: LiaisonChange; summary: string } | { ok: false; reply: string };

/** Checks the request against the directory and says what it would do. */
async function prepare(
  ctx: HandlerContext,
  draft: { unit: Unit; userid: string; name: string },
): Promise<Prepared> {
  const existing = await findPersonByUserid(ctx.tx, draft.userid);
  const check = checkSetLiaison(ctx.user, existing ?? undefined);
  if (!check.ok) return { ok: false, reply: check.reason };
  const change = await describeLiaisonChange(ctx.tx, existing, draft.unit, draft.name);
  const userid = existing?.userid ?? draft.userid;
  const who = `${draft.name}（${userid}）`;
  if (existing && change.changes.length === 0) {
    return { ok: false, reply: `${who}已是「${draft.unit.name}」的联络员，无需修改。` };
  }
  const what = existing ? change.changes.join('；') : '新登记';
  return {
    ok: true,
    draft: { unitId: draft.unit.id, userid, name: draft.name },
    change,
    summary: `将${who}设为「${draft.unit.name}」的联络员（${what}）`,
  };
}

export const setLiaisonCommand: Command = {
  name: '设置联络员',
  roles: rolesWith('set-liaison'),
  summary: '登记新联络员，或调整某人的单位、姓名',
  usage: USAGE,
  args: 'required',
  group: '通讯录管理',
  handle: async (ctx) => {
    const [unitName, userid, ...nameParts] = ctx.args.split(' ');
    const name = nameParts.join(' ');
    if (!unitName || !userid || !name) return { replies: [text(`用法：${USAGE}`)] };
    if (!isValidUserid(userid)) {
      return {
        replies: [text(`企业微信账号「${userid}」无效（只能由字母、数字和 _-@. 组成，最长 64 位）。`)],
      };
    }
    if (!isValidPersonName(name)) return { replies: [text(`姓名「${name}」无效（1–32 个字，不含数字）。`)] };
    const found = await findUnitByName(ctx.tx, unitName);
    if (!found.unit) {
      const hint = found.suggestions.length > 0 ? `您是不是要找：${found.suggestions.join('、')}？` : '';
      return { replies: [text(`没有找到单位「${unitName}」。${hint}`)] };
    }
    const prepared = await prepare(ctx, { unit: found.unit, userid, name });
    if (!prepared.ok) return { replies: [text(prepared.reply)] };
    return {
      replies: [text(`请确认：${prepared.summary}。\n${CONFIRM_HINT}`)],
      next: { flow: FLOW, step: 'confirm', data: { ...prepared.draft } },
    };
  },
};

async function confirm(ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> {
  const waiting = awaitingConfirmation(ctx);
  if (waiting) return waiting;
  const draft = data as Partial<Draft>;
  const unit =
    typeof draft.unitId === 'number'
      ? await ctx.tx.getRepository(Unit).findOneBy({ id: draft.unitId, active: true })
      : null;
  if (!unit || typeof draft.userid !== 'string' || typeof draft.name !== 'string') {
    return { replies: [text('该单位已不存在或已停用，未作修改。')], next: 'end' };
  }
  // Checked again: the directory may have changed while the confirmation was pending.
  const prepared = await prepare(ctx, { unit, userid: draft.userid, name: draft.name });
  if (!prepared.ok) return { replies: [text(prepared.reply)], next: 'end' };
  await ctx.services.audit(
    await saveLiaison(ctx.tx, ctx.user.userid, prepared.change, { ...prepared.draft, unit }),
  );
  return {
    replies: [text(`已${prepared.summary}。`)],
    notify: [
      {
        to: [prepared.draft.userid],
        key: `directory:liaison:${ctx.deliveryId}`,
        source: 'directory',
        message: text(`您已被登记为「${unit.name}」的督办助手联络员。发送“帮助”查看可用指令。`),
      },
    ],
    next: 'end',
  };
}

export const setLiaisonFlow: Flow = {
  name: FLOW,
  version: 1,
  title: '设置联络员',
  roles: SUPERVISORS,
  steps: { confirm },
};
