// The zones and approvers of second-level domains, set by supervisors: 设置域名区 张店区
// zhangdian.gov.cn, 设置域名审批人 张店区 <userid>, 取消域名审批人, and 域名区 to see them.
import { resolveUnitNames, topUnitIndex, unknownUnitText } from '../../services/directory/lookup.js';
import { Person } from '../../entities/person.js';
import type { Unit } from '../../entities/unit.js';
import { readZone } from '../../services/domains/rules.js';
import { approversOf, setApprover, setZone, zoneTable } from '../../services/domains/store.js';
import { markdown } from '../../messages/outbound.js';
import { splitFirstWord } from '../../services/shared/duty.js';
import { ALL_ROLES, SUPERVISORS, reply, type Command, type HandlerContext } from '../types.js';
import { actorOf, effectsOf } from '../context.js';
import * as views from './views.js';

/** The one top-level unit named, or the reply saying what is wrong. */
async function topUnitNamed(ctx: HandlerContext, name: string): Promise<{ unit: Unit } | { error: string }> {
  const resolved = await resolveUnitNames(ctx.tx, name);
  const [unit] = resolved.units;
  if (resolved.unknown.length > 0 || !unit) {
    return { error: unknownUnitText(name, resolved.unknown[0]?.suggestions ?? []) };
  }
  if (resolved.units.length !== 1) return { error: views.notTopUnit() };
  const top = (await topUnitIndex(ctx.tx)).get(unit.id) ?? unit.id;
  if (top !== unit.id) return { error: views.notTopUnit() };
  return { unit };
}

export const zoneCommand: Command = {
  name: '设置域名区',
  roles: SUPERVISORS,
  summary: views.DOMAIN_SUMMARIES.zone,
  usage: views.ZONE_USAGE,
  args: 'required',
  group: views.DOMAIN_GROUP,
  handle: async (ctx) => {
    const { first, rest } = splitFirstWord(ctx.args);
    if (!first || !rest) return reply(views.usageLine(views.ZONE_USAGE));
    const named = await topUnitNamed(ctx, first);
    if ('error' in named) return reply(named.error);
    const zone = readZone(rest);
    if (!zone.ok) return reply(views.badZone(rest));
    const outcome = await setZone(effectsOf(ctx), actorOf(ctx), named.unit.id, zone.zone);
    switch (outcome.kind) {
      case 'city':
        return reply(views.zoneIsCity());
      case 'owned':
        return reply(views.zoneOwned(outcome.zone, outcome.ownerName));
      case 'nested':
        return reply(views.zoneNested(outcome.zone, outcome.other));
      case 'unchanged':
        return reply(views.zoneUnchanged(outcome.zone, named.unit.name));
      case 'ok': {
        const approvers = await approversOf(ctx.tx, named.unit.id);
        return reply(views.zoneSet(outcome.zone, named.unit.name, approvers.length > 0));
      }
    }
  },
};

function approverCommand(approver: boolean): Command {
  const usage = approver ? views.APPROVER_USAGE : views.UNAPPROVER_USAGE;
  return {
    name: approver ? '设置域名审批人' : '取消域名审批人',
    roles: SUPERVISORS,
    summary: approver ? views.DOMAIN_SUMMARIES.approver : views.DOMAIN_SUMMARIES.unapprover,
    usage,
    args: 'required',
    group: views.DOMAIN_GROUP,
    handle: async (ctx) => {
      const { first, rest } = splitFirstWord(ctx.args);
      if (!first || !rest || /\s/.test(rest)) return reply(views.usageLine(usage));
      const named = await topUnitNamed(ctx, first);
      if ('error' in named) return reply(named.error);
      const outcome = await setApprover(effectsOf(ctx), actorOf(ctx), named.unit.id, rest, approver);
      switch (outcome.kind) {
        case 'unknown-person':
          return reply(views.unknownPerson(rest));
        case 'other-unit':
          return reply(views.personOfOtherUnit(rest, outcome.unitName, named.unit.name));
        case 'unchanged':
          return reply(views.approverUnchanged(rest, named.unit.name, approver));
        case 'ok': {
          const person = await ctx.tx.getRepository(Person).findOneBy({ userid: rest });
          return reply(views.approverSet(person?.name ?? rest, rest, named.unit.name, approver));
        }
      }
    },
  };
}

export const approverCommands: Command[] = [approverCommand(true), approverCommand(false)];

export const zoneListCommand: Command = {
  name: '域名区',
  readOnly: true,
  roles: ALL_ROLES,
  summary: views.DOMAIN_SUMMARIES.zones,
  args: 'none',
  group: views.DOMAIN_GROUP,
  handle: async (ctx) => ({ replies: [markdown(views.zoneTable(await zoneTable(ctx.tx)))] }),
};
