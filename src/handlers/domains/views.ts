// Every word of the domain commands and dialogs (申请域名, 域名审批, 收回域名, 域名列表, the zone and
// approver settings): the handlers call these with the services' outcome values.
import { memberText } from '../../messages/member-text.js';
import type { TemplateCard } from '../../messages/outbound.js';
import { DOMAIN_STATUS_LABELS, type DomainAllocation } from '../../entities/domain-allocation.js';
import type { Website } from '../../entities/website.js';
import { clip } from '../../services/shared/duty.js';
import { formatDate, shanghaiDate } from '../../services/calendar/time.js';
import { siteLabel } from '../../services/guestbook/store.js';
import { CITY_ZONE, domainRef, type NameProblem } from '../../services/domains/rules.js';
import type { DomainRow, Unavailable, ZoneRefusal, ZoneRow } from '../../services/domains/store.js';

export const DOMAIN_GROUP = '二级域名';
export const REQUEST_USAGE = '申请域名 <子域名> [网站标识码] <用途>';
export const DECIDE_USAGE = '域名审批 D4 同意|拒绝 <理由>';
export const REVOKE_USAGE = '收回域名 <子域名> <理由>';
export const ZONE_USAGE = '设置域名区 <区县> <域名区>';
export const APPROVER_USAGE = '设置域名审批人 <区县> <userid>';
export const UNAPPROVER_USAGE = '取消域名审批人 <区县> <userid>';
export const LIST_USAGE = '域名列表 [全部]';

export const DOMAIN_SUMMARIES = {
  list: '查看二级域名分配情况（加“全部”含已收回、已拒绝）',
  request: '申请分配政府网站二级域名（市级或本区县的域名区）',
  revoke: '收回已分配的二级域名（须写明理由并确认，通知使用单位）',
  zone: '指定区县（或部门）自己分配二级域名的域名区，如 zhangdian.gov.cn',
  approver: '指定区县审批本域名区二级域名的人员',
  unapprover: '取消区县的域名审批人',
  zones: '查看各域名区及其审批人',
} as const;

export const REQUEST_TITLE = '申请域名';
export const REVOKE_TITLE = '收回域名';
/** The verb of 收回域名's preview: 回复“确认”收回. */
export const REVOKE_ACTION = '收回';
/** 域名列表 of a supervisor: every unit's. */
export const ALL_UNITS_SCOPE = '全部单位';

export function nameProblem(problem: NameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return '请写明子域名，如 jyj。';
    case 'idn':
      return `“${clip(problem.input, 40)}”是中文或国际化域名：政府网站二级域名只能由英文字母、数字和连字符组成，如 jyj。`;
    case 'chars':
      return '子域名只能由小写字母、数字和连字符（-）组成，如 jyj 或 zhaosheng-2026。';
    case 'hyphen':
      return '子域名不能以连字符（-）开头或结尾。';
    case 'long':
      return '子域名过长：最多 63 个字符。';
    case 'depth':
      return `${clip(problem.input, 60)} 不是二级域名：只能有一级标签，如 jyj.${CITY_ZONE}。`;
    case 'zone':
      return `只能分配 ${problem.zones.join('、')} 下的二级域名，请输入如 jyj 或 jyj.${problem.zones[0] ?? CITY_ZONE}。`;
    case 'reserved':
      return `${problem.label} 是门户网站或邮件、域名解析等服务保留的名称，不分配给单位，请换一个，如 jyj。`;
  }
}

export function unavailable(name: string, why: Unavailable | ZoneRefusal): string {
  switch (why.kind) {
    case 'taken':
      return `${name} 已分配给${memberText(why.unitName)}（${domainRef(why.holder.id)}），不能重复分配。`;
    case 'pending':
      return `${name} 已有待审批的申请（${domainRef(why.other.id)}，${memberText(why.unitName)}），请等待审批结果。`;
    case 'site':
      return `${name} 已由${memberText(why.unitName)}的网站“${memberText(why.website.name)}”（${why.website.siteCode}）使用，不能再分配。`;
    case 'not-your-zone':
      return `${why.zone} 是${memberText(why.ownerName)}的域名区，只有${memberText(why.ownerName)}的单位可以申请其中的域名。`;
    case 'no-approvers':
      return why.ownerName
        ? `${memberText(why.ownerName)}尚未指定域名审批人（域名区 ${why.zone}），暂不能申请，请联系督办人员设置。`
        : '暂无督办人员可以审批，请联系电子政务科。';
  }
}

export function siteNotYours(code: string): string {
  return `网站标识码 ${code} 不是您单位的网站。用法：${REQUEST_USAGE}`;
}

export const PURPOSE_MISSING = `请写明域名用途。用法：${REQUEST_USAGE}`;
export const PURPOSE_LABEL = '域名用途';
export const PURPOSE_HINT = '请发送域名用途';

/** Who decides, in 等待…审批. */
export function deciders(ownerName: string | null): string {
  return ownerName ? `${memberText(ownerName)}域名审批人` : '督办人员';
}

export function requested(id: number, name: string, ownerName: string | null): string {
  return `已提交二级域名申请 ${domainRef(id)}：${name}，等待${deciders(ownerName)}审批。`;
}

export function requestCard(
  allocation: DomainAllocation,
  name: string,
  unitName: string,
  requester: string,
  website: Website | null,
  taskId: string,
): TemplateCard {
  return {
    card_type: 'button_interaction',
    task_id: taskId,
    source: { desc: '督办助手 · 二级域名' },
    main_title: { title: `域名申请 ${domainRef(allocation.id)}：${name}`, desc: unitName },
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

// 域名审批

export function notFound(id: number): string {
  return `没有找到域名申请 ${domainRef(id)}。`;
}

export function forbidden(subject: string, zone: string, ownerName: string): string {
  return zone === CITY_ZONE
    ? `${subject}属于市级域名区 ${CITY_ZONE}，由督办人员审批。`
    : `${subject}属于${memberText(ownerName)}的域名区 ${zone}，您不是该域名区的审批人。`;
}

export function takenAtApproval(id: number, name: string, unitName: string, holder: number | null): string {
  const ref = holder === null ? '' : `（${domainRef(holder)}）`;
  return `${name} 已分配给${memberText(unitName)}${ref}，不能重复分配。如需拒绝：域名审批 ${domainRef(id)} 拒绝 <理由>`;
}

export function siteAtApproval(id: number, name: string, website: Website, unitName: string): string {
  return `${name} 已由${memberText(unitName)}的网站“${memberText(website.name)}”使用，不能分配。如需拒绝：域名审批 ${domainRef(id)} 拒绝 <理由>`;
}

export function approved(id: number, name: string): string {
  return `已同意域名申请 ${domainRef(id)}：${name} 已分配。`;
}

export function approvedNotice(id: number, name: string): string {
  return `您单位的二级域名申请 ${domainRef(id)} 已同意：${name} 已分配，可以使用。`;
}

export function rejected(id: number, name: string): string {
  return `已拒绝域名申请 ${domainRef(id)}（${name}），已通知申请单位。`;
}

export function rejectedNotice(id: number, name: string, reason: string): string {
  return `您单位的二级域名申请 ${domainRef(id)}（${name}）未获同意。\n理由：${memberText(reason)}`;
}

export function askRejectReason(id: number, name: string): string {
  return `请发送拒绝域名申请 ${domainRef(id)}（${name}）的理由（发送“取消”放弃）：`;
}

export const DECISION_LABEL = '审批意见';
export const DECISION_HINT = '请发送审批意见';
export const DECISION_TITLE = '域名审批';
export const DECIDE_SUMMARY = '同意或拒绝二级域名申请（本域名区的审批人）';
export const usageLine = (usage: string): string => `用法：${usage}`;

export const APPROVE_BUTTON = '同意';
export const REJECT_BUTTON = '拒绝';
/** What a request card's button says once the request is decided. */
export const HANDLED_BUTTON = '已处理';
export const APPROVED_BUTTON = '已同意';
export const REJECTED_BUTTON = '已拒绝';

/** How a decision's replies name the request (域名申请 D4), with its name where it helps. */
export const requestRef = (id: number): string => `域名申请 ${domainRef(id)}`;
export const requestRefNamed = (id: number, name: string): string => `${requestRef(id)}（${name}）`;

// 收回域名

export function notActive(name: string): string {
  return `${name} 当前未分配，无需收回。`;
}

export function askRevokeReason(id: number, name: string): string {
  return `请发送收回 ${name}（${domainRef(id)}）的理由（将告知使用单位），发送“取消”放弃：`;
}

export const REVOKE_REASON_LABEL = '收回理由';
export const REVOKE_REASON_HINT = '请发送收回理由';

export function revokePreview(
  allocation: DomainAllocation,
  name: string,
  unitName: string,
  reason: string,
): string[] {
  return [
    '**请确认收回二级域名**',
    `域名：${name}（${domainRef(allocation.id)}）`,
    `使用单位：${memberText(unitName)}`,
    `用途：${memberText(clip(allocation.purpose, 60))}`,
    `理由：${memberText(reason)}`,
    '收回后该域名不再分配给该单位，并通知该单位联络员。',
  ];
}

export function revoked(id: number, name: string): string {
  return `已收回 ${name}（${domainRef(id)}），已通知使用单位。`;
}

export function revokedNotice(id: number, name: string, reason: string, by: string): string {
  return `您单位使用的二级域名 ${name}（${domainRef(id)}）已由${by}收回。\n理由：${memberText(reason)}`;
}

export function revokeDeclined(name: string): string {
  return `已放弃收回，${name} 未作改变。`;
}

// 域名列表

export function listEmpty(scope: string, all: boolean): string {
  return `${scope}暂无${all ? '' : '在用或待审批的'}二级域名。`;
}

export function list(scope: string, rows: DomainRow[], nameOf: (row: DomainRow) => string): string {
  const lines = [`**二级域名（${scope}，${rows.length} 个）**`];
  for (const row of rows) {
    const { allocation, unit, website } = row;
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
      `> **${memberText(nameOf(row))}** ${tag}（${domainRef(allocation.id)}）`,
      `> ${memberText(unit?.name ?? '—')}${site} · ${memberText(clip(allocation.purpose, 24).replace(/\s+/g, ' '))}${since}`,
    );
  }
  return lines.join('\n');
}

// Zones and approvers

export function badZone(input: string): string {
  return `“${clip(input, 40)}”不是有效的域名区，请写如 zhangdian.gov.cn。用法：${ZONE_USAGE}`;
}

export function notTopUnit(): string {
  return '请写一个区县或市直部门的名称（单位本身，不是其下属单位）。';
}

export function zoneSet(zone: string, unitName: string, hasApprovers: boolean): string {
  const who = hasApprovers
    ? `由${memberText(unitName)}的域名审批人审批`
    : `尚未指定审批人，请发送：设置域名审批人 ${memberText(unitName)} <userid>`;
  return `已设置：${zone} 为${memberText(unitName)}的域名区（*.${zone}），该单位可申请其中的二级域名，${who}。`;
}

export function zoneIsCity(): string {
  return `${CITY_ZONE} 是市级域名区，由督办人员审批，不能设为单位的域名区。`;
}

export function zoneOwned(zone: string, ownerName: string): string {
  return `域名区 ${zone} 已属于${memberText(ownerName)}。`;
}

export function zoneNested(zone: string, other: string): string {
  return `域名区 ${zone} 与已有的域名区 ${other} 相互包含，域名会归属不清，不能设置。`;
}

export function zoneUnchanged(zone: string, unitName: string): string {
  return `域名区 ${zone} 已是${memberText(unitName)}的域名区。`;
}

export function approverSet(name: string, userid: string, unitName: string, approver: boolean): string {
  return approver
    ? `已指定 ${memberText(name)}（${userid}）为${memberText(unitName)}的域名审批人。`
    : `已取消 ${memberText(name)}（${userid}）的${memberText(unitName)}域名审批人。`;
}

export function approverUnchanged(userid: string, unitName: string, approver: boolean): string {
  return approver
    ? `${userid} 已是${memberText(unitName)}的域名审批人。`
    : `${userid} 不是${memberText(unitName)}的域名审批人。`;
}

export function unknownPerson(userid: string): string {
  return `没有找到在岗人员 ${userid}。`;
}

export function personOfOtherUnit(userid: string, unitName: string, wanted: string): string {
  return `${userid} 属于${memberText(unitName)}，不是${memberText(wanted)}的人员，不能担任其域名审批人。`;
}

export function zoneTable(rows: ZoneRow[]): string {
  const lines = ['**二级域名区**'];
  for (const row of rows) {
    if (!row.unit) {
      lines.push(`> **${row.zone}**（市级）：督办人员审批`);
      continue;
    }
    const approvers = row.approvers.length
      ? `审批人 ${row.approvers.map((person) => memberText(person.name)).join('、')}`
      : '<font color="warning">尚未指定审批人</font>';
    lines.push(`> **${row.zone}**（${memberText(row.unit.name)}）：${approvers}`);
  }
  lines.push('', `<font color="comment">设置：${ZONE_USAGE}；${APPROVER_USAGE}</font>`);
  return lines.join('\n');
}
