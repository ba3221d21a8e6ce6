// 设置联络员 <单位> <userid> <姓名>: register a new liaison or move/rename an existing person, after
// a confirmation. Supervisors and admins; rules in permissions.checkSetLiaison.
import { z } from 'zod';
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
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { confirmStep } from '../flow/steps.js';
import type { Command, HandlerContext, HandlerResult } from '../types.js';
import * as views from './views.js';

const FLOW = 'directory.set-liaison';
const ROLES = rolesWith('set-liaison');

const Draft = z.object({
  unitId: z.number().int().positive(),
  userid: z.string().min(1).max(64),
  name: z.string().min(1).max(32),
});
type Draft = z.infer<typeof Draft>;

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
  const who = views.who(draft.name, userid);
  if (existing && change.changes.length === 0) {
    return { ok: false, reply: views.alreadyLiaison(who, draft.unit.name) };
  }
  const what = existing ? change.changes.join(views.CHANGE_SEPARATOR) : views.NEW_REGISTRATION;
  return {
    ok: true,
    draft: { unitId: draft.unit.id, userid, name: draft.name },
    change,
    summary: views.liaisonSummary(who, draft.unit.name, what),
  };
}

export const setLiaisonCommand: Command = {
  name: '设置联络员',
  roles: ROLES,
  summary: views.SET_LIAISON_SUMMARY,
  usage: views.SET_LIAISON_USAGE,
  args: 'required',
  group: views.GROUP,
  handle: async (ctx) => {
    const [unitName, userid, ...nameParts] = ctx.args.split(' ');
    const name = nameParts.join(' ');
    if (!unitName || !userid || !name) return { replies: [text(views.usage(views.SET_LIAISON_USAGE))] };
    if (!isValidUserid(userid)) return { replies: [text(views.invalidUserid(userid))] };
    if (!isValidPersonName(name)) return { replies: [text(views.invalidName(name))] };
    const found = await findUnitByName(ctx.tx, unitName);
    if (!found.unit) return { replies: [text(views.unknownUnit(unitName, found.suggestions))] };
    const prepared = await prepare(ctx, { unit: found.unit, userid, name });
    if (!prepared.ok) return { replies: [text(prepared.reply)] };
    return setLiaisonFlow.to('confirm', prepared.draft, views.liaisonPreview(prepared.summary));
  },
};

async function confirm(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const unit = await ctx.tx.getRepository(Unit).findOneBy({ id: draft.unitId, active: true });
  if (!unit) return { replies: [text(views.UNIT_GONE)], next: 'end' };
  // Checked again: the directory may have changed while the confirmation was pending.
  const prepared = await prepare(ctx, { unit, userid: draft.userid, name: draft.name });
  if (!prepared.ok) return { replies: [text(prepared.reply)], next: 'end' };
  await ctx.services.audit(
    await saveLiaison(ctx.tx, ctx.user.userid, prepared.change, { ...prepared.draft, unit }),
  );
  return {
    replies: [text(views.done(prepared.summary))],
    notify: [
      {
        to: [prepared.draft.userid],
        key: `directory:liaison:${ctx.deliveryId}`,
        source: 'directory',
        message: text(views.registeredNotice(unit.name)),
      },
    ],
    next: 'end',
  };
}

export const setLiaisonFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOW,
  version: 2,
  title: views.SET_LIAISON_TITLE,
  roles: ROLES,
  schema: Draft,
  steps: {
    confirm: confirmStep<Draft>({
      action: views.SET_LIAISON_ACTION,
      flow: () => setLiaisonFlow,
      confirm,
    }),
  },
});
