// How reposts read in chat: the liaisons' card, the outcome of each link, the supervisors' card for
// a link to confirm, and the 转载进度 views. Every word of the feature is here.
import { memberText } from '../../messages/member-text.js';
import { cardTaskId, markdown, type OutMessage, type TemplateCard } from '../../messages/outbound.js';
import type { RepostAssignment } from '../../entities/repost-assignment.js';
import { REPOST_CHANNEL_LABELS, type RepostItem } from '../../entities/repost-item.js';
import type { RepostLink, RepostOutcome, RepostReason } from '../../entities/repost-link.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { colourTag, deadlineLine, formatDeadlineMarked, viewDeadline } from '../calendar/deadline-text.js';
import { formatDateTime } from '../calendar/time.js';
import { clip } from '../shared/duty.js';
import { repostRef } from './store.js';

export const REPOST_CARD_SOURCE = '督办助手 · 重要信息转载';

/** Card button keys: the router matches the prefix, the rest are parameters. */
export const REPOST_KEYS = {
  submit: 'repost:submit',
  approve: 'repost:approve',
  reject: 'repost:reject',
} as const;

export const OUTCOME_LABELS: Record<RepostOutcome, string> = {
  verified: '已核验',
  failed: '未通过',
  manual: '待人工确认',
};

export const REASON_LABELS: Record<RepostReason, string> = {
  title: '标题不符',
  'title-close': '标题相近',
  unreachable: '页面无法访问',
  refused: '地址不允许访问',
  'too-large': '页面过大',
  'not-page': '不是网页',
  'other-unit': '非本单位网站',
  'unknown-site': '网站未登记',
  channel: '渠道不符',
  rejected: '人工确认未通过',
};

const oneLine = (value: string): string => memberText(value.replace(/\s+/g, ' '));

/** `已核验`, `未通过（标题不符）`, `待人工确认（网站未登记…）`. */
export function outcomeText(link: Pick<RepostLink, 'outcome' | 'reason'>): string {
  const label = OUTCOME_LABELS[link.outcome];
  return link.reason ? `${label}（${REASON_LABELS[link.reason]}）` : label;
}

const outcomeTag = (outcome: RepostOutcome, text: string): string =>
  outcome === 'verified'
    ? `<font color="info">${text}</font>`
    : outcome === 'failed'
      ? `<font color="warning">${text}</font>`
      : `<font color="comment">${text}</font>`;

/** The card a unit's liaison gets for an item to repost. */
export function repostCard(
  calendar: WorkCalendar,
  item: RepostItem,
  unitName: string,
  recipient: string,
  now: Date,
): OutMessage {
  const view = viewDeadline(calendar, item.deadline, now, item.deadlineEstimated);
  const card: TemplateCard = {
    card_type: 'button_interaction',
    task_id: cardTaskId('repost', item.id, recipient),
    source: { desc: REPOST_CARD_SOURCE },
    main_title: { title: clip(`${repostRef(item.id)} ${item.title}`, 36), desc: '重要信息转载' },
    sub_title_text: clip(
      `请在${REPOST_CHANNEL_LABELS[item.channels]}转载《${item.title}》${item.publisher ? `（${item.publisher}）` : ''}，转载后点击下方按钮提交转载链接，或发送“转载 ${repostRef(item.id)} 链接”。`,
      160,
    ),
    horizontal_content_list: [
      { keyname: '编号', value: repostRef(item.id) },
      { keyname: '单位', value: unitName },
      { keyname: '渠道', value: REPOST_CHANNEL_LABELS[item.channels] },
      { keyname: '原文', value: clip(item.sourceUrl, 30), type: 1, url: item.sourceUrl },
      { keyname: '截止时间', value: formatDeadlineMarked(item.deadline, item.deadlineEstimated) },
      { keyname: '剩余', value: view.remainingShort },
    ],
    button_list: [{ text: '提交转载链接', style: 1, key: `${REPOST_KEYS.submit}:${item.id}` }],
  };
  return { type: 'card', card };
}

/** The supervisors' card for a link 待人工确认: two buttons, one click decides. */
export function manualCard(
  item: RepostItem,
  link: RepostLink,
  unitName: string,
  recipient: string,
): OutMessage {
  const card: TemplateCard = {
    card_type: 'button_interaction',
    task_id: cardTaskId('repost-link', link.id, recipient),
    source: { desc: REPOST_CARD_SOURCE },
    main_title: { title: clip(`${repostRef(item.id)} 转载链接待确认`, 36), desc: unitName },
    quote_area: {
      type: 1,
      url: link.finalUrl ?? link.url,
      title: '转载页面',
      quote_text: clip(`${link.pageTitle ?? '（未读到标题）'}\n${link.finalUrl ?? link.url}`, 150),
    },
    sub_title_text: clip(`原文：${item.title}；${REASON_LABELS[link.reason ?? 'unknown-site']}`, 160),
    horizontal_content_list: [
      { keyname: '单位', value: unitName },
      { keyname: '标题相似度', value: link.similarity === null ? '—' : `${link.similarity}%` },
      { keyname: '原文', value: clip(item.sourceUrl, 30), type: 1, url: item.sourceUrl },
    ],
    button_list: [
      { text: '确认通过', style: 1, key: `${REPOST_KEYS.approve}:${link.id}` },
      { text: '不通过', style: 2, key: `${REPOST_KEYS.reject}:${link.id}` },
    ],
  };
  return { type: 'card', card };
}

/** The lines of checked links: `1. 已核验 …链接` each with the page's title. */
export function linkLines(links: readonly RepostLink[]): string[] {
  return links.map((link, i) => {
    const title = link.pageTitle ? `《${oneLine(clip(link.pageTitle, 40))}》` : '';
    const detail = link.detail && link.reason !== 'title' ? `：${link.detail}` : '';
    return `${i + 1}. ${outcomeTag(link.outcome, outcomeText(link))}${detail} ${title}\n   ${memberText(link.url)}`;
  });
}

/** The answer to `转载 Z3 <链接>`. */
export function submittedText(
  item: RepostItem,
  assignment: RepostAssignment,
  links: RepostLink[],
  skipped: number,
  missing: 'website' | 'media' | null = null,
): string {
  const lines = [
    `**${repostRef(item.id)} ${oneLine(clip(item.title, 40))}** 转载链接核验结果：`,
    ...linkLines(links),
  ];
  if (skipped > 0)
    lines.push(`<font color="comment">一次最多核验 5 条链接，其余 ${skipped} 条未读取。</font>`);
  if (assignment.status === 'done') lines.push('', '<font color="info">已完成转载核验，无需再提交。</font>');
  else if (missing)
    lines.push(
      '',
      `本条需在网站和政务新媒体都转载：还需提交${missing === 'website' ? '本单位网站' : '政务新媒体'}的转载链接（发送“转载 ${repostRef(item.id)} 链接”）。`,
    );
  else if (assignment.status === 'review') lines.push('', '已提交督办人员人工确认，结果会通知您。');
  else
    lines.push(
      '',
      `尚未通过核验：请确认转载页面的标题与原文一致、发布在本单位登记的网站或账号上，然后重新发送“转载 ${repostRef(item.id)} 链接”。`,
    );
  return lines.join('\n');
}

export function askLinksText(item: RepostItem): string {
  return `请发送 ${repostRef(item.id)}《${oneLine(clip(item.title, 40))}》的转载链接（可多条，每行一条，也可直接转发文章链接）。发送“取消”退出。`;
}

export const ASK_LINKS_HINT = '请发送转载链接（可多条，或转发文章链接）';

export function noLinksText(): string {
  return '没有找到链接：请发送以 http:// 或 https:// 开头的转载链接，或直接转发文章链接。';
}

export function alreadyDoneText(item: RepostItem, assignment: RepostAssignment): string {
  const how = assignment.doneBy === 'discovery' ? '自动发现' : '已核验';
  return `${repostRef(item.id)}《${oneLine(clip(item.title, 40))}》本单位已完成转载（${how}${assignment.doneAt ? `，${formatDateTime(assignment.doneAt)}` : ''}），无需再提交。`;
}

export function accessText(reason: 'not-found' | 'not-unit' | 'no-unit', ref: string): string {
  if (reason === 'not-found') return `没有找到转载任务 ${memberText(ref)}，请核对编号（如 Z3）。`;
  if (reason === 'no-unit') return '您尚未登记所在单位，无法提交转载链接，请联系市大数据局电子政务科。';
  return `${memberText(ref)} 不是本单位的转载任务，不能提交。`;
}

export const SUBMIT_USAGE = '用法：转载 Z3 链接（可多条链接，用空格或换行分隔）';

/** What the liaisons hear when discovery found the repost on their site (`done`: nothing left). */
export function discoveredText(item: RepostItem, link: RepostLink, done = true): string {
  return [
    `**【转载已自动核验】** ${repostRef(item.id)}《${oneLine(clip(item.title, 40))}》`,
    done
      ? '已在本单位网站发现转载页面并核验通过，无需再提交：'
      : `已在本单位网站发现转载页面并核验通过；本条还需在政务新媒体转载，转载后请发送“转载 ${repostRef(item.id)} 链接”：`,
    memberText(link.finalUrl ?? link.url),
  ].join('\n');
}

/** What the liaisons hear about a supervisor's decision on their link. */
export function decidedText(item: RepostItem, link: RepostLink): string {
  return link.outcome === 'verified'
    ? `${repostRef(item.id)}《${oneLine(clip(item.title, 40))}》的转载链接已由督办人员确认通过：${memberText(link.url)}`
    : `${repostRef(item.id)}《${oneLine(clip(item.title, 40))}》的转载链接未通过人工确认，请重新转载并发送“转载 ${repostRef(item.id)} 链接”：${memberText(link.url)}`;
}

export function alreadyDecidedText(link: RepostLink): string {
  return `该转载链接已处理（${outcomeText(link)}${link.decidedAt ? `，${formatDateTime(link.decidedAt)}` : ''}）。`;
}

// ---------------------------------------------------------------------------------------------
// 转载任务: preview and the answer

export function previewLines(
  sources: readonly { title: string; url: string; publisher: string | null }[],
  unitText: string,
  channels: RepostItem['channels'],
  deadline: string,
): string[] {
  return [
    '**请确认转载任务**',
    ...sources.map(
      (source, i) =>
        `${i + 1}. 《${oneLine(source.title)}》${source.publisher ? `（${oneLine(source.publisher)}）` : ''}\n   ${memberText(source.url)}`,
    ),
    `单位：${unitText}`,
    `渠道：${REPOST_CHANNEL_LABELS[channels]}`,
    `截止：${deadline}`,
    '',
    channels === 'media'
      ? '每个单位的联络员会收到每条文章的卡片（政务新媒体不自动核查，由联络员提交链接）。'
      : '每个单位的联络员会收到每条文章的卡片；网站已登记的单位还会自动核查。',
  ];
}

/** Under the preview: articles of the batch already out in an open item (a second card for the same article). */
export function alreadyOpenLine(items: readonly RepostItem[]): string {
  return `<font color="warning">已有未完成的转载任务：${items.map((item) => `${repostRef(item.id)}《${oneLine(clip(item.title, 20))}》`).join('、')}，确认后各单位会再收到一次。</font>`;
}

export function createdText(
  items: readonly RepostItem[],
  unitCount: number,
  silent: readonly string[],
): string {
  const lines = [
    `已下发 ${items.length} 条转载任务（${unitCount} 个单位）：${items.map((item) => `${repostRef(item.id)}《${oneLine(clip(item.title, 20))}》`).join('、')}`,
  ];
  if (silent.length)
    lines.push(`<font color="warning">以下单位暂无联络员，未能通知：${silent.join('、')}</font>`);
  lines.push(
    '<font color="comment">发送“转载进度 Z编号”查看各单位转载情况，“转载核查 Z编号”立即核查单位网站。</font>',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// 转载进度

export interface UnitRow {
  unitId: number;
  unitName: string;
  assignment: RepostAssignment;
  links: RepostLink[];
}

/** One unit's line for an item: colour or outcome, and the best link. */
export function unitRowLine(
  calendar: WorkCalendar,
  item: RepostItem,
  row: UnitRow,
  now: Date,
  withName = true,
): string {
  const { assignment, links } = row;
  const name = withName ? ` **${memberText(row.unitName)}**` : '';
  if (assignment.status === 'done') {
    const link = links.find((l) => l.outcome === 'verified');
    const how = link?.source === 'discovery' ? '自动发现' : link?.decidedBy ? '人工确认' : '联络员提交';
    return `<font color="info">🟢已核验</font>${name}（${how}）${link ? ` ${memberText(link.finalUrl ?? link.url)}` : ''}`;
  }
  if (assignment.status === 'review') {
    return `<font color="comment">⏳待人工确认</font>${name}`;
  }
  const view = viewDeadline(calendar, item.deadline, now, item.deadlineEstimated);
  // An item of both channels with one channel's link verified: say so, and what the other lacks.
  const half =
    item.channels === 'both' ? links.find((l) => l.outcome === 'verified' && l.channel) : undefined;
  const last = half
    ? links.slice(links.indexOf(half) + 1).findLast((l) => l.outcome !== 'verified')
    : links.at(-1);
  const other = half && REPOST_CHANNEL_LABELS[half.channel === 'website' ? 'media' : 'website'];
  const tail = half
    ? `，${REPOST_CHANNEL_LABELS[half.channel!]}已核验${last ? `；最近提交${outcomeText(last)}` : `，${other}未提交`}`
    : last
      ? `，最近提交${outcomeText(last)}`
      : '，未提交';
  return `${colourTag(view.colour)}${name}${tail}${view.colour === 'red' ? ` · ${view.remaining}` : ''}`;
}

export interface ItemSummary {
  item: RepostItem;
  total: number;
  done: number;
  review: number;
  overdue: number;
  /** Items of both channels: units still to do with one channel's link verified. */
  oneChannel?: number;
}

export function summaryLine(calendar: WorkCalendar, summary: ItemSummary, now: Date): string {
  const { item } = summary;
  const view = viewDeadline(calendar, item.deadline, now, item.deadlineEstimated);
  const late = summary.overdue > 0 ? ` · <font color="warning">🔴逾期 ${summary.overdue}</font>` : '';
  const review = summary.review > 0 ? ` · 待确认 ${summary.review}` : '';
  const half = summary.oneChannel ? `（另有 ${summary.oneChannel} 个单位已完成一个渠道）` : '';
  return `**${repostRef(item.id)}** ${oneLine(clip(item.title, 30))}：已核验 ${summary.done}/${summary.total}${half}${review}${late} · ${deadlineLine(view)}`;
}

export function overviewText(calendar: WorkCalendar, summaries: readonly ItemSummary[], now: Date): string {
  if (summaries.length === 0) return '目前没有未完成的转载任务。';
  return [
    `**转载进度**（${summaries.length} 条未完成）`,
    ...summaries.map((summary) => summaryLine(calendar, summary, now)),
    '',
    '<font color="comment">发送“转载进度 Z编号”看各单位，“转载进度 单位名”看单位的转载情况。</font>',
  ].join('\n');
}

export function itemDetailText(
  calendar: WorkCalendar,
  summary: ItemSummary,
  rows: readonly UnitRow[],
  now: Date,
): string {
  const { item } = summary;
  return [
    summaryLine(calendar, summary, now),
    `原文：${memberText(item.sourceUrl)}${item.publisher ? `（${oneLine(item.publisher)}）` : ''} · 渠道：${REPOST_CHANNEL_LABELS[item.channels]}`,
    ...rows.map((row) => unitRowLine(calendar, item, row, now)),
  ].join('\n');
}

export function unitDetailText(
  calendar: WorkCalendar,
  unitName: string,
  entries: readonly { item: RepostItem; row: UnitRow }[],
  now: Date,
): string {
  if (entries.length === 0) return `${memberText(unitName)}没有转载任务。`;
  return [
    `**${memberText(unitName)} 转载情况**`,
    ...entries.map(
      ({ item, row }) =>
        `${repostRef(item.id)} ${oneLine(clip(item.title, 30))}：${unitRowLine(calendar, item, row, now, false)}`,
    ),
  ].join('\n');
}

export const PROGRESS_USAGE = '用法：转载进度 [Z编号|单位名]';

// ---------------------------------------------------------------------------------------------
// Discovery

export function discoveryQueuedText(item: RepostItem, units: number, withSites: number): string {
  return `已安排核查 ${repostRef(item.id)}：${units} 个单位未完成，其中 ${withSites} 个登记了网站，将读取其首页和栏目页（每个网站每秒 1 次），结果稍后发送。`;
}

/** 转载核查 that reads nothing. */
export function discoveryRefusedText(item: RepostItem, reason: 'media-only' | 'nothing-open'): string {
  return reason === 'media-only'
    ? `${repostRef(item.id)} 只需在政务新媒体转载，自动核查只读网站；请等联络员提交链接，发送“转载进度 ${repostRef(item.id)}”查看。`
    : `${repostRef(item.id)} 没有待核查的单位（都已核验或待人工确认），发送“转载进度 ${repostRef(item.id)}”查看。`;
}

export function discoveryDoneText(
  item: RepostItem,
  found: readonly string[],
  missing: readonly string[],
): OutMessage {
  const lines = [`**转载核查 ${repostRef(item.id)}** ${oneLine(clip(item.title, 30))}`];
  lines.push(
    found.length
      ? `<font color="info">自动发现 ${found.length} 个单位：</font>${found.join('、')}`
      : '未发现新的转载页面。',
  );
  if (missing.length)
    lines.push(
      `仍未发现：${missing.slice(0, 30).join('、')}${missing.length > 30 ? ` 等 ${missing.length} 个单位` : ''}`,
    );
  return markdown(lines.join('\n'));
}
