// 停用 <userid>: an admin deactivates someone who left or moved, after a confirmation. The person's
// unit keeps its tasks; a warning is given when the unit is left without a liaison.
import { z } from 'zod';
import { text } from '../../messages/outbound.js';
import { Person } from '../../entities/person.js';
import { Unit } from '../../entities/unit.js';
import { deactivate, findPersonByUserid, leavesUnitWithoutLiaison } from '../../services/directory/people.js';
import { checkDeactivate, rolesWith } from '../../services/shared/permissions.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { confirmStep } from '../flow/steps.js';
import type { Command, HandlerContext, HandlerResult } from '../types.js';
import * as views from './views.js';

const FLOW = 'directory.deactivate';
const ROLES = rolesWith('manage-directory');

const Draft = z.object({ personId: z.number().int().positive() });
type Draft = z.infer<typeof Draft>;

export const deactivateCommand: Command = {
  name: '停用',
  roles: ROLES,
  summary: views.DEACTIVATE_SUMMARY,
  usage: views.DEACTIVATE_USAGE,
  args: 'required',
  group: views.GROUP,
  handle: async (ctx) => {
    if (ctx.args.includes(' ')) return { replies: [text(views.usage(views.DEACTIVATE_USAGE))] };
    const person = await findPersonByUserid(ctx.tx, ctx.args);
    if (!person) return { replies: [text(views.noSuchAccount(ctx.args))] };
    if (!person.active) return { replies: [text(views.alreadyInactive(person))] };
    const check = checkDeactivate(ctx.user, person);
    if (!check.ok) return { replies: [text(check.reason)] };
    const unit =
      person.unitId === null ? null : await ctx.tx.getRepository(Unit).findOneBy({ id: person.unitId });
    const orphaned = await leavesUnitWithoutLiaison(ctx.tx, person);
    return deactivateFlow.to(
      'confirm',
      { personId: person.id },
      views.deactivatePreview(person, unit?.name ?? null, orphaned?.name ?? null),
    );
  },
};

async function confirm(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const person = await ctx.tx.getRepository(Person).findOneBy({ id: draft.personId });
  if (!person) return { replies: [text(views.ACCOUNT_GONE)], next: 'end' };
  if (!person.active) return { replies: [text(views.alreadyInactive(person))], next: 'end' };
  // Checked again: the directory may have changed while the confirmation was pending.
  const check = checkDeactivate(ctx.user, person);
  if (!check.ok) return { replies: [text(check.reason)], next: 'end' };
  await ctx.services.audit(await deactivate(ctx.tx, ctx.user.userid, person));
  return { replies: [text(views.deactivated(person))], next: 'end' };
}

export const deactivateFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: FLOW,
  version: 2,
  title: views.DEACTIVATE_TITLE,
  roles: ROLES,
  schema: Draft,
  steps: {
    confirm: confirmStep<Draft>({
      action: views.DEACTIVATE_ACTION,
      flow: () => deactivateFlow,
      confirm,
    }),
  },
});
