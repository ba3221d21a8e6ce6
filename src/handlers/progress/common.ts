// Small pieces the status commands share: the asker's scope and a unit named in the arguments.
import type { Unit } from '../../entities/unit.js';
import { findUnitByName, topUnitOf } from '../../services/directory.js';
import { OTHER_UNIT_TEXT, canSeeUnit } from '../../services/permissions.js';
import type { HandlerContext } from '../types.js';

export const NO_UNIT_TEXT = '您尚未关联单位，请联系市大数据局电子政务科。';

export type UnitChoice = { ok: true; unit: Unit } | { ok: false; message: string };

/**
 * The top-level unit named in `name` (a sub-unit's name gives its top-level unit), if the asker
 * may see it; a liaison naming another unit is refused, and the refusal is audited.
 */
export async function namedUnit(ctx: HandlerContext, name: string, action: string): Promise<UnitChoice> {
  const found = await findUnitByName(ctx.tx, name);
  if (!found.unit) {
    const hint = found.suggestions.length ? `您是否要找 ${found.suggestions.join('、')}？` : '';
    return { ok: false, message: `没有找到单位“${name}”。${hint}` };
  }
  const top = (await topUnitOf(ctx.tx, found.unit.id)) ?? found.unit;
  if (!canSeeUnit(ctx.user, top.id)) {
    await ctx.services.audit({
      actor: ctx.user.userid,
      action,
      target: `unit:${top.id}`,
      result: 'denied',
      detail: '非本单位',
    });
    return { ok: false, message: OTHER_UNIT_TEXT };
  }
  return { ok: true, unit: top };
}
