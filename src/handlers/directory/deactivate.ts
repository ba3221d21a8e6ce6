// 停用 <userid>: an admin deactivates someone who left or moved, after a confirmation. The person's
// unit keeps its tasks; a warning is given when the unit is left without a liaison.
import { text } from '../../messages/outbound.js';
import { Person, ROLE_LABELS } from '../../entities/person.js';
import { Unit } from '../../entities/unit.js';
import { deactivate, findPersonByUserid, leavesUnitWithoutLiaison } from '../../services/directory/people.js';
import { checkDeactivate, rolesWith } from '../../services/shared/permissions.js';
import { ADMINS, type Command, type Flow, type HandlerContext, type HandlerResult } from '../types.js';
import { awaitingConfirmation, CONFIRM_HINT } from './confirm.js';

const FLOW = 'directory.deactivate';
const USAGE = '停用 <userid>';

export const deactivateCommand: Command = {
  name: '停用',
  roles: rolesWith('manage-directory'),
  summary: '停用离岗人员的账号（单位的任务不受影响）',
  usage: USAGE,
  args: 'required',
  group: '通讯录管理',
  handle: async (ctx) => {
    if (ctx.args.includes(' ')) return { replies: [text(`用法：${USAGE}`)] };
    const person = await findPersonByUserid(ctx.tx, ctx.args);
    if (!person) return { replies: [text(`没有找到账号「${ctx.args}」。`)] };
    if (!person.active) return { replies: [text(`${person.name}（${person.userid}）已是停用状态。`)] };
    const check = checkDeactivate(ctx.user, person);
    if (!check.ok) return { replies: [text(check.reason)] };
    const unit =
      person.unitId === null ? null : await ctx.tx.getRepository(Unit).findOneBy({ id: person.unitId });
    const orphaned = await leavesUnitWithoutLiaison(ctx.tx, person);
    const lines = [
      `请确认：停用 ${person.name}（${person.userid}，${unit?.name ?? '无单位'} ${ROLE_LABELS[person.role]}）。停用后该账号不能再使用督办助手，单位的任务不受影响。`,
    ];
    if (orphaned) lines.push(`注意：停用后「${orphaned.name}」将没有在岗联络员，请尽快用“设置联络员”补充。`);
    lines.push(CONFIRM_HINT);
    return {
      replies: [text(lines.join('\n'))],
      next: { flow: FLOW, step: 'confirm', data: { personId: person.id } },
    };
  },
};

async function confirm(ctx: HandlerContext, data: Record<string, unknown>): Promise<HandlerResult> {
  const waiting = awaitingConfirmation(ctx);
  if (waiting) return waiting;
  const person =
    typeof data.personId === 'number'
      ? await ctx.tx.getRepository(Person).findOneBy({ id: data.personId })
      : null;
  if (!person) return { replies: [text('该账号已不存在，未作修改。')], next: 'end' };
  if (!person.active) {
    return { replies: [text(`${person.name}（${person.userid}）已是停用状态。`)], next: 'end' };
  }
  const check = checkDeactivate(ctx.user, person);
  if (!check.ok) return { replies: [text(check.reason)], next: 'end' };
  await ctx.services.audit(await deactivate(ctx.tx, ctx.user.userid, person));
  return { replies: [text(`已停用 ${person.name}（${person.userid}）。`)], next: 'end' };
}

export const deactivateFlow: Flow = {
  name: FLOW,
  version: 1,
  title: '停用',
  roles: ADMINS,
  steps: { confirm },
};
