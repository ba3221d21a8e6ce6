// The site patrol's pure rules (table tests), the masked snippet, the weekly patrol day, and the
// per-site crawl on a fake reader: depth, page budget, time budget, attachments, 304s from cache.
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import type { SitePage, SiteReader } from '../src/services/content/site-reader.js';
import { patrolDay } from '../src/jobs/patrol.js';
import { crawlSite, type CachedPage } from '../src/services/patrol/crawl.js';
import {
  checkPatrolPage,
  maskedSnippet,
  piiSighting,
  type PatrolPageResult,
} from '../src/services/patrol/page-check.js';
import { tinyPdf } from '../src/sandbox/unit-sites/patrol.js';
import {
  attachmentFormat,
  daysSince,
  isGovernmentHost,
  isSkippedLink,
  isStale,
  parseFindingRefs,
  PATROL_LIMITS,
} from '../src/services/patrol/rules.js';
import { detectPii } from '../src/services/pii/detector.js';
import { PatrolFinding } from '../src/entities/patrol.js';
import { splitContent } from '../src/messages/outbound.js';
import { findingDetail, findingsMessage } from '../src/services/patrol/views.js';
import { outlineHtml } from '../src/services/content/outline.js';

describe('rules', () => {
  it.each([
    ['www.zibo.gov.cn', true],
    ['gov.cn', true],
    ['WWW.GOV.CN.', true],
    ['zibo.gov.cn.evil.com', false],
    ['notgov.cn', false],
    ['www.people.com.cn', false],
    ['127.0.0.1', false],
  ])('isGovernmentHost(%s) = %s', (host, expected) => expect(isGovernmentHost(host)).toBe(expected));

  it.each([
    ['http://a.gov.cn/files/x.docx', 'docx'],
    ['http://a.gov.cn/files/X.PDF', 'pdf'],
    ['http://a.gov.cn/files/x.xlsx?download=1', 'xlsx'],
    ['http://a.gov.cn/files/x.doc', undefined],
    ['http://a.gov.cn/x.pdf/', undefined],
    ['not a url', undefined],
  ])('attachmentFormat(%s) = %s', (url, expected) => expect(attachmentFormat(url)).toBe(expected));

  it.each([
    ['http://a.gov.cn/logo.png', true],
    ['http://a.gov.cn/x.zip', true],
    ['http://a.gov.cn/x.doc', true],
    ['http://a.gov.cn/art/1.html', false],
    ['http://a.gov.cn/col/', false],
    ['::', true],
  ])('isSkippedLink(%s) = %s', (url, expected) => expect(isSkippedLink(url)).toBe(expected));

  const now = new Date('2026-12-07T02:00:00Z'); // 10:00 on 12-07 in Shanghai
  it.each([
    ['2026-11-23', 14, false],
    ['2026-11-22', 14, true],
    ['2026-12-07', 14, false],
    ['2026-11-30', 7, false],
    ['2026-11-29', 7, true],
  ])('isStale(%s, %i days) = %s', (newest, days, expected) =>
    expect(isStale(newest, now, days)).toBe(expected),
  );

  it('counts days since a date in Shanghai', () => {
    expect(daysSince('2026-11-23', now)).toBe(14);
    expect(daysSince('2026-12-07', new Date('2026-12-06T16:30:00Z'))).toBe(0);
  });

  it.each([
    ['X3 X5', [3, 5], []],
    ['x3，5、X3', [3, 5], []],
    ['X3 T5', [3], ['T5']],
    ['', [], []],
    ['X1234567890', [], ['X1234567890']],
  ])('parseFindingRefs(%s)', (text, ids, invalid) =>
    expect(parseFindingRefs(text)).toEqual({ ids, invalid }),
  );
});

describe('masked snippets', () => {
  it('masks every finding in the window and widens it rather than cut a number', () => {
    const text = `${'前'.repeat(40)}联系电话13905331234，身份证号370302199003077432${'后'.repeat(40)}`;
    const findings = detectPii(text);
    const snippet = maskedSnippet(text, findings, findings[0]!);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).not.toMatch(/\d{6}/);
    expect(snippet).toContain('联系电话');
  });

  it('reports blocking kinds only, and honours the allow list', () => {
    expect(piiSighting('办公室电话 0533-6112345', [])).toBeNull();
    expect(piiSighting('热线 13905331234', ['13905331234'])).toBeNull();
    expect(piiSighting('手机 13905331234 和 13905331235', [])).toMatchObject({ kinds: ['mobile'], count: 2 });
  });
});

describe('patrolDay', () => {
  const calendar = WorkCalendar.create();
  it.each([
    ['2026-12-07', '2026-12-07'],
    ['2026-12-09', '2026-12-07'],
    ['2026-12-13', '2026-12-07'],
    // 国庆: the week's first working day is the Thursday after the holiday.
    ['2026-10-06', '2026-10-08'],
  ])('%s → %s', (date, expected) => {
    expect(patrolDay(calendar, date as never)).toBe(expected);
  });
});

/** A reader over a table of pages (path → HTML, or a status); counts reads. */
function fakeReader(pages: Record<string, string | number>, notModified: string[] = []) {
  const reads: string[] = [];
  const reader: SiteReader = {
    get requests() {
      return reads.length;
    },
    async read(url, validators) {
      reads.push(url);
      const path = new URL(url).pathname;
      const base = { url, finalUrl: url, notModified: false, contentType: 'text/html', bytes: null };
      if (validators?.etag && notModified.includes(path)) {
        return { ...base, status: 304, notModified: true, etag: validators.etag } satisfies SitePage;
      }
      const page = pages[path];
      if (page === undefined) return { ...base, status: 404, failure: 'http-error' } satisfies SitePage;
      if (typeof page === 'number') return { ...base, status: 0, failure: 'timeout' } satisfies SitePage;
      return { ...base, status: 200, bytes: Buffer.from(page), etag: `"${path}"` } satisfies SitePage;
    },
  };
  return { reader, reads };
}

const check = async (bytes: Buffer, format: string, url: string): Promise<PatrolPageResult> =>
  format === 'html'
    ? { ok: true, outline: outlineHtml(bytes.toString(), url), pii: piiSighting(bytes.toString(), []) }
    : { ok: true, outline: null, pii: piiSighting(bytes.toString(), []) };

const HOME = 'http://site.gov.cn/';
const links = (...paths: string[]) => paths.map((p) => `<a href="${p}">${p}</a>`).join('');

describe('crawlSite', () => {
  const now = new Date('2026-12-07T02:00:00Z');
  const pages = {
    '/': links('/col/a.html', '/dead.html', '/slow.html', 'http://www.gov.cn/'),
    '/col/a.html': `<ul>${['2026-12-01', '2026-11-30'].map((d, i) => `<li><a href="/art/${i}.html">t${i}</a>${d}</li>`).join('')}</ul>`,
    '/art/0.html': `<p>正文</p>${links('/art/deeper.html', '/files/a.docx')}`,
    '/art/1.html': '<p>正文</p>',
    '/art/deeper.html': '<p>手机 13905331234</p>',
    '/files/a.docx': '身份证号 370302199003077432',
    '/slow.html': 0,
  };

  it('follows links to maxDepth (attachments one further), reports dead links from home and column pages', async () => {
    const { reader, reads } = fakeReader(pages);
    const result = await crawlSite(
      { reader, check, outOfTime: () => false },
      { homeUrls: [HOME], cache: new Map(), limits: PATROL_LIMITS, now },
    );
    expect(reads.map((url) => url.replace('http://site.gov.cn', ''))).not.toContain('/art/deeper.html');
    expect(reads).toContain('http://site.gov.cn/files/a.docx');
    expect(
      result.observations
        .map((o) => `${o.kind} ${o.url.replace('http://site.gov.cn', '')} ${o.detail}`)
        .sort(),
    ).toEqual(
      [
        'dead-link /dead.html HTTP 404',
        'dead-link /slow.html timeout',
        'pii /files/a.docx 身份证号（1 处）',
      ].sort(),
    );
    expect(result).toMatchObject({ reachable: true, truncated: false });
  });

  it('stops at the page budget and when time is up', async () => {
    const { reader } = fakeReader(pages);
    const budget = await crawlSite(
      { reader, check, outOfTime: () => false },
      { homeUrls: [HOME], cache: new Map(), limits: { ...PATROL_LIMITS, pagesPerSite: 3 }, now },
    );
    expect(budget).toMatchObject({ pages: 3, truncated: true });
    const late = await crawlSite(
      { reader: fakeReader(pages).reader, check, outOfTime: () => true },
      { homeUrls: [HOME], cache: new Map(), limits: PATROL_LIMITS, now },
    );
    expect(late).toMatchObject({ pages: 1, truncated: true });
  });

  it('takes a 304 page from the cache: its links are followed, its column judged stale by today', async () => {
    const cache = new Map<string, CachedPage>([
      [
        'http://site.gov.cn/col/a.html',
        {
          etag: '"x"',
          lastModified: null,
          summary: { links: [], dated: 2, newest: '2026-10-01', title: '工作动态' },
        },
      ],
    ]);
    const { reader } = fakeReader(pages, ['/col/a.html']);
    const result = await crawlSite(
      { reader, check, outOfTime: () => false },
      { homeUrls: [HOME], cache, limits: PATROL_LIMITS, now },
    );
    expect(result.unchanged).toEqual(['http://site.gov.cn/col/a.html']);
    expect(result.observations.find((o) => o.kind === 'stale')).toMatchObject({
      url: 'http://site.gov.cn/col/a.html',
      detail: '2026-10-01',
      snippet: '工作动态',
    });
  });

  it('takes a home page that answers an error as unreachable, tries the next address when there is no answer', async () => {
    const { reader } = fakeReader({});
    const result = await crawlSite(
      { reader, check, outOfTime: () => false },
      {
        homeUrls: ['https://none.gov.cn/', 'http://none.gov.cn/'],
        cache: new Map(),
        limits: PATROL_LIMITS,
        now,
      },
    );
    expect(result).toMatchObject({
      reachable: false,
      homeFailure: 'HTTP 404',
      homeUrl: 'https://none.gov.cn/',
    });
    const down = fakeReader({ '/': 0 });
    const unreachable = await crawlSite(
      { reader: down.reader, check, outOfTime: () => false },
      { homeUrls: ['https://x.gov.cn/', 'http://x.gov.cn/'], cache: new Map(), limits: PATROL_LIMITS, now },
    );
    expect(unreachable).toMatchObject({
      reachable: false,
      homeFailure: 'timeout',
      homeUrl: 'http://x.gov.cn/',
    });
    expect(down.reads).toHaveLength(2);
  });
});

describe('checkPatrolPage', () => {
  it('reads a PDF attachment’s text and masks what it finds', async () => {
    const result = await checkPatrolPage(tinyPdf('Wang ID 11010519491231002X'), {
      format: 'pdf',
      url: 'http://a.gov.cn/x.pdf',
      allowList: [],
    });
    expect(result).toMatchObject({ ok: true, outline: null, pii: { kinds: ['id_card'], count: 1 } });
    expect(JSON.stringify(result)).not.toContain('11010519491231002X');
  });

  it.each([
    ['pdf', Buffer.from('%PDF-1.4 garbage')],
    ['pdf', Buffer.from('not a pdf at all')],
    ['docx', Buffer.from('PK not really')],
  ] as const)('answers a broken %s with an error, not a throw', async (format, bytes) => {
    const result = await checkPatrolPage(bytes, { format, url: 'http://a.gov.cn/x', allowList: [] });
    expect(result.ok).toBe(false);
  });

  it('keeps a page it could not read out of what was assessed (its findings stand)', async () => {
    const { reader } = fakeReader({ '/': links('/a.html'), '/a.html': '<p>x</p>' });
    const result = await crawlSite(
      {
        reader,
        check: async (_b, _f, url) => (url.endsWith('/a.html') ? null : check(_b, _f, url)),
        outOfTime: () => false,
      },
      { homeUrls: [HOME], cache: new Map(), limits: PATROL_LIMITS, now: new Date('2026-12-07T02:00:00Z') },
    );
    expect(result.assessed).toEqual([HOME]);
  });
});

describe('a home page that redirects to another host', () => {
  it('takes the host it landed on as the site', async () => {
    const { reader: inner, reads } = fakeReader({ '/': links('/col/a.html'), '/col/a.html': '<p>栏目</p>' });
    const reader: SiteReader = {
      get requests() {
        return inner.requests;
      },
      async read(url, validators, caps) {
        const page = await inner.read(
          url.replace('http://zibo.gov.cn', 'https://www.zibo.gov.cn'),
          validators,
          caps,
        );
        return { ...page, url };
      },
    };
    const result = await crawlSite(
      { reader, check, outOfTime: () => false },
      {
        homeUrls: ['http://zibo.gov.cn/'],
        cache: new Map(),
        limits: PATROL_LIMITS,
        now: new Date('2026-12-07T02:00:00Z'),
      },
    );
    expect(result.siteUrl).toBe('https://www.zibo.gov.cn/');
    expect(reads).toContain('https://www.zibo.gov.cn/col/a.html');
    expect(result.observations).toEqual([]);
  });
});

describe('findingDetail (the board site page)', () => {
  it.each([
    ['dead-link', 'unreachable', '无法连接'],
    ['dead-link', 'timeout', '超时'],
    ['dead-link', 'HTTP 404', 'HTTP 404'],
    ['unreachable', 'refused-address', '地址不允许访问'],
    ['stale', '2026-10-26', '最新 2026-10-26'],
    ['pii', '手机号（2 处）', '手机号（2 处）'],
  ] as const)('%s %s → %s', (kind, detail, words) => {
    expect(findingDetail({ kind, detail })).toBe(words);
  });
});

describe('findingsMessage', () => {
  const now = new Date('2026-12-07T02:00:00Z');
  const row = (id: number) => ({
    siteName: '淄博市高青县人民政府',
    unitName: '高青县',
    finding: Object.assign(new PatrolFinding(), {
      id,
      websiteId: 1,
      unitId: 1,
      kind: 'dead-link' as const,
      url: `http://www.gaoqing.gov.cn/art/${id}.html`,
      pageUrl: 'http://www.gaoqing.gov.cn/',
      detail: 'HTTP 404',
      snippet: `**链接${id}** <font color="info">x</font>`,
      firstSeenAt: now,
      lastSeenAt: now,
      resolvedAt: null,
      taskId: null,
    }),
  });

  it('lists at most 20, says how many more, and keeps site text from becoming markup', () => {
    const message = findingsMessage(
      Array.from({ length: 30 }, (_, i) => row(i + 1)),
      null,
      now,
    );
    const content = message.type === 'markdown' ? message.content : '';
    expect(content).toContain('未消除 30 项');
    expect(content).toContain('另有 10 项未列出');
    expect(content).toContain('X20 死链');
    expect(content).not.toContain('X21 死链');
    expect(content).not.toContain('<font color="info">x</font>');
    expect(splitContent(content).every((part) => Buffer.byteLength(part) <= 2048)).toBe(true);
  });
});
