// Every word of the site patrol: the start and end of a run, the findings list, the rectification
// task's title and evidence, and the lines 任务 T12 shows under a task made from findings.
import type { PatrolFinding, PatrolFindingKind, PatrolRun } from '../../entities/patrol.js';
import { memberText } from '../../messages/member-text.js';
import { markdown, type OutMessage } from '../../messages/outbound.js';
import { formatBytes } from '../content/limits.js';
import { shanghaiDate as formatMonthDay } from '../calendar/time.js';
import { daysSince, findingRef } from './rules.js';
import type { FindingRow } from './store.js';

export const FINDING_KIND_LABELS: Readonly<Record<PatrolFindingKind, string>> = {
  pii: '个人信息',
  'dead-link': '死链',
  external: '外部链接',
  stale: '栏目不更新',
  unreachable: '网站无法访问',
};

/** Findings listed in one answer at most (the rest by unit). */
export const LIST_LIMIT = 20;

const FAILURE_WORDS: Record<string, string> = {
  timeout: '超时',
  unreachable: '无法连接',
  'refused-address': '地址不允许访问',
  'too-large': '页面过大',
};

function failureWords(detail: string): string {
  return FAILURE_WORDS[detail] ?? detail;
}

/** What a finding's detail says, in words (the board's site page): 无法连接, not `unreachable`. */
export function findingDetail(finding: Pick<PatrolFinding, 'kind' | 'detail'>): string {
  switch (finding.kind) {
    case 'dead-link':
    case 'unreachable':
      return failureWords(finding.detail);
    case 'stale':
      return `最新 ${finding.detail}`;
    default:
      return finding.detail;
  }
}

/** One finding in one line (and a quoted snippet for PII). */
export function findingLines(finding: PatrolFinding, now: Date): string[] {
  const ref = findingRef(finding.id);
  const url = memberText(finding.url);
  switch (finding.kind) {
    case 'pii':
      return [`${ref} 个人信息：${finding.detail} ${url}`, `> ${memberText(finding.snippet)}`];
    case 'dead-link':
      return [`${ref} 死链（${failureWords(finding.detail)}）：“${memberText(finding.snippet)}” ${url}`];
    case 'external':
      return [`${ref} 外部链接：“${memberText(finding.detail)}” ${url}`];
    case 'stale':
      return [
        `${ref} 栏目不更新：${memberText(finding.snippet)}，最新 ${finding.detail}（${daysSince(finding.detail, now)} 天前） ${url}`,
      ];
    case 'unreachable':
      return [`${ref} 网站无法访问（连续两次，${failureWords(finding.detail)}）：${url}`];
  }
}

function seenLine(finding: PatrolFinding): string {
  const first = formatMonthDay(finding.firstSeenAt);
  const last = formatMonthDay(finding.lastSeenAt);
  const task = finding.taskId ? ` · 已下发 T${finding.taskId}` : '';
  return `<font color="comment">首次 ${first} · 最近 ${last}${task}</font>`;
}

/** `canIssue`: the reader may 巡检下发 (a supervisor); a liaison is told how a finding goes away. */
export function findingsMessage(
  rows: readonly FindingRow[],
  scope: string | null,
  now: Date,
  canIssue = true,
): OutMessage {
  if (!rows.length) {
    return markdown(scope ? `${scope}暂无未消除的巡检问题。` : '暂无未消除的巡检问题。');
  }
  const lines = [`**巡检结果${scope ? ` · ${memberText(scope)}` : ''}**（未消除 ${rows.length} 项）`];
  let group = '';
  for (const row of rows.slice(0, LIST_LIMIT)) {
    const heading = `${row.unitName} · ${row.siteName}`;
    if (heading !== group) {
      lines.push('', `**${memberText(heading)}**`);
      group = heading;
    }
    lines.push(...findingLines(row.finding, now), seenLine(row.finding));
  }
  if (rows.length > LIST_LIMIT) {
    lines.push('', `另有 ${rows.length - LIST_LIMIT} 项未列出，发送“巡检结果 单位名称”分单位查看。`);
  }
  lines.push(
    '',
    canIssue
      ? '<font color="comment">发送“巡检下发 X编号 …”把选中的问题下发给所属单位整改。</font>'
      : '<font color="comment">整改后，下次巡检未再发现的问题自动消除。</font>',
  );
  return markdown(lines.join('\n'));
}

export interface RunTotals {
  sites: number;
  pages: number;
  requests: number;
  bytes: number;
  unreachable: number;
  truncated: number;
}

export function runStartedText(run: PatrolRun, sites: number, pagesPerSite: number): string {
  return (
    `已开始网站巡检（${run.scope}，${sites} 个网站），完成后通知您。` +
    `每个网站最多读取 ${pagesPerSite} 个页面，同一网站每秒最多 1 次请求，遵守 robots.txt。`
  );
}

export function runBusyText(run: PatrolRun, done: number, total: number): string {
  return `网站巡检（${run.scope}）正在进行，已完成 ${done}/${total} 个网站，请完成后再试。`;
}

export const NO_SITES_TEXT = '没有可巡检的网站：请先在通讯录导入网站名录（状态为运行）。';

export function runFinishedMessage(
  run: PatrolRun,
  totals: RunTotals,
  counts: { open: number; fresh: number },
): OutMessage {
  const lines = [
    `**网站巡检完成**（${memberText(run.scope)}）`,
    `网站 ${totals.sites} 个，读取页面和附件 ${totals.pages} 个（${formatBytes(totals.bytes)}），请求 ${totals.requests} 次`,
  ];
  if (totals.unreachable) lines.push(`无法访问的网站 ${totals.unreachable} 个`);
  if (totals.truncated)
    lines.push(`<font color="comment">${totals.truncated} 个网站因页面上限或时间上限未读完。</font>`);
  lines.push(`新发现问题 ${counts.fresh} 项，未消除共 ${counts.open} 项。`);
  lines.push('<font color="comment">发送“巡检结果”查看，“巡检下发 X编号”下发整改。</font>');
  return markdown(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// 巡检下发

export function rectificationTitle(siteName: string): string {
  return `网站巡检问题整改：${siteName}`;
}

/** The task's 要求: what to do and the evidence, finding by finding. */
export function rectificationDetail(rows: readonly FindingRow[], now: Date): string {
  const lines = ['网站巡检发现以下问题，请整改后提交办理情况：'];
  for (const row of rows) {
    lines.push(...findingLines(row.finding, now).map((line) => line.replace(/^> /, '  ')));
    lines.push(
      `  首次发现 ${formatMonthDay(row.finding.firstSeenAt)}，最近 ${formatMonthDay(row.finding.lastSeenAt)}`,
    );
  }
  lines.push('整改后下次巡检会自动核验，问题消失即标为“已消除”。');
  return lines.join('\n');
}

export type IssueRefusal =
  | { reason: 'usage' }
  | { reason: 'invalid'; tokens: string[] }
  | { reason: 'unknown'; ids: number[]; rest: number[] }
  | { reason: 'resolved'; ids: number[]; rest: number[] }
  | { reason: 'issued'; ids: number[]; taskIds: number[]; rest: number[] };

/** Nothing was issued: the others named may be sent again on their own. */
function restLine(rest: readonly number[]): string {
  return rest.length
    ? `\n本次未下发任何问题；其余问题请重新发送：巡检下发 ${rest.map(findingRef).join(' ')}`
    : '';
}

export function issueRefusalText(refusal: IssueRefusal): string {
  switch (refusal.reason) {
    case 'usage':
      return '请写明问题编号，如：巡检下发 X3 X5。发送“巡检结果”查看编号。';
    case 'invalid':
      return `无法识别：${refusal.tokens.map(memberText).join('、')}。问题编号形如 X3。`;
    case 'unknown':
      return `没有这些巡检问题：${refusal.ids.map(findingRef).join('、')}。发送“巡检结果”查看编号。${restLine(refusal.rest)}`;
    case 'resolved':
      return `这些问题已消除，无需下发：${refusal.ids.map(findingRef).join('、')}。${restLine(refusal.rest)}`;
    case 'issued':
      return `这些问题已下发过：${refusal.ids.map(findingRef).join('、')}（${refusal.taskIds.map((id) => `T${id}`).join('、')}）。${restLine(refusal.rest)}`;
  }
}

/** Under 任务 T12: the findings it was made from and whether each is gone. */
export function taskFindingsLines(findings: readonly PatrolFinding[]): string[] {
  if (!findings.length) return [];
  const gone = findings.filter((finding) => finding.resolvedAt).length;
  const lines = [`**巡检问题**（已消除 ${gone}/${findings.length}）`];
  for (const finding of findings) {
    const state = finding.resolvedAt
      ? `<font color="info">已消除 ${formatMonthDay(finding.resolvedAt)}</font>`
      : '<font color="warning">未消除</font>';
    lines.push(`${findingRef(finding.id)} ${FINDING_KIND_LABELS[finding.kind]} ${state}`);
  }
  return lines;
}

/** The line of 进度 and 周报: open findings of a unit. */
export function openFindingsLine(count: number): string {
  return `网站巡检未消除问题 ${count} 项`;
}
