// 申请域名 <子域名> [网站标识码] <用途>: the name is read against the zones (a bare label goes to the
// unit's own zone when it has one), the purpose passes the personal-information gate, and the
// request is one INSERT under the name's unique reservation; the zone's approvers get a card.
import { z } from 'zod';
import { Website } from '../../entities/website.js';
import { topUnitIndex } from '../../services/directory/lookup.js';
import { readName } from '../../services/domains/rules.js';
import {
  allZones,
  auditRefusedRequest,
  defaultZone,
  domainAvailability,
  nameOf,
  requestCheck,
  requestDomain,
  zoneOwner,
} from '../../services/domains/store.js';
import { splitFirstWord, unitNameOf } from '../../services/shared/duty.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { ALL_ROLES, reply, type Command, type HandlerContext } from '../types.js';
import { actorOf, cardNotices, effectsOf } from '../context.js';
import { gatedSubmitFlow } from '../flow/gated.js';
import * as views from './views.js';

const Draft = z.object({
  label: z.string(),
  zone: z.string(),
  websiteId: z.number().nullable(),
  unitId: z.number(),
  topUnitId: z.number(),
});
type Draft = z.infer<typeof Draft>;

async function ownerName(ctx: HandlerContext, zone: string): Promise<string | null> {
  const owner = zoneOwner(await allZones(ctx.tx), zone);
  return owner === null ? null : unitNameOf(ctx.tx, owner);
}

export const requestFlow = gatedSubmitFlow<Draft>({
  name: 'domain-request',
  version: 2,
  title: views.REQUEST_TITLE,
  roles: ALL_ROLES,
  schema: Draft,
  label: views.PURPOSE_LABEL,
  hint: views.PURPOSE_HINT,
  maxChars: 500,
  // 申请域名 <the same name> [网站标识码] <新用途> while the purpose waits for 确认.
  revise: (raw, draft) => {
    const match = /^申请域名\s*(\S+)\s+([\s\S]+)$/.exec(raw);
    if (!match) return null;
    const read = readName(match[1]!, [draft.zone], draft.zone);
    if (!read.ok || read.label !== draft.label || read.zone !== draft.zone) return null;
    return match[2]!.trim().replace(/^\d{6,32}\s+/, '') || null;
  },
  store: async (ctx, draft, purpose, accepted) => {
    const name = nameOf(draft.label, draft.zone);
    const outcome = await requestDomain(effectsOf(ctx), actorOf(ctx), { ...draft, purpose, accepted });
    if (outcome.kind !== 'ok') return reply(views.unavailable(name, outcome));
    const { allocation, approvers } = outcome;
    await auditAcceptedFindings(ctx.services, ctx.user.userid, `D${allocation.id}`, accepted);
    const website =
      allocation.websiteId === null
        ? null
        : await ctx.tx.getRepository(Website).findOneBy({ id: allocation.websiteId });
    const unitName = ctx.user.topUnit?.name ?? '';
    return {
      ...reply(views.requested(allocation.id, name, await ownerName(ctx, draft.zone))),
      notify: cardNotices(
        approvers,
        { kind: 'domain', id: allocation.id, key: `domain:${allocation.id}:card`, source: 'domain' },
        (taskId) => views.requestCard(allocation, name, unitName, ctx.user.name, website, taskId),
      ),
    };
  },
});

export const requestCommand: Command = {
  name: '申请域名',
  roles: ALL_ROLES,
  summary: views.DOMAIN_SUMMARIES.request,
  usage: views.REQUEST_USAGE,
  args: 'required',
  group: views.DOMAIN_GROUP,
  handle: async (ctx) => {
    const unit = ctx.user.topUnit;
    if (!unit || ctx.user.unitId === null) return reply(NO_UNIT_TEXT);
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const zones = await allZones(ctx.tx);
    const read = readName(
      first,
      zones.map((zone) => zone.zone),
      defaultZone(zones, unit.id),
    );
    if (!read.ok) return reply(views.nameProblem(read));
    // An optional 网站标识码 of one of the unit's sites links the domain to that site.
    const { first: maybeCode, rest: afterCode } = splitFirstWord(rest);
    let websiteId: number | null = null;
    let purpose = rest;
    const code = maybeCode.normalize('NFKC');
    if (/^\d{6,32}$/.test(code)) {
      const site = await ctx.tx.getRepository(Website).findOneBy({ siteCode: code });
      const siteTop = site ? (await topUnitIndex(ctx.tx)).get(site.unitId) : undefined;
      if (!site || siteTop !== unit.id) return reply(views.siteNotYours(maybeCode));
      websiteId = site.id;
      purpose = afterCode;
    }
    if (purpose === '') return reply(views.PURPOSE_MISSING);
    const name = nameOf(read.label, read.zone);
    const effects = effectsOf(ctx);
    // The clear answers first; the INSERT's unique reservation decides races.
    const zone = await requestCheck(ctx.tx, zones, read.zone, unit.id);
    if (zone.kind !== 'ok') {
      await auditRefusedRequest(effects, actorOf(ctx), name, zone);
      return reply(views.unavailable(name, zone));
    }
    const availability = await domainAvailability(ctx.tx, name);
    if (availability.kind !== 'free') {
      await auditRefusedRequest(effects, actorOf(ctx), name, availability);
      return reply(views.unavailable(name, availability));
    }
    const draft = {
      label: read.label,
      zone: read.zone,
      websiteId,
      unitId: ctx.user.unitId,
      topUnitId: unit.id,
    };
    return requestFlow.submit(ctx, draft, purpose);
  },
};
