// 收回域名 <子域名> <理由>: only an approver of the name's zone; the reason is required and passes
// the personal-information gate; a preview asks 确认 (否 leaves the name as it is); the unit that
// holds the name is told why.
import { z } from 'zod';
import { markdown } from '../../messages/outbound.js';
import { DomainAllocation } from '../../entities/domain-allocation.js';
import { readName } from '../../services/domains/rules.js';
import {
  allocationName,
  allZones,
  checkRevocable,
  defaultZone,
  domainRef,
  nameOf,
  revokeDomain,
  type RevokeCheck,
} from '../../services/domains/store.js';
import { parseRef, splitFirstWord, unitNameOf } from '../../services/shared/duty.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import type { PiiFindingSummary } from '../../services/pii/report.js';
import { ALL_ROLES, reply, type Command, type HandlerContext, type HandlerResult } from '../types.js';
import { actorOf, effectsOf, tell, unitAudience } from '../context.js';
import { AcceptedFindings } from '../flow/gated.js';
import { defineFlow, type KitFlow } from '../flow/kit.js';
import { confirmStep, gateText, gatedTextSteps, previewMessage } from '../flow/steps.js';
import * as views from './views.js';

const Draft = z.object({
  name: z.string(),
  id: z.number(),
  reason: z.string().optional(),
  accepted: AcceptedFindings.optional(),
});
type Draft = z.infer<typeof Draft>;

function refusal(name: string, check: Exclude<RevokeCheck, { kind: 'ok' }>): HandlerResult {
  if (check.kind === 'not-active') return reply(views.notActive(name));
  return reply(views.forbidden(`${name} `, check.zone, check.ownerName));
}

async function preview(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const allocation = await ctx.tx.getRepository(DomainAllocation).findOneBy({ id: draft.id });
  if (!allocation) return reply(views.notActive(draft.name), 'end');
  const unitName = await unitNameOf(ctx.tx, allocation.topUnitId);
  const lines = views.revokePreview(allocation, draft.name, unitName, draft.reason!);
  return revokeFlow.to('preview', draft, previewMessage(lines, views.REVOKE_ACTION));
}

async function revoke(ctx: HandlerContext, draft: Draft): Promise<HandlerResult> {
  const outcome = await revokeDomain(effectsOf(ctx), draft.name, actorOf(ctx), draft.reason!, draft.id);
  if (outcome.kind !== 'ok') return { ...refusal(draft.name, outcome), next: 'end' };
  const { allocation } = outcome;
  const accepted = draft.accepted ?? [];
  await auditAcceptedFindings(ctx.services, ctx.user.userid, domainRef(allocation.id), accepted);
  const to = await unitAudience(ctx, allocation.topUnitId, allocation.requestedBy);
  return {
    replies: [markdown(views.revoked(allocation.id, draft.name))],
    notify: tell(
      to,
      `domain:${allocation.id}:revoked`,
      'domain',
      views.revokedNotice(allocation.id, draft.name, draft.reason!, ctx.user.name),
    ),
    next: 'end',
  };
}

const reasonOptions = {
  hint: views.REVOKE_REASON_HINT,
  label: views.REVOKE_REASON_LABEL,
  maxChars: 500,
  flow: (): KitFlow<Draft> => revokeFlow,
  accept: (ctx: HandlerContext, draft: Draft, reason: string, accepted: PiiFindingSummary[]) =>
    preview(ctx, { ...draft, reason, accepted }),
};

export const revokeFlow: KitFlow<Draft> = defineFlow<Draft>({
  name: 'domain-revoke',
  version: 1,
  title: views.REVOKE_TITLE,
  roles: ALL_ROLES,
  schema: Draft,
  steps: {
    ...gatedTextSteps<Draft>('reason', reasonOptions),
    preview: confirmStep<Draft>({
      action: views.REVOKE_ACTION,
      flow: () => revokeFlow,
      confirm: revoke,
      decline: (_ctx, draft) => reply(views.revokeDeclined(draft.name), 'end'),
    }),
  },
});

const checkReason = gateText<Draft>('reason', reasonOptions);

export const revokeCommand: Command = {
  name: '收回域名',
  // Approvers of a 区县's zone may be liaisons: the service decides who may.
  roles: ALL_ROLES,
  summary: views.DOMAIN_SUMMARIES.revoke,
  usage: views.REVOKE_USAGE,
  args: 'required',
  group: views.DOMAIN_GROUP,
  handle: async (ctx) => {
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const zones = await allZones(ctx.tx);
    const read = readName(
      first,
      zones.map((zone) => zone.zone),
      defaultZone(zones, ctx.user.topUnit?.id ?? null),
    );
    if (!read.ok) return reply(views.nameProblem(read));
    let name = nameOf(read.label, read.zone);
    let check = await checkRevocable(effectsOf(ctx), name, actorOf(ctx));
    // 收回域名 D4: the number every other domain message shows (d4 as a name is tried first).
    const byRef = /^D\d{1,9}$/i.test(first.normalize('NFKC')) ? parseRef('D', first) : null;
    if (check.kind === 'not-active' && byRef !== null) {
      const allocation = await ctx.tx.getRepository(DomainAllocation).findOneBy({ id: byRef });
      if (!allocation) return reply(views.notFound(byRef));
      name = allocationName(allocation);
      check = await checkRevocable(effectsOf(ctx), name, actorOf(ctx));
    }
    if (check.kind !== 'ok') return refusal(name, check);
    const draft: Draft = { name, id: check.allocation.id };
    if (rest === '') return revokeFlow.to('reason', draft, views.askRevokeReason(draft.id, name));
    return checkReason(ctx, draft, rest, { inline: true });
  },
};
