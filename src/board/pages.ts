// The board's pages as HTML strings, server-rendered in Simplified Chinese. Every value goes through
// `markup` (escaped); the overview embeds what its charts and the rest of the grid need as one JSON
// block. Counts carry `data-k` attributes, so tests can check each number against the status model.
import { ROLE_LABELS } from '../entities/person.js';
import { TASK_KIND_LABELS } from '../entities/task.js';
import { UNIT_KIND_LABELS } from '../entities/unit.js';
import { shortDueDate } from '../services/cases/rules.js';
import { COLOUR_LABELS, deadlineLine } from '../services/calendar/deadline-text.js';
import type { StatusColour } from '../services/calendar/deadlines.js';
import { OPEN_ITEM_KIND_LABELS } from '../services/open-items/items.js';
import { can } from '../services/shared/permissions.js';
import type {
  AtRiskList,
  BatchProgress,
  CaseCallProgress,
  DetailItem,
  ProgressModel,
  UnitFlag,
} from '../services/progress/model.js';
import type { GridRow } from '../services/progress/grid.js';
import { closedLine, flagKindParts } from '../services/progress/views.js';
import type { RepostCell } from '../services/reposts/board.js';
import { formatDateTime } from '../services/calendar/time.js';
import { BOARD_SCRIPT } from './client.js';
import type { BoardOverview, HistoryEvent, UnitPage } from './data.js';
import { jsonForScript, markup, trusted, type SafeHtml } from './html.js';
import { patrolOverviewSection, sitePage, unitSitesSection } from './patrol.js';
import type { SiteReport } from '../services/patrol/store.js';
import { BOARD_CSS } from './styles.js';
import type { BoardViewer } from './viewer.js';

export const ECHARTS_PATH = '/board/static/echarts.min.js';

/** Grids up to this many units are shown whole; larger ones start with the red and yellow units. */
export const GRID_SHOW_ALL_UP_TO = 30;
/** At most this many red/yellow rows are in the HTML; the rest come from the data block on request. */
export const GRID_FIRST_ROWS = 50;
/** With no red or yellow unit at all, the first rows shown. */
export const GRID_GREEN_ROWS = 20;
/** Units listed in the red and yellow lists (the rest: the export). */
export const FLAG_LIST_LIMIT = 20;
export const AT_RISK_LIST_LIMIT = 10;

const COLOUR_CLASS: Record<StatusColour, string> = { red: 'c-r', yellow: 'c-y', green: 'c-g' };
const CELL_CODE: Record<StatusColour, string> = { red: 'r', yellow: 'y', green: 'g' };

export interface PageOptions {
  title: string;
  viewer?: BoardViewer;
  now?: Date;
  heading?: SafeHtml;
  body: SafeHtml;
  /** The overview's data block and script (charts, the rest of the grid). */
  data?: unknown;
  echartsVersion?: string;
}

function layout(options: PageOptions): string {
  const who = options.viewer
    ? markup`${options.viewer.name}（${ROLE_LABELS[options.viewer.role]}）· <form class="logout" method="post" action="/board/logout"><button type="submit">退出</button></form>`
    : '';
  const stamp = options.now ? markup`截至 ${formatDateTime(options.now)}` : '';
  // The inline script is emitted exactly as BOARD_SCRIPT: its hash in the CSP depends on it.
  const scripts = options.data
    ? markup`<script id="board-data" type="application/json">${jsonForScript(options.data)}</script>
<script src="${ECHARTS_PATH}?v=${options.echartsVersion ?? ''}"></script>
<script>${trusted(BOARD_SCRIPT)}</script>`
    : '';
  return markup`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${options.title}</title>
<style>${trusted(BOARD_CSS)}</style>
</head>
<body>
<header class="top">
<h1>${options.heading ?? options.title}</h1>
<p>${stamp}${stamp && who ? ' · ' : ''}${who}</p>
</header>
<main>
${options.body}
</main>
<footer>督办助手 · 数据与“进度”命令一致</footer>
${scripts}
</body>
</html>
`.value;
}

// ---------------------------------------------------------------------------------------------------
// Overview (supervisors and admins)

function tile(key: string, label: string, value: number, tone: '' | 't-r' | 't-y' = ''): SafeHtml {
  return markup`<div class="tile ${tone}"><b data-k="${key}">${value}</b><span>${label}</span></div>`;
}

function summarySection(model: ProgressModel): SafeHtml {
  const { totals } = model;
  const redItems = model.red.reduce((sum, flag) => sum + flag.count, 0);
  const yellowItems = model.yellow.reduce((sum, flag) => sum + flag.count, 0);
  const atRisk = (label: string, prefix: string, list: AtRiskList) =>
    markup`<li>${label}：<span class="${list.red ? 'warn' : ''}">逾期 <b data-k="${prefix}Red">${list.red}</b></span> · 临期 <b data-k="${prefix}Yellow">${list.yellow}</b></li>`;
  return markup`<section id="summary">
<h2>概览 <small>未办结任务 <b data-k="batches">${model.batches.length}</b> 批 ${totals.total} 项</small></h2>
<div class="tiles">
${tile('overdue', '逾期', totals.overdue, totals.overdue ? 't-r' : '')}
${tile('pending', '待办', totals.pending)}
${tile('submitted', '已提交待审', totals.submitted)}
${tile('done', '已办结', totals.done)}
${tile('lateSubmitted', '逾期提交', totals.lateSubmitted)}
${tile('total', '任务合计', totals.total)}
</div>
<ul class="facts">
<li>逾期单位 <b class="${model.red.length ? 'warn' : ''}" data-k="redUnits">${model.red.length}</b> 个（<span data-k="redItems">${redItems}</span> 项）· 临期单位 <b data-k="yellowUnits">${model.yellow.length}</b> 个（<span data-k="yellowItems">${yellowItems}</span> 项）</li>
${atRisk('网站找错留言', 'guestbook', model.guestbook)}
${atRisk('账号备案待确认', 'filings', model.filings)}
${model.caseCalls.map(
  (call) =>
    markup`<li>${call.ref}《${call.title}》：达标 <b data-k="caseMet-${call.callId}">${call.met}</b>/<b data-k="caseOwing-${call.callId}">${call.owing}</b> 个单位</li>`,
)}
</ul>
</section>`;
}

/** `留言 1`, `任务 1、案例征集 1` under a unit of the red or yellow list (nothing when all are tasks). */
function kindsBreakdown(flag: UnitFlag): SafeHtml | '' {
  if (flag.count === flag.tasks) return '';
  return markup`<div class="sub">${flagKindParts(flag).join('、')}</div>`;
}

function flagList(id: string, heading: string, flags: UnitFlag[], colour: 'red' | 'yellow'): SafeHtml {
  if (flags.length === 0) return markup`<section id="${id}"><h2>${heading} <small>无</small></h2></section>`;
  const items = flags.reduce((sum, flag) => sum + flag.count, 0);
  const shown = flags.slice(0, FLAG_LIST_LIMIT);
  return markup`<section id="${id}">
<h2>${heading} <small>${flags.length} 个单位，${items} 项</small></h2>
<ol class="list">
${shown.map(
  (
    flag,
  ) => markup`<li><a class="row" href="/board/unit/${flag.unitId}"><span class="name">${flag.unitName}<small class="sub">${flag.count} 项</small></span><span class="${colour === 'red' ? 'late' : 'soon'}" data-unit="${flag.unitId}" data-days-late="${flag.view.daysLate}">${flag.view.remaining}</span></a>${kindsBreakdown(flag)}</li>
`,
)}</ol>
${flags.length > shown.length ? markup`<p class="muted">另有 ${flags.length - shown.length} 个单位，见导出的进度表。</p>` : ''}
</section>`;
}

function gridCells(row: GridRow): SafeHtml[] {
  return row.cells.map((colour) =>
    colour
      ? markup`<td class="${COLOUR_CLASS[colour]}">${colour === 'red' ? '逾' : colour === 'yellow' ? '临' : ''}</td>`
      : markup`<td class="c-n"></td>`,
  );
}

/**
 * How many grid rows the HTML carries; the rest wait in the data block for "显示全部". A small
 * grid is shown whole; a large one starts with its red and yellow units (what a supervisor acts
 * on, and what fits a phone screen), at most GRID_FIRST_ROWS of them.
 */
export function gridInitialRows(rows: readonly GridRow[]): number {
  if (rows.length <= GRID_SHOW_ALL_UP_TO) return rows.length;
  const flagged = rows.filter((row) => row.colour !== 'green').length;
  return flagged > 0 ? Math.min(flagged, GRID_FIRST_ROWS) : GRID_GREEN_ROWS;
}

function gridSection(overview: BoardOverview): SafeHtml {
  const { model, grid } = overview;
  if (model.batches.length === 0) {
    return markup`<section id="grid"><h2>单位 × 批次</h2><p class="muted">目前没有未办结的任务批次。</p></section>`;
  }
  const first = gridInitialRows(grid.rows);
  const rest = grid.rows.length - first;
  return markup`<section id="grid">
<h2>单位 × 批次 <small>${grid.rows.length} 个单位 · ${model.batches.length} 批</small></h2>
<p class="legend"><i class="c-r"></i>逾期<i class="c-y"></i>临期<i class="c-g"></i>正常或已提交<i class="c-n"></i>无此任务</p>
<div class="scroll"><table class="grid">
<thead><tr><th>单位</th>${model.batches.map((_, i) => markup`<th>${i + 1}</th>`)}</tr></thead>
<tbody id="grid-body">
${grid.rows.slice(0, first).map(
  (row) =>
    markup`<tr data-colour="${row.colour}"><th><a href="/board/unit/${row.unitId}">${row.unitName}</a></th>${gridCells(row)}</tr>
`,
)}</tbody>
</table></div>
${rest > 0 ? markup`<button type="button" class="more" id="grid-all">显示全部 ${grid.rows.length} 个单位（另有 ${rest} 个）</button>` : ''}
<p class="muted">列号即下方“任务批次”的序号；点单位名查看详情。</p>
</section>`;
}

/** `截止 2月24日，还剩1个工作日` (最早截止 … when extensions moved some of the batch), as in 进度. */
function batchDue(batch: BatchProgress, now: Date): string {
  const same = batch.earliestDeadline.getTime() === batch.latestDeadline.getTime();
  return `${same ? '' : '最早'}截止 ${shortDueDate(batch.earliestDeadline, now)}，${batch.view.remaining}`;
}

function countsLine(counts: BatchProgress['counts']): SafeHtml {
  return markup`已办结 ${counts.done} · 已提交待审 ${counts.submitted} · 待办 ${counts.pending} · <span class="${counts.overdue ? 'warn' : ''}">逾期 ${counts.overdue}</span>${counts.lateSubmitted ? `（其中逾期提交 ${counts.lateSubmitted}）` : ''}`;
}

function batchSection(model: ProgressModel): SafeHtml {
  if (model.batches.length === 0) return markup``;
  return markup`<section id="batches">
<h2>任务批次 <small>${model.batches.length} 批</small></h2>
<div class="chart" id="batch-chart" role="img" aria-label="各批次办理情况">图表加载中…</div>
<ol class="list">
${model.batches.map(
  (
    batch,
    i,
  ) => markup`<li data-batch="${batch.key}"><div><span class="num">${i + 1}</span><b>T${batch.firstTaskId}起</b> ${batch.noticeId !== null ? markup`通报《${batch.title}》` : batch.title}<span class="sub">（${batch.kinds.map((kind) => TASK_KIND_LABELS[kind]).join('、')} · ${batch.counts.total} 项）</span></div>
<div class="sub">${countsLine(batch.counts)}</div>
<div class="sub">${batchDue(batch, model.now)}</div></li>
`,
)}</ol>
</section>`;
}

function caseCall(call: CaseCallProgress, overview: BoardOverview): SafeHtml {
  const chart = overview.caseCharts.find((candidate) => candidate.callId === call.callId);
  const short = call.short.slice(0, 10);
  return markup`<h3>${call.ref}《${call.title}》<small>达标 ${call.met}/${call.owing} · 有效案例 ${call.counted} 个</small></h3>
<p class="sub">${call.closedAt ? closedLine(call) : deadlineLine(call.view)}</p>
${
  chart && chart.units.length
    ? markup`<div class="chart" id="case-chart-${call.callId}" role="img" aria-label="案例配额">图表加载中…</div>`
    : markup`<p class="muted">没有单位需要提报。</p>`
}
${
  short.length
    ? markup`<p class="sub">${call.closedAt ? '最终未达标' : '未达标'}：${short.map((unit, i) => markup`${i ? '、' : ''}<a href="/board/unit/${unit.unitId}">${unit.unitName}</a> ${unit.counted}/${unit.quota}`)}${call.short.length > short.length ? `……共 ${call.short.length} 个单位` : ''}</p>`
    : ''
}`;
}

function caseSection(overview: BoardOverview): SafeHtml {
  const calls = overview.model.caseCalls;
  if (calls.length === 0) return markup``;
  return markup`<section id="cases">
<h2>案例征集 <small>各单位已提交与应提报</small></h2>
${calls.map((call) => caseCall(call, overview))}
</section>`;
}

const REPOST_CELL: Record<RepostCell, [string, string]> = {
  done: ['c-g', '✓'],
  review: ['c-n', '审'],
  red: ['c-r', '逾'],
  yellow: ['c-y', '临'],
  green: ['c-n', ''],
};

/** 重要信息转载: per open batch, units × items (✓ 已核验, 审 待人工确认, 逾/临 by the deadline). */
function repostSection(overview: BoardOverview): SafeHtml {
  const batches = overview.reposts ?? [];
  if (batches.length === 0) return markup``;
  return markup`<section id="reposts">
<h2>重要信息转载 <small>✓ 已核验 · 审 待人工确认 · 逾 逾期 · 临 临期</small></h2>
${batches.map(
  (
    batch,
  ) => markup`<h3>${batch.items.map((item) => item.ref).join('、')} <small>已核验 <b data-k="repostDone-${batch.batch}">${batch.done}</b>/${batch.total} · 逾期 <b data-k="repostOverdue-${batch.batch}">${batch.overdue}</b></small></h3>
${batch.items.map((item) => markup`<p class="sub">${item.ref}《${item.title}》${deadlineLine(item.view)}</p>`)}
<table class="grid" data-batch="${batch.batch}"><thead><tr><th>单位</th>${batch.items.map((item) => markup`<th>${item.ref}</th>`)}</tr></thead><tbody>
${batch.rows.map(
  (row) =>
    markup`<tr data-unit="${row.unitName}"><th><a href="/board/unit/${row.unitId}">${row.unitName}</a></th>${row.cells.map(
      (cell) =>
        cell
          ? markup`<td class="${REPOST_CELL[cell][0]}" data-cell="${cell}">${REPOST_CELL[cell][1]}</td>`
          : markup`<td></td>`,
    )}</tr>`,
)}
</tbody></table>`,
)}
</section>`;
}

function atRiskSection(id: string, heading: string, list: AtRiskList): SafeHtml {
  if (list.red + list.yellow === 0) return markup``;
  const shown = list.items.slice(0, AT_RISK_LIST_LIMIT);
  const total = list.red + list.yellow;
  return markup`<section id="${id}">
<h2>${heading} <small>逾期 ${list.red} · 临期 ${list.yellow}</small></h2>
<ol class="list">
${shown.map(
  (
    item,
  ) => markup`<li><div class="row"><span class="name"><span class="tag ${COLOUR_CLASS[item.colour]}">${COLOUR_LABELS[item.colour]}</span><b>${item.ref}</b> <a href="/board/unit/${item.unitId}">${item.unitName}</a></span><span class="${item.colour === 'red' ? 'late' : 'soon'}">${item.view.remaining}</span></div>
<div class="sub">${item.title}</div></li>
`,
)}</ol>
${total > shown.length ? markup`<p class="muted">另有 ${total - shown.length} 条。</p>` : ''}
</section>`;
}

function exportSection(model: ProgressModel): SafeHtml {
  return markup`<section id="exports" class="links">
<h2>导出 Excel</h2>
${model.batches.length ? markup`<a href="/board/export/progress.xlsx">进度表（每项任务一行，另附各单位汇总）</a>` : markup`<p class="muted">目前没有未办结的任务批次。</p>`}
${model.caseCalls.map((call) => markup`<a href="/board/export/cases/${call.callId}.xlsx">${call.ref}《${call.title}》典型做法信息表</a>`)}
</section>`;
}

/** The data block of the overview: the charts' numbers and the grid rows not in the HTML. */
export function overviewData(overview: BoardOverview): Record<string, unknown> {
  const first = gridInitialRows(overview.grid.rows);
  return {
    batches: overview.model.batches.map((batch, i) => ({
      n: i + 1,
      title: batch.title,
      done: batch.counts.done,
      submitted: batch.counts.submitted,
      pending: batch.counts.pending,
      overdue: batch.counts.overdue,
    })),
    cases: overview.caseCharts.map((chart) => ({
      id: chart.callId,
      units: chart.units.map((unit) => [unit.name, unit.counted, unit.quota]),
    })),
    gridRest: overview.grid.rows
      .slice(first)
      .map((row) => [row.unitId, row.unitName, row.cells.map((c) => (c ? CELL_CODE[c] : '-')).join('')]),
  };
}

export function overviewPage(overview: BoardOverview, viewer: BoardViewer, echartsVersion: string): string {
  const { model } = overview;
  return layout({
    title: '督办进度看板',
    viewer,
    now: model.now,
    body: markup`${summarySection(model)}
${gridSection(overview)}
${flagList('overdue', '逾期单位', model.red, 'red')}
${flagList('due-soon', '临期单位', model.yellow, 'yellow')}
${batchSection(model)}
${caseSection(overview)}
${repostSection(overview)}
${atRiskSection('guestbook', '网站找错留言', model.guestbook)}
${atRiskSection('filings', '账号备案待确认', model.filings)}
${patrolOverviewSection(model)}
${can(viewer.role, 'export') ? exportSection(model) : ''}`,
    data: overviewData(overview),
    echartsVersion,
  });
}

// ---------------------------------------------------------------------------------------------------
// A unit's page (a liaison's board; the drill-down for supervisors)

function itemTag(item: DetailItem): SafeHtml {
  if (item.colour)
    return markup`<span class="tag ${COLOUR_CLASS[item.colour]}">${COLOUR_LABELS[item.colour]}</span>`;
  return markup`<span class="tag c-n">${item.awaiting === 'supervisor' ? '待审核' : '无期限'}</span>`;
}

function historyEvent(event: HistoryEvent): SafeHtml {
  const tone = event.tone === 'approve' ? 'ok' : event.tone === 'return' ? 'warn' : '';
  return markup`<li><time>${formatDateTime(event.at)}</time>${event.who} <span class="${tone}">${event.action}</span>${event.text ? markup`<blockquote>${event.text}</blockquote>` : ''}${event.files.length ? markup`<div class="sub">附件：${event.files.join('、')}</div>` : ''}</li>`;
}

function detailItem(item: DetailItem, history: HistoryEvent[] | undefined): SafeHtml {
  const tone = item.colour === 'red' ? 'late' : item.colour === 'yellow' ? 'soon' : '';
  const due = item.view
    ? markup`${item.view.due}，<span class="${tone}">${item.view.dueMarked ? item.view.remainingShortPlain : item.view.remainingShort}</span>`
    : '无截止时间';
  const events =
    history && history.length
      ? markup`<ol class="history">${history.map(historyEvent)}</ol>`
      : item.kind === 'task'
        ? markup`<p class="muted">暂无办理记录</p>`
        : '';
  return markup`<li class="item" data-ref="${item.ref}" data-colour="${item.colour ?? 'none'}">
<div class="title">${itemTag(item)}<b>${item.ref}</b> ${item.title}</div>
<div class="sub">${OPEN_ITEM_KIND_LABELS[item.kind]} · ${item.state}</div>
<div class="sub">${due}</div>
${events}</li>
`;
}

export function unitPageHtml(
  page: UnitPage,
  viewer: BoardViewer,
  now: Date,
  options: { back: boolean; exportLink: boolean },
): string {
  const { detail } = page;
  const red = detail.items.filter((item) => item.colour === 'red').length;
  const yellow = detail.items.filter((item) => item.colour === 'yellow').length;
  const review = detail.items.filter((item) => item.awaiting === 'supervisor').length;
  const liaisons = detail.liaisons.map((person) => person.name).join('、');
  const items = detail.items.map((item) =>
    detailItem(item, item.taskId === null ? undefined : page.history.get(item.taskId)),
  );
  return layout({
    title: `${detail.unitName} · 督办进度`,
    heading: markup`${detail.unitName}<small>${UNIT_KIND_LABELS[detail.unitKind]}</small>`,
    viewer,
    now,
    body: markup`${options.back ? markup`<p><a href="/board">← 返回看板</a></p>` : ''}
<section id="unit-summary">
<div class="tiles">
${tile('open', '未办结', detail.items.length)}
${tile('red', '逾期', red, red ? 't-r' : '')}
${tile('yellow', '临期', yellow, yellow ? 't-y' : '')}
</div>
<ul class="facts">
<li>待督办审核 <b data-k="review">${review}</b> 项</li>
<li>联络员：${liaisons ? liaisons : markup`<span class="warn">未登记</span>`}</li>
</ul>
</section>
<section id="items">
<h2>未办结事项 <small>逾期在前</small></h2>
${detail.items.length ? markup`<ol class="list">${items}</ol>` : markup`<p class="muted">目前没有未办结的事项。</p>`}
</section>
${unitSitesSection(page.sites ?? [])}
${options.exportLink && detail.items.length ? markup`<section class="links"><a href="/board/export/progress.xlsx?unit=${detail.unitId}">导出本单位进度表（Excel）</a></section>` : ''}`,
  });
}

/** A site's page of the patrol (/board/site/<id>). */
export function sitePageHtml(report: SiteReport, viewer: BoardViewer, now: Date): string {
  return layout({ ...sitePage(report), viewer, now });
}

// ---------------------------------------------------------------------------------------------------
// Notices (refusals, sign-in problems)

export function noticePage(title: string, message: string, link?: { href: string; text: string }): string {
  return layout({
    title,
    body: markup`<section class="notice">
<h1>${title}</h1>
<p>${message}</p>
${link ? markup`<p><a href="${link.href}">${link.text}</a></p>` : ''}
</section>`,
  });
}
