// Repost checks in the sandbox: some fictional unit sites have already reposted one State Council
// item (in a 转载信息 column linked from the home page), others have not. In `npx duban chat --as
// demo_duban1`: 转载任务 → the item's address and title below → 全部 → 网站 → 1个工作日 → 确认,
// then 转载核查 Z1: discovery finds the units that reposted it, the others stay to do.
import { addToHome, publish } from './base.js';
import { escapeHtml, type SiteContributor } from './pages.js';

export const DEMO_REPOST = {
  url: 'https://www.gov.cn/zhengce/content/202612/content_7000001.htm',
  title: '国务院办公厅关于进一步优化政务服务提升行政效能的意见',
  publisher: '国务院办公厅',
} as const;

const DAY = 86_400_000;

/** The sites that have reposted the item: about half of them, the same ones at every start. */
export function reposted(siteCode: string): boolean {
  const sum = [...siteCode].reduce((total, char) => total + (Number(char) || 0), 0);
  return sum % 2 === 0;
}

export const repostContent: SiteContributor = (site, now) => {
  if (!reposted(site.siteCode)) return;
  publish(site, 'zyxx', {
    title: DEMO_REPOST.title,
    date: new Date(now.getTime() - DAY),
    body: `<p class="source">来源：${escapeHtml(DEMO_REPOST.publisher)}</p><p>（转载）</p>`,
    path: '/art/zyxx-1.html',
  });
  addToHome(site, '<div class="column"><h2><a href="/col/zyxx/index.html">转载信息</a></h2></div>');
};
