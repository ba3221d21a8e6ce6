// What the site patrol finds on the sandbox's fictional sites (巡检 with `npm start`): on 高青县's
// site and every third other one, a published list with mobile numbers, a PDF attachment with an ID
// number, a dead link and a stale column (政策解读, last updated weeks ago) on the home page, and a
// link to a shop; on every site, a robots.txt that keeps crawlers out of /internal/, where a page
// with a leak sits that the patrol must not read.
import { addToHome, publish } from './base.js';
import { escapeHtml, html, shanghaiDay, type FictionalSite, type SiteContributor } from './pages.js';

const DAY = 86_400_000;

/** A one-page PDF whose text is `line` (ASCII; Helvetica), as a real office's export would carry. */
export function tinyPdf(line: string): Buffer {
  const stream = `BT /F1 12 Tf 20 100 Td (${line.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 400 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    `<</Length ${stream.length}>>\nstream\n${stream}\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function seeded(site: FictionalSite): boolean {
  if (site.siteCode.startsWith('370323')) return true;
  const sum = [...site.siteCode].reduce((total, digit) => total + Number(digit), 0);
  return sum % 3 === 0;
}

export const patrolSeeds: SiteContributor = (site, now) => {
  site.pages.set('/robots.txt', {
    contentType: 'text/plain; charset=utf-8',
    body: 'User-agent: *\nDisallow: /internal/\n',
  });
  site.pages.set('/internal/staff.html', {
    body: html('内部通讯录', '<h1>内部通讯录</h1><p>值班手机 13905330000</p>'),
  });
  addToHome(site, '<p class="links"><a href="/internal/staff.html">内部通讯录</a></p>');
  if (!seeded(site)) return;

  const year = shanghaiDay(now).slice(0, 4);
  const article = publish(site, 'tzgg', {
    title: `关于${year}年度公益性岗位拟聘用人员的公示`,
    date: new Date(now.getTime() - 4 * DAY),
    body:
      `<p>经审核，拟聘用以下人员：</p><table><tr><td>王某某</td><td>13905331234</td></tr>` +
      `<tr><td>李某某</td><td>15866021234</td></tr></table>` +
      `<p>附件：<a href="/files/gongshi-${site.siteCode}.pdf">拟聘用人员身份信息.pdf</a></p>`,
  });
  site.pages.set(`/files/gongshi-${site.siteCode}.pdf`, {
    contentType: 'application/pdf',
    body: tinyPdf('Wang ID 11010519491231002X'),
    lastModified: new Date(now.getTime() - 4 * DAY),
  });

  const stale = [40, 63, 97].map((daysAgo, index) => ({
    title: `${site.unitName}政策解读（${index + 1}）`,
    date: new Date(now.getTime() - daysAgo * DAY),
  }));
  site.pages.set('/col/zcjd/index.html', {
    body: html(
      `政策解读 - ${site.name}`,
      `<h1>政策解读</h1><ul class="list">${stale
        .map(
          (item, index) =>
            `<li><a href="${article}#${index}">${escapeHtml(item.title)}</a><span>${shanghaiDay(item.date)}</span></li>`,
        )
        .join('')}</ul>`,
    ),
    lastModified: stale[0]!.date,
  });
  addToHome(
    site,
    '<div class="column"><h2><a href="/col/zcjd/index.html">政策解读</a></h2></div>' +
      '<p class="links"><a href="/zt/2019/index.html">2019年专题（已下线）</a> ' +
      '<a href="http://mall.zibo-demo.example/">淄博好物商城</a></p>',
  );
};
