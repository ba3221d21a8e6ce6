// Small pieces the status commands share: the asker's scope and a unit named in the arguments.
import type { Unit } from '../../entities/unit.js';
import { findUnitByName, topUnitOf, unknownUnitText } from '../../services/directory/lookup.js';
import { NO_UNIT_TEXT, OTHER_UNIT_TEXT, canSeeUnit } from '../../services/shared/permissions.js';
import type { HandlerContext } from '../types.js';
import { OTHER_UNIT_DETAIL } from './views.js';

export { NO_UNIT_TEXT };

export type UnitChoice = { ok: true; unit: Unit } | { ok: false; message: string };

/**
 * The top-level unit named in `name` (a sub-unit's name gives its top-level unit), if the asker
 * may see it; a liaison naming another unit is refused, and the refusal is audited.
 */
export async function namedUnit(ctx: HandlerContext, name: string, action: string): Promise<UnitChoice> {
  const found = await findUnitByName(ctx.tx, name);
  if (!found.unit) {
    return { ok: false, message: unknownUnitText(name, found.suggestions) };
  }
  const top = (await topUnitOf(ctx.tx, found.unit.id)) ?? found.unit;
  if (!canSeeUnit(ctx.user, top.id)) {
    await ctx.services.audit({
      actor: ctx.user.userid,
      action,
      target: `unit:${top.id}`,
      result: 'denied',
      detail: OTHER_UNIT_DETAIL,
    });
    return { ok: false, message: OTHER_UNIT_TEXT };
  }
  return { ok: true, unit: top };
}
