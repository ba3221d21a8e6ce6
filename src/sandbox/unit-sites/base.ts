// What every fictional unit site has: a home page with its columns (工作动态, 通知公告), the column
// list pages with dated items, and the articles. Other contributors add what their feature needs
// to find (reposted items, leaks, dead links) on top of this.
import { escapeHtml, html, shanghaiDay, type FictionalSite, type SiteContributor } from './pages.js';

export const BASE_COLUMNS = [
  { slug: 'gzdt', name: '工作动态' },
  { slug: 'tzgg', name: '通知公告' },
] as const;

const DAY = 86_400_000;

export interface ColumnItem {
  title: string;
  path: string;
  date: Date;
}

/** Items listed in a column (newest first), kept on the site so other contributors can add. */
const columnItems = new WeakMap<FictionalSite, Map<string, ColumnItem[]>>();

export function itemsOf(site: FictionalSite, column: string): ColumnItem[] {
  let columns = columnItems.get(site);
  if (!columns) columnItems.set(site, (columns = new Map<string, ColumnItem[]>()));
  let items = columns.get(column);
  if (!items) columns.set(column, (items = []));
  return items;
}

/** Adds an article to a column and re-renders the column's list and the home page. */
export function publish(
  site: FictionalSite,
  column: string,
  item: { title: string; date: Date; body: string; path?: string },
): string {
  const items = itemsOf(site, column);
  const path = item.path ?? `/art/${column}-${items.length + 1}.html`;
  site.pages.set(path, {
    body: html(
      item.title,
      `<h1>${escapeHtml(item.title)}</h1><p class="date">发布日期：${shanghaiDay(item.date)}</p>${item.body}`,
    ),
    lastModified: item.date,
  });
  items.push({ title: item.title, path, date: item.date });
  items.sort((a, b) => b.date.getTime() - a.date.getTime());
  renderColumn(site, column);
  renderHome(site);
  return path;
}

function columnPath(slug: string): string {
  return `/col/${slug}/index.html`;
}

function renderColumn(site: FictionalSite, slug: string): void {
  const name = BASE_COLUMNS.find((column) => column.slug === slug)?.name ?? slug;
  const items = itemsOf(site, slug);
  const list = items
    .map(
      (item) =>
        `<li><a href="${item.path}">${escapeHtml(item.title)}</a><span>${shanghaiDay(item.date)}</span></li>`,
    )
    .join('');
  site.pages.set(columnPath(slug), {
    body: html(`${name} - ${site.name}`, `<h1>${escapeHtml(name)}</h1><ul class="list">${list}</ul>`),
    lastModified: items[0]?.date,
  });
}

function renderHome(site: FictionalSite): void {
  const columns = BASE_COLUMNS.map((column) => {
    const latest = itemsOf(site, column.slug)
      .slice(0, 5)
      .map(
        (item) =>
          `<li><a href="${item.path}">${escapeHtml(item.title)}</a><span>${shanghaiDay(item.date)}</span></li>`,
      )
      .join('');
    return `<div class="column"><h2><a href="${columnPath(column.slug)}">${column.name}</a></h2><ul>${latest}</ul></div>`;
  }).join('');
  const extra = homeExtras.get(site) ?? '';
  site.pages.set('/', {
    body: html(
      site.name,
      `<h1>${escapeHtml(site.name)}</h1><nav>${BASE_COLUMNS.map((c) => `<a href="${columnPath(c.slug)}">${c.name}</a>`).join(' ')}</nav>${columns}${extra}`,
    ),
  });
}

/** Extra markup on the home page (links a contributor wants there), kept across re-renders. */
const homeExtras = new WeakMap<FictionalSite, string>();

export function addToHome(site: FictionalSite, markup: string): void {
  homeExtras.set(site, (homeExtras.get(site) ?? '') + markup);
  renderHome(site);
}

export const baseContent: SiteContributor = (site, now) => {
  const items: [string, string, number][] = [
    ['gzdt', `${site.unitName}召开政务公开工作推进会`, 2],
    ['gzdt', `${site.unitName}开展网站内容保障专项检查`, 5],
    ['tzgg', `关于做好${shanghaiDay(now).slice(0, 4)}年度政务新媒体备案工作的通知`, 3],
  ];
  for (const [column, title, daysAgo] of items) {
    publish(site, column, {
      title,
      date: new Date(now.getTime() - daysAgo * DAY),
      body: `<p>${escapeHtml(title)}。</p>`,
    });
  }
  site.pages.set('/robots.txt', {
    contentType: 'text/plain; charset=utf-8',
    body: 'User-agent: *\nAllow: /\n',
  });
};
