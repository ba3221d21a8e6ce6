// 分管: which supervisors oversee which units. Escalations about a unit go to them (to every
// supervisor when nobody is assigned).
import { In } from 'typeorm';
import { Person } from '../../entities/person.js';
import { Unit } from '../../entities/unit.js';
import { UnitSupervisor } from '../../entities/unit-supervisor.js';
import { resolveUnitNames, unknownUnitText } from '../../services/directory/lookup.js';
import { ADMINS, SUPERVISORS, reply, type Feature, type HandlerContext } from '../types.js';

import * as views from './views.js';

const { ADD_USAGE, REMOVE_USAGE } = views;

/** `<单位> <userid>`; `usage` is the command's, for the reply to anything else. */
async function parse(
  ctx: HandlerContext,
  usage: string,
): Promise<{ unit: Unit; person: Person } | { error: string }> {
  const match = /^(\S+)\s+(\S+)$/.exec(ctx.args);
  if (!match) return { error: views.usageLine(usage) };
  const resolved = await resolveUnitNames(ctx.tx, match[1]!);
  const unit = resolved.units.length === 1 ? resolved.units[0] : undefined;
  if (!unit) {
    return { error: unknownUnitText(match[1]!, resolved.unknown[0]?.suggestions ?? []) };
  }
  const person = await ctx.tx.getRepository(Person).findOneBy({ userid: match[2]!, active: true });
  if (!person || person.role === 'liaison') return { error: views.notSupervisor(match[2]!) };
  return { unit, person };
}

export const assignmentsFeature: Feature = {
  name: 'assignments',
  commands: [
    {
      name: '设置分管',
      roles: ADMINS,
      summary: views.ADD_SUMMARY,
      usage: ADD_USAGE,
      args: 'required',
      group: views.ASSIGNMENTS_GROUP,
      handle: async (ctx) => {
        const parsed = await parse(ctx, ADD_USAGE);
        if ('error' in parsed) return reply(parsed.error);
        const repo = ctx.tx.getRepository(UnitSupervisor);
        if (await repo.findOneBy({ unitId: parsed.unit.id, userid: parsed.person.userid })) {
          return reply(views.alreadyAssigned(parsed.person.name, parsed.unit.name));
        }
        await repo.insert({ unitId: parsed.unit.id, userid: parsed.person.userid });
        await ctx.services.audit({
          actor: ctx.user.userid,
          action: 'assignment.add',
          target: `unit:${parsed.unit.id}`,
          detail: views.addedDetail(parsed.person.userid, parsed.unit.name),
        });
        return reply(views.assigned(parsed.person.name, parsed.unit.name));
      },
    },
    {
      name: '取消分管',
      roles: ADMINS,
      summary: views.REMOVE_SUMMARY,
      usage: REMOVE_USAGE,
      args: 'required',
      group: views.ASSIGNMENTS_GROUP,
      handle: async (ctx) => {
        const parsed = await parse(ctx, REMOVE_USAGE);
        if ('error' in parsed) return reply(parsed.error);
        const result = await ctx.tx
          .getRepository(UnitSupervisor)
          .delete({ unitId: parsed.unit.id, userid: parsed.person.userid });
        if (!result.affected) return reply(views.notAssigned(parsed.person.name, parsed.unit.name));
        await ctx.services.audit({
          actor: ctx.user.userid,
          action: 'assignment.remove',
          target: `unit:${parsed.unit.id}`,
          detail: views.removedDetail(parsed.person.userid, parsed.unit.name),
        });
        return reply(views.unassigned(parsed.person.name, parsed.unit.name));
      },
    },
    {
      name: '分管情况',
      readOnly: true,
      roles: SUPERVISORS,
      summary: views.LIST_SUMMARY,
      args: 'none',
      group: views.ASSIGNMENTS_GROUP,
      handle: async (ctx) => {
        const rows = await ctx.tx.getRepository(UnitSupervisor).find({ order: { userid: 'ASC' } });
        if (rows.length === 0) return reply(views.NO_ASSIGNMENTS);
        const units = new Map(
          (await ctx.tx.getRepository(Unit).findBy({ id: In(rows.map((r) => r.unitId)) })).map((u) => [
            u.id,
            u.name,
          ]),
        );
        const people = new Map(
          (await ctx.tx.getRepository(Person).findBy({ userid: In(rows.map((r) => r.userid)) })).map((p) => [
            p.userid,
            p.name,
          ]),
        );
        const byPerson = new Map<string, string[]>();
        for (const row of rows)
          byPerson.set(row.userid, [...(byPerson.get(row.userid) ?? []), units.get(row.unitId) ?? '?']);
        return reply(
          views.assignmentList(
            [...byPerson].map(([userid, list]): [string, string[]] => [people.get(userid) ?? userid, list]),
          ),
        );
      },
    },
  ],
};
