// Second-level domains: 申请域名 (a unit) → card to supervisors → 同意/拒绝 (card or 域名审批),
// 收回域名 and 域名列表. Every step is audited in the service; a subdomain in use is refused.
import { memberText } from '../../messages/member-text.js';
import { text, markdown, type TemplateCard } from '../../messages/outbound.js';
import { DOMAIN_STATUS_LABELS, DomainAllocation } from '../../entities/domain-allocation.js';
import { Website } from '../../entities/website.js';
import { supervisors, topUnitIndex } from '../../services/directory/lookup.js';
import {
  auditRefusedRequest,
  decideDomain,
  domainAvailability,
  domainRef,
  fqdn,
  listDomains,
  parseSubdomain,
  requestDomain,
  revokeDomain,
  type Availability,
  type DecisionOutcome,
} from '../../services/domains/store.js';
import { clip, isSupervisorRole, parseRef, splitFirstWord } from '../../services/shared/duty.js';
import { siteLabel } from '../../services/guestbook/store.js';
import { auditAcceptedFindings } from '../../services/pii/gate.js';
import { formatDate, shanghaiDate } from '../../services/calendar/time.js';
import { NO_UNIT_TEXT } from '../../services/shared/permissions.js';
import { ALL_ROLES, SUPERVISORS, type CardAction, type Command, type HandlerContext } from '../types.js';
import {
  actorOf,
  alreadyDecidedText,
  cardNotices,
  cardReply,
  commandReply,
  effectsOf,
  tell,
  unitAudience,
  type DecisionReply,
} from '../context.js';
import { gateAndStore, reasonFlow, type GatedKind } from './pii-confirm.js';

export const DOMAIN_GROUP = '二级域名';
export const DOMAIN_REJECT_FLOW = 'domain-reject';
const REQUEST_USAGE = '申请域名 <子域名> [网站标识码] <用途>';
const DECIDE_USAGE = '域名审批 D4 同意|拒绝 <理由>';

function unavailableText(availability: Exclude<Availability, { kind: 'free' }>, subdomain: string): string {
  if (availability.kind === 'taken') {
    return `${fqdn(subdomain)} 已分配给${availability.unitName}（${domainRef(availability.holder.id)}），不能重复分配。`;
  }
  return `${fqdn(subdomain)} 已有待审批的申请（${domainRef(availability.other.id)}，${availability.unitName}），请等待审批结果。`;
}

export function domainCard(
  allocation: DomainAllocation,
  unitName: string,
  requester: string,
  website: Website | null,
  taskId: string,
): TemplateCard {
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 二级域名' },
    main_title: {
      title: `域名申请 ${domainRef(allocation.id)}：${fqdn(allocation.subdomain)}`,
      desc: unitName,
    },
    horizontal_content_list: [
      { keyname: '申请单位', value: unitName },
      { keyname: '申请人', value: requester },
      ...(website ? [{ keyname: '网站', value: clip(siteLabel(website), 30) }] : []),
      { keyname: '申请日期', value: formatDate(shanghaiDate(allocation.requestedAt)) },
    ],
    quote_area: { type: 0, title: '用途', quote_text: clip(allocation.purpose, 100) },
    sub_title_text: '依据国办函〔2018〕55号，请核实用途后审批。',
    button_list: [
      { text: '同意', style: 1, key: `domain:approve:${allocation.id}` },
      { text: '拒绝', style: 2, key: `domain:reject:${allocation.id}` },
    ],
  };
}

const requestKind: GatedKind = {
  kind: 'domain-request',
  store: async (ctx, payload, purpose, accepted) => {
    const subdomain = String(payload.subdomain);
    const outcome = await requestDomain(effectsOf(ctx), actorOf(ctx), {
      subdomain,
      purpose,
      websiteId: typeof payload.websiteId === 'number' ? payload.websiteId : null,
      unitId: Number(payload.unitId),
      topUnitId: Number(payload.topUnitId),
      accepted,
    });
    if (outcome.kind !== 'ok') return { replies: [text(unavailableText(outcome, subdomain))] };
    const { allocation } = outcome;
    const ref = domainRef(allocation.id);
    await auditAcceptedFindings(ctx.services, ctx.user.userid, ref, accepted);
    const website =
      allocation.websiteId === null
        ? null
        : await ctx.tx.getRepository(Website).findOneBy({ id: allocation.websiteId });
    const cards = cardNotices(
      (await supervisors(ctx.tx)).map((person) => person.userid),
      { kind: 'domain', id: allocation.id, key: `domain:${allocation.id}:card`, source: 'domain' },
      (taskId) => domainCard(allocation, ctx.user.topUnit?.name ?? '', ctx.user.name, website, taskId),
    );
    return {
      replies: [text(`已提交二级域名申请 ${ref}：${fqdn(subdomain)}，等待督办人员审批。`)],
      notify: cards,
    };
  },
  revise: (raw, payload) => {
    const match = /^申请域名\s*(\S+)\s+([\s\S]+)$/.exec(raw);
    const label = match ? parseSubdomain(match[1]!) : null;
    if (!match || !label?.ok || label.value !== payload.subdomain) return null;
    // A 网站标识码 typed again before the purpose is not part of it.
    return match[2]!.trim().replace(/^\d{6,32}\s+/, '');
  },
  usage: (payload) => `申请域名 ${String(payload.subdomain)} <用途>`,
};

export const requestCommand: Command = {
  name: '申请域名',
  roles: ALL_ROLES,
  summary: '申请分配政府网站二级域名',
  usage: REQUEST_USAGE,
  args: 'required',
  group: DOMAIN_GROUP,
  handle: async (ctx) => {
    const unit = ctx.user.topUnit;
    if (!unit || ctx.user.unitId === null) return { replies: [text(NO_UNIT_TEXT)] };
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const parsed = parseSubdomain(first);
    if (!parsed.ok) return { replies: [text(parsed.error)] };
    // An optional 网站标识码 of one of the unit's sites links the domain to that site.
    const { first: maybeCode, rest: afterCode } = splitFirstWord(rest);
    let websiteId: number | null = null;
    let purpose = rest;
    if (/^\d{6,32}$/.test(maybeCode.normalize('NFKC'))) {
      const site = await ctx.tx.getRepository(Website).findOneBy({ siteCode: maybeCode.normalize('NFKC') });
      const siteTop = site ? (await topUnitIndex(ctx.tx)).get(site.unitId) : undefined;
      if (!site || siteTop !== unit.id) {
        return { replies: [text(`网站标识码 ${maybeCode} 不是您单位的网站。用法：${REQUEST_USAGE}`)] };
      }
      websiteId = site.id;
      purpose = afterCode;
    }
    if (purpose === '') return { replies: [text(`请写明域名用途。用法：${REQUEST_USAGE}`)] };
    const availability = await domainAvailability(ctx.tx, parsed.value);
    if (availability.kind !== 'free') {
      await auditRefusedRequest(effectsOf(ctx), actorOf(ctx), parsed.value, availability);
      return { replies: [text(unavailableText(availability, parsed.value))] };
    }
    return gateAndStore(
      ctx,
      requestKind,
      { subdomain: parsed.value, websiteId, unitId: ctx.user.unitId, topUnitId: unit.id },
      purpose,
    );
  },
};

function decidedText(ctx: HandlerContext, allocation: DomainAllocation): Promise<string> {
  return alreadyDecidedText(
    ctx,
    `域名申请 ${domainRef(allocation.id)}`,
    allocation,
    DOMAIN_STATUS_LABELS[allocation.status],
  );
}

/** The requester and the unit's liaisons. */
function audienceOf(ctx: HandlerContext, allocation: DomainAllocation): Promise<string[]> {
  return unitAudience(ctx, allocation.topUnitId, allocation.requestedBy);
}

/** The reply, notices and card label for a decision outcome. */
async function decisionResult(
  ctx: HandlerContext,
  id: number,
  outcome: DecisionOutcome,
  note: string | null,
): Promise<DecisionReply> {
  switch (outcome.kind) {
    case 'not-found':
      return { replies: [text(`没有找到域名申请 ${domainRef(id)}。`)], card: null };
    case 'decided':
      return { replies: [text(await decidedText(ctx, outcome.allocation))], card: '已处理' };
    case 'taken': {
      const holder = outcome.holder ? `（${domainRef(outcome.holder.id)}）` : '';
      return {
        replies: [
          text(
            `${fqdn(outcome.allocation.subdomain)} 已分配给${outcome.unitName}${holder}，不能重复分配。如需拒绝：域名审批 ${domainRef(id)} 拒绝 <理由>`,
          ),
        ],
        card: null,
      };
    }
    case 'ok': {
      const { allocation } = outcome;
      const ref = domainRef(id);
      const name = fqdn(allocation.subdomain);
      const to = await audienceOf(ctx, allocation);
      if (allocation.status === 'active') {
        return {
          replies: [text(`已同意域名申请 ${ref}：${name} 已分配。`)],
          notify: tell(
            to,
            `domain:${id}:approved`,
            'domain',
            `您单位的二级域名申请 ${ref} 已同意：${name} 已分配，可以使用。`,
          ),
          card: '已同意',
        };
      }
      return {
        replies: [text(`已拒绝域名申请 ${ref}（${name}），已通知申请单位。`)],
        notify: tell(
          to,
          `domain:${id}:rejected`,
          'domain',
          `您单位的二级域名申请 ${ref}（${name}）未获同意。\n理由：${memberText(note ?? '')}`,
        ),
        card: '已拒绝',
      };
    }
  }
}

const rejectKind: GatedKind = {
  kind: 'domain-reject',
  store: async (ctx, payload, reason, accepted) => {
    const id = Number(payload.id);
    const outcome = await decideDomain(effectsOf(ctx), id, actorOf(ctx), 'reject', reason);
    if (outcome.kind === 'ok')
      await auditAcceptedFindings(ctx.services, ctx.user.userid, domainRef(id), accepted);
    return commandReply(await decisionResult(ctx, id, outcome, reason));
  },
  revise: (raw, payload) => decisionRevision(raw, payload, '拒绝'),
  usage: (payload) => `域名审批 ${domainRef(Number(payload.id))} 拒绝 <理由>`,
};

/** The text after `域名审批 D4 同意|拒绝` when the same request and verdict are typed again. */
function decisionRevision(raw: string, payload: Record<string, unknown>, verdict: string): string | null {
  const match = /^域名审批\s*(\S+)\s*(同意|拒绝)\s*([\s\S]*)$/.exec(raw);
  return match && match[2] === verdict && parseRef('D', match[1]!) === Number(payload.id)
    ? match[3]!.trim()
    : null;
}

const approveNoteKind: GatedKind = {
  kind: 'domain-approve',
  store: async (ctx, payload, note, accepted) => {
    const id = Number(payload.id);
    const outcome = await decideDomain(
      effectsOf(ctx),
      id,
      actorOf(ctx),
      'approve',
      note === '' ? null : note,
    );
    if (outcome.kind === 'ok')
      await auditAcceptedFindings(ctx.services, ctx.user.userid, domainRef(id), accepted);
    return commandReply(await decisionResult(ctx, id, outcome, note));
  },
  revise: (raw, payload) => decisionRevision(raw, payload, '同意'),
  usage: (payload) => `域名审批 ${domainRef(Number(payload.id))} 同意 <备注>`,
};

export const decideCommand: Command = {
  name: '域名审批',
  roles: SUPERVISORS,
  summary: '同意或拒绝二级域名申请',
  usage: DECIDE_USAGE,
  args: 'required',
  group: DOMAIN_GROUP,
  handle: async (ctx) => {
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const id = parseRef('D', first);
    const { first: verdict, rest: note } = splitFirstWord(rest);
    if (id === null || !['同意', '拒绝'].includes(verdict))
      return { replies: [text(`用法：${DECIDE_USAGE}`)] };
    if (verdict === '拒绝') {
      if (note === '') return { replies: [text(`请写明拒绝理由：域名审批 ${domainRef(id)} 拒绝 <理由>`)] };
      return gateAndStore(ctx, rejectKind, { id }, note);
    }
    if (note !== '') return gateAndStore(ctx, approveNoteKind, { id }, note);
    const outcome = await decideDomain(effectsOf(ctx), id, actorOf(ctx), 'approve', null);
    return commandReply(await decisionResult(ctx, id, outcome, null));
  },
};

export const domainCardActions: CardAction[] = [
  {
    prefix: 'domain:approve',
    roles: SUPERVISORS,
    label: '同意',
    handle: async (ctx, [idText]) => {
      const id = Number(idText);
      const outcome = await decideDomain(effectsOf(ctx), id, actorOf(ctx), 'approve', null);
      return cardReply(await decisionResult(ctx, id, outcome, null));
    },
  },
  {
    prefix: 'domain:reject',
    roles: SUPERVISORS,
    label: '拒绝',
    handle: async (ctx, [idText]) => {
      const id = Number(idText);
      const allocation = await ctx.tx.getRepository(DomainAllocation).findOneBy({ id });
      if (!allocation) return { replies: [text(`没有找到域名申请 ${domainRef(id)}。`)] };
      if (allocation.status !== 'pending') {
        return {
          replies: [text(await decidedText(ctx, allocation))],
          cardUpdate: { type: 'updateButton', replaceName: '已处理' },
        };
      }
      return {
        replies: [
          text(
            `请发送拒绝域名申请 ${domainRef(id)}（${fqdn(allocation.subdomain)}）的理由（发送“取消”放弃）：`,
          ),
        ],
        next: { flow: DOMAIN_REJECT_FLOW, step: 'reason', data: { id } },
      };
    },
  },
];

export const domainRejectFlow = reasonFlow(DOMAIN_REJECT_FLOW, '拒绝域名申请', rejectKind, '拒绝');

const revokeKind: GatedKind = {
  kind: 'domain-revoke',
  store: async (ctx, payload, reason, accepted) => {
    const subdomain = String(payload.subdomain);
    const outcome = await revokeDomain(
      effectsOf(ctx),
      subdomain,
      actorOf(ctx),
      reason === '' ? null : reason,
    );
    if (outcome.kind !== 'ok') return { replies: [text(`${fqdn(subdomain)} 当前未分配，无需收回。`)] };
    const { allocation } = outcome;
    const ref = domainRef(allocation.id);
    await auditAcceptedFindings(ctx.services, ctx.user.userid, ref, accepted);
    const why = reason === '' ? '' : `\n理由：${memberText(reason)}`;
    return {
      replies: [text(`已收回 ${fqdn(subdomain)}（${ref}）。`)],
      notify: tell(
        await audienceOf(ctx, allocation),
        `domain:${allocation.id}:revoked`,
        'domain',
        `您单位使用的二级域名 ${fqdn(subdomain)}（${ref}）已由督办人员收回。${why}`,
      ),
    };
  },
  revise: (raw, payload) => {
    const match = /^收回域名\s*(\S+)\s+([\s\S]+)$/.exec(raw);
    const label = match ? parseSubdomain(match[1]!) : null;
    return match && label?.ok && label.value === payload.subdomain ? match[2]!.trim() : null;
  },
  usage: (payload) => `收回域名 ${String(payload.subdomain)} <理由>`,
};

export const revokeCommand: Command = {
  name: '收回域名',
  roles: SUPERVISORS,
  summary: '收回已分配的二级域名',
  usage: '收回域名 <子域名> [理由]',
  args: 'required',
  group: DOMAIN_GROUP,
  handle: async (ctx) => {
    const { first, rest } = splitFirstWord(ctx.rawArgs);
    const parsed = parseSubdomain(first);
    if (!parsed.ok) return { replies: [text(parsed.error)] };
    if (rest === '') return revokeKind.store(ctx, { subdomain: parsed.value }, '', []);
    return gateAndStore(ctx, revokeKind, { subdomain: parsed.value }, rest);
  },
};

export const domainListCommand: Command = {
  name: '域名列表',
  readOnly: true,
  roles: ALL_ROLES,
  summary: '查看二级域名分配情况（加“全部”含已收回、已拒绝）',
  usage: '域名列表 [全部]',
  args: 'optional',
  group: DOMAIN_GROUP,
  handle: async (ctx) => {
    const supervisor = isSupervisorRole(ctx.user.role);
    if (!supervisor && !ctx.user.topUnit) return { replies: [text(NO_UNIT_TEXT)] };
    const all = ctx.args === '全部';
    const rows = await listDomains(ctx.tx, {
      all,
      topUnitIds: supervisor ? undefined : [ctx.user.topUnit!.id],
    });
    const scope = supervisor ? '全部单位' : memberText(ctx.user.topUnit!.name);
    if (rows.length === 0) return { replies: [text(`${scope}暂无${all ? '' : '在用或待审批的'}二级域名。`)] };
    const lines = [`**二级域名（${scope}，${rows.length} 个）**`];
    for (const { allocation, unit, website } of rows) {
      const status = DOMAIN_STATUS_LABELS[allocation.status];
      const tag =
        allocation.status === 'active'
          ? `<font color="info">${status}</font>`
          : allocation.status === 'pending'
            ? `<font color="warning">${status}</font>`
            : `<font color="comment">${status}</font>`;
      const since =
        allocation.status === 'active' && allocation.allocatedAt
          ? `，${formatDate(shanghaiDate(allocation.allocatedAt))}分配`
          : allocation.status === 'revoked' && allocation.revokedAt
            ? `，${formatDate(shanghaiDate(allocation.revokedAt))}收回`
            : '';
      const site = website ? ` · ${memberText(website.name)}` : '';
      lines.push(
        `> **${memberText(fqdn(allocation.subdomain))}** ${tag}（${domainRef(allocation.id)}）`,
        `> ${memberText(unit?.name ?? '—')}${site} · ${memberText(clip(allocation.purpose, 24).replace(/\s+/g, ' '))}${since}`,
      );
    }
    return { replies: [markdown(lines.join('\n'))] };
  },
};

export const domainGatedKinds: GatedKind[] = [requestKind, rejectKind, approveNoteKind, revokeKind];
