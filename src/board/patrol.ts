// The site patrol on the board: open findings per unit on the overview, a unit's sites on its
// page, and a page per site (/board/site/<id>) with its open findings, the evidence and what was
// resolved lately. Words of the patrol come from its views module; the layout is the board's.
import type { PatrolFinding } from '../entities/patrol.js';
import type { ProgressModel } from '../services/progress/model.js';
import { formatDateTime, shanghaiDate } from '../services/calendar/time.js';
import { findingRef } from '../services/patrol/rules.js';
import type { SiteReport, SiteSummary } from '../services/patrol/store.js';
import { FINDING_KIND_LABELS, findingDetail } from '../services/patrol/views.js';
import { markup, type SafeHtml } from './html.js';

/** Overview: units with open findings, most first (nothing when there are none). */
export function patrolOverviewSection(model: ProgressModel): SafeHtml {
  const patrol = model.patrol;
  if (!patrol?.open) return markup``;
  return markup`<section id="patrol">
<h2>网站巡检未消除问题 <small>${patrol.open} 项 · ${patrol.units.length} 个单位</small></h2>
<ol class="list">
${patrol.units.map((unit) => markup`<li><div class="row"><span class="name"><a href="/board/unit/${unit.unitId}">${unit.name}</a></span><span class="late">${unit.count} 项</span></div></li>`)}
</ol>
</section>`;
}

/** A unit's page: its sites and their open findings. */
export function unitSitesSection(sites: readonly SiteSummary[]): SafeHtml {
  if (!sites.length) return markup``;
  return markup`<section id="sites">
<h2>网站巡检 <small>${sites.length} 个网站</small></h2>
<ol class="list">
${sites.map((site) => markup`<li><div class="row"><span class="name"><a href="/board/site/${site.websiteId}">${site.name}</a></span><span class="${site.open ? 'late' : 'muted'}">${site.open ? `未消除 ${site.open} 项` : '无问题'}</span></div><div class="sub">${site.homeUrl}</div></li>`)}
</ol>
</section>`;
}

function findingItem(finding: PatrolFinding): SafeHtml {
  const seen = `首次 ${shanghaiDate(finding.firstSeenAt)} · 最近 ${shanghaiDate(finding.lastSeenAt)}`;
  const state = finding.resolvedAt
    ? markup` · <span class="ok">已消除 ${shanghaiDate(finding.resolvedAt)}</span>`
    : '';
  return markup`<li class="item" data-ref="${findingRef(finding.id)}" data-kind="${finding.kind}">
<div class="title"><b>${findingRef(finding.id)}</b> ${FINDING_KIND_LABELS[finding.kind]}：${findingDetail(finding)}</div>
<div class="sub">${finding.url}</div>
${finding.pageUrl ? markup`<div class="sub">所在页面：${finding.pageUrl}</div>` : ''}
<blockquote>${finding.snippet}</blockquote>
<div class="sub">${seen}${finding.taskId ? ` · 已下发 T${finding.taskId}` : ''}${state}</div>
</li>
`;
}

/** A site's page (laid out by pages.ts). */
export function sitePage(report: SiteReport): { title: string; heading: SafeHtml; body: SafeHtml } {
  const { website, last } = report;
  const lastLine = last?.finishedAt
    ? markup`最近巡检 ${formatDateTime(last.finishedAt)}：读取 ${last.pages} 个页面和附件，请求 ${last.requests} 次${last.unreachable ? markup`，<span class="warn">无法访问</span>` : ''}${last.truncated ? '，未读完（达到上限）' : ''}`
    : markup`<span class="muted">尚未巡检</span>`;
  return {
    title: `${website.name} · 网站巡检`,
    heading: markup`${website.name}<small>${report.unitName}</small>`,
    body: markup`<p><a href="/board/unit/${report.topUnitId}">← 返回${report.unitName}</a></p>
<section id="site-summary">
<ul class="facts">
<li>网站标识码 ${website.siteCode} · ${website.homeUrl ?? website.domain}</li>
<li>${lastLine}</li>
</ul>
</section>
<section id="open-findings">
<h2>未消除问题 <small>${report.open.length} 项</small></h2>
${report.open.length ? markup`<ol class="list">${report.open.map(findingItem)}</ol>` : markup`<p class="muted">没有未消除的问题。</p>`}
</section>
${report.resolved.length ? markup`<section id="resolved-findings"><h2>近 30 天已消除 <small>${report.resolved.length} 项</small></h2><ol class="list">${report.resolved.map(findingItem)}</ol></section>` : ''}`,
  };
}
