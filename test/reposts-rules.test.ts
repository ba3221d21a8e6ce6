// The repost verification rules (services/reposts/rules.ts) and the page facts they read.
import { describe, expect, it } from 'vitest';
import { pageFacts } from '../src/services/content/page-facts.js';
import {
  channelsCovered,
  missingChannel,
  TITLE_CLOSE,
  TITLE_MATCH,
  judgeLink,
  linkTextNames,
  normaliseTitle,
  siteOwner,
  titleCandidates,
  titleSimilarity,
  type PageReading,
} from '../src/services/reposts/rules.js';
import { linksIn, readingOf } from '../src/services/reposts/verify.js';

const TITLE = '国务院关于进一步加强政务公开工作的通知';

describe('normaliseTitle', () => {
  it.each([
    ['【转载】国务院关于进一步加强政务公开工作的通知', TITLE],
    ['转载：国务院关于进一步加强政务公开工作的通知', TITLE],
    ['[转发] 国务院关于“进一步”加强政务公开工作的通知。', TITLE],
    ['来源：新华社 国务院关于进一步加强政务公开工作的通知', TITLE],
    ['（转载）来源：中国政府网 国务院关于进一步加强政务公开工作的通知', TITLE],
    ['国务院关于 进一步加强 政务公开工作的通知！', TITLE],
    ['ＡＢＣ 转载 测试', 'abc转载测试'],
  ])('%s', (input, expected) => {
    expect(normaliseTitle(input)).toBe(normaliseTitle(expected));
  });
});

describe('titleSimilarity', () => {
  it.each([
    [TITLE, TITLE, 1],
    [TITLE, `【转载】${TITLE}`, 1],
    [TITLE, `${TITLE}_中国政府网`, 1],
    [TITLE, '国务院关于进一步加强政务公开工作的通知（全文）', 1],
  ])('%s ~ %s = %s', (a, b, expected) => {
    expect(titleSimilarity(a, b)).toBe(expected);
  });

  it('a near title is close, an unrelated one is not', () => {
    const near = titleSimilarity(TITLE, '国务院关于加强政务公开工作的通知');
    expect(near).toBeGreaterThanOrEqual(TITLE_MATCH);
    const close = titleSimilarity(TITLE, '国务院办公厅关于政务公开工作要点的通知');
    expect(close).toBeGreaterThanOrEqual(TITLE_CLOSE);
    expect(close).toBeLessThan(TITLE_MATCH);
    expect(titleSimilarity(TITLE, '淄川区召开安全生产工作会议')).toBeLessThan(TITLE_CLOSE);
    expect(titleSimilarity(TITLE, '通知')).toBeLessThan(TITLE_CLOSE);
    expect(titleSimilarity(TITLE, '')).toBe(0);
  });
});

describe('titleCandidates and linkTextNames', () => {
  it('splits a site suffix off the title', () => {
    expect(titleCandidates({ title: `${TITLE}_高青县人民政府`, metaTitles: [], headings: ['首页'] })).toEqual(
      [`${TITLE}_高青县人民政府`, TITLE, '高青县人民政府', '首页'],
    );
  });

  it.each([
    [TITLE, true],
    [`${TITLE.slice(0, 12)}...`, true],
    [`${TITLE.slice(0, 12)}…`, true],
    [`${TITLE.slice(0, 5)}...`, false],
    ['国务院关于进一步加强', false],
    ['更多', false],
  ])('%s names the item: %s', (text, expected) => {
    expect(linkTextNames(text, TITLE)).toBe(expected);
  });
});

describe('siteOwner', () => {
  const sites = [
    { unitId: 1, host: 'www.zibo.gov.cn' },
    { unitId: 2, host: 'www.gaoqing.gov.cn' },
    { unitId: 3, host: 'gaoqing.zibo.gov.cn' },
    { unitId: 4, host: '10.12.3.4:8080' },
  ];
  it.each([
    ['www.gaoqing.gov.cn', 2],
    ['gaoqing.gov.cn', 2],
    ['xxgk.gaoqing.gov.cn', 2],
    ['www.zibo.gov.cn', 1],
    ['gaoqing.zibo.gov.cn', 3],
    ['a.gaoqing.zibo.gov.cn', 3],
    ['10.12.3.4:8080', 4],
    ['10.12.3.4:8081', null],
    ['10.12.3.4', null],
    ['mp.weixin.qq.com', null],
    ['evilgaoqing.gov.cn', null],
  ])('%s → %s', (host, owner) => {
    expect(siteOwner(host, sites)).toBe(owner);
  });
});

describe('judgeLink', () => {
  const sites = [
    { unitId: 2, host: 'www.gaoqing.gov.cn' },
    { unitId: 5, host: 'www.boshan.gov.cn' },
  ];
  const read = (url: string, title: string, accountName: string | null = null): PageReading => ({
    ok: true,
    finalUrl: url,
    title,
    metaTitles: [],
    headings: [],
    accountName,
  });
  const unreadable = (reason: 'unreachable' | 'refused'): PageReading => ({ ok: false, reason });
  const judge = (page: PageReading, accountNames: string[] = []) =>
    judgeLink({ sourceTitle: TITLE, unitId: 2, page, sites, accountNames });

  it.each([
    [
      'own site, same title',
      read('http://www.gaoqing.gov.cn/art/1.html', `【转载】${TITLE}`),
      'verified',
      null,
    ],
    [
      'own site, another page',
      read('http://www.gaoqing.gov.cn/art/2.html', '高青县召开会议'),
      'failed',
      'title',
    ],
    [
      'own site, close title',
      read('http://www.gaoqing.gov.cn/art/3.html', '国务院办公厅关于政务公开工作要点的通知'),
      'manual',
      'title-close',
    ],
    ['another unit’s site', read('http://www.boshan.gov.cn/art/1.html', TITLE), 'failed', 'other-unit'],
    ['unknown site', read('https://mp.weixin.qq.com/s/abc', TITLE), 'manual', 'unknown-site'],
    ['unreadable', unreadable('unreachable'), 'failed', 'unreachable'],
    ['refused', unreadable('refused'), 'failed', 'refused'],
  ])('%s', (_name, page, outcome, reason) => {
    expect(judge(page)).toMatchObject({ outcome, reason });
  });

  it.each([
    ['website', 'http://www.gaoqing.gov.cn/art/1.html', null, 'verified', null],
    ['media', 'http://www.gaoqing.gov.cn/art/1.html', null, 'failed', 'channel'],
    ['website', 'https://mp.weixin.qq.com/s/abc', '高青发布', 'failed', 'channel'],
    ['media', 'https://mp.weixin.qq.com/s/abc', '高青发布', 'verified', null],
    ['both', 'https://mp.weixin.qq.com/s/abc', '高青发布', 'verified', null],
    ['website', 'https://new.example.cn/a.html', null, 'manual', 'unknown-site'],
  ] as const)('an item for %s, a link at %s (%s): %s', (channels, url, account, outcome, reason) => {
    const judged = judgeLink({
      sourceTitle: TITLE,
      unitId: 2,
      page: read(url, TITLE, account),
      sites,
      accountNames: ['高青发布'],
      channels,
    });
    expect(judged).toMatchObject({ outcome, reason });
  });

  it.each([
    ['website', [], false, null],
    ['website', ['website'], true, null],
    ['media', ['media'], true, null],
    ['both', ['website'], false, 'media'],
    ['both', ['media'], false, 'website'],
    ['both', ['website', 'media'], true, null],
  ] as const)('%s covered by %j: %s (missing %s)', (wanted, channels, covered, missing) => {
    const verified = channels.map((channel) => ({ channel }));
    expect(channelsCovered(wanted, verified)).toBe(covered);
    expect(missingChannel(wanted, verified)).toBe(missing);
  });

  it('a WeChat article of one of the unit’s accounts passes', () => {
    const page = read('https://mp.weixin.qq.com/s/abc', TITLE, '高青发布');
    expect(judge(page, ['高青发布'])).toMatchObject({ outcome: 'verified' });
    expect(judge(page, ['博山发布'])).toMatchObject({ outcome: 'manual', reason: 'unknown-site' });
  });
});

describe('page facts', () => {
  it('reads title, declared titles, headings, publisher, account and links', () => {
    const facts = pageFacts(
      `<html><head><title>${TITLE}_中国政府网</title><meta name="ArticleTitle" content="${TITLE}"><meta name="ContentSource" content="国务院办公厅"></head>
       <body><h1>${TITLE}</h1><a href="/a">工作动态</a><strong class="profile_nickname">高青发布</strong>
       <script>var msg_title = '微信标题';</script></body></html>`,
    );
    expect(facts).toMatchObject({
      title: `${TITLE}_中国政府网`,
      metaTitles: [TITLE, '微信标题'],
      headings: [TITLE],
      publisher: '国务院办公厅',
      accountName: '高青发布',
      links: [{ href: '/a', text: '工作动态' }],
    });
  });

  it('finds 来源 in the text when no metadata names the publisher', () => {
    expect(pageFacts('<p>发布时间：2026-03-20 来源：山东省人民政府办公厅</p>').publisher).toBe(
      '山东省人民政府办公厅',
    );
  });

  it('caps what a hostile page can return', () => {
    const facts = pageFacts(
      `<title>${'长'.repeat(5000)}</title>${'<a href="/x">x</a>'.repeat(5000)}${'<h2>h</h2>'.repeat(500)}`,
    );
    expect([...facts.title].length).toBe(200);
    expect(facts.links.length).toBe(2000);
    expect(facts.headings.length).toBe(50);
  });
});

describe('reading outcomes and links in a message', () => {
  it.each([
    [{ ok: false, error: '该链接指向内部网络地址，不能读取。' }, 'refused'],
    [{ ok: false, error: '该链接使用了 80、443 以外的端口，不能读取。' }, 'refused'],
    [{ ok: false, error: '网页超过 2 MB，无法检查。' }, 'too-large'],
    [{ ok: false, error: '该链接不是网页文章，无法检查。' }, 'not-page'],
    [{ ok: false, error: '读取该链接超时。' }, 'unreachable'],
  ] as const)('%j → %s', (outcome, reason) => {
    expect(readingOf(outcome).reading).toEqual({ ok: false, reason });
  });

  it('takes each http(s) address once, without trailing punctuation', () => {
    expect(
      linksIn('见 http://a.gov.cn/1.html，和 https://b.gov.cn/2.html。 http://a.gov.cn/1.html ftp://x'),
    ).toEqual(['http://a.gov.cn/1.html', 'https://b.gov.cn/2.html']);
  });
});
