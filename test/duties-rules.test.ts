// Pure rules of the guestbook, filing and domain duties: typed times, references, site and
// account choices, subdomain syntax, CSV and export times, deadlines across the 2026 holidays.
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { parseCsv } from '../src/services/content/csv.js';
import { answerHints, answeredOnTime, reviewApplies } from '../src/services/guestbook/rules.js';
import { domainRef, nameOf, readName, readZone, siteHost } from '../src/services/domains/rules.js';
import { nameProblem as domainProblemText } from '../src/handlers/domains/views.js';
import { cardTaskId } from '../src/messages/outbound.js';
import * as views from '../src/handlers/filings/views.js';
import { clip, mayActFor, parseRef } from '../src/services/shared/duty.js';
import {
  filingDeadlineFields,
  leadingPlatform,
  parseFilingAction,
  parsePlatform,
  statusAfter,
  actionConflict,
} from '../src/services/filings/store.js';
import { matchSite, messageDeadline, type SiteOption } from '../src/services/guestbook/store.js';
import { parseExportTime } from '../src/services/guestbook/import.js';
import { currentSlot } from '../src/services/open-items/reminder-slots.js';
import { formatDeadline, formatIso } from '../src/services/calendar/time.js';
import {
  readPastDate as parseTypedDate,
  readPastMoment as parseTypedDateTime,
} from '../src/services/calendar/date-replies.js';
import type { Website } from '../src/entities/website.js';
import type { MediaAccount } from '../src/entities/media-account.js';
import { shanghai } from './support/duties.js';

const calendar = WorkCalendar.create();
const NOW = shanghai('2026-03-20T10:15');

describe('typed date and time', () => {
  it.each([
    ['2026-03-20 17:30', '2026-03-20T17:30:00+08:00'],
    ['2026/3/2 9:05', '2026-03-02T09:05:00+08:00'],
    ['2026年3月2日 9点', '2026-03-02T09:00:00+08:00'],
    ['今天17:30', '2026-03-20T17:30:00+08:00'],
    ['今天 8:00', '2026-03-20T08:00:00+08:00'],
    ['昨天 9:00', '2026-03-19T09:00:00+08:00'],
    ['前天下午3点半', '2026-03-18T15:30:00+08:00'],
    ['3月18日 晚上8点', '2026-03-18T20:00:00+08:00'],
    ['3-18 08:10', '2026-03-18T08:10:00+08:00'],
    ['１７：３０', '2026-03-20T17:30:00+08:00'],
    ['现在', '2026-03-20T10:15:00+08:00'],
  ])('%s → %s', (input, expected) => {
    const parsed = parseTypedDateTime(input, NOW);
    expect(parsed.ok && formatIso(parsed.value)).toBe(expected);
  });

  it('asks whether last year is meant for a month and day still ahead this year', () => {
    const parsed = parseTypedDateTime('12月30日 9:00', shanghai('2026-01-02T10:00'));
    expect(parsed).toEqual({
      ok: false,
      error:
        '12月30日今年还没到。是指去年的 2025-12-30（周二） 吗？请回复“是”或“否”（也可直接输入其他时间）。',
      ask: '2025-12-30 09:00',
    });
    // 是 re-reads the canonical text: last year's day, no question.
    const again = parseTypedDateTime('2025-12-30 09:00', shanghai('2026-01-02T10:00'));
    expect(again.ok && formatIso(again.value)).toBe('2025-12-30T09:00:00+08:00');
  });

  it.each([
    ['今天', '请同时写明时刻'],
    ['2026-02-30 10:00', '不存在'],
    ['昨天 25:00', '时刻“25:00”不存在'],
    ['2月30日9:00', '日期“2月30日”不存在'],
    ['下周一', '请同时写明时刻'],
    ['下周', '无法识别时间'],
    ['', '无法识别时间'],
  ])('refuses %j', (input, message) => {
    const parsed = parseTypedDateTime(input, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it.each([
    ['今天', '2026-03-20'],
    ['昨天', '2026-03-19'],
    ['2026-02-12', '2026-02-12'],
    ['2月12日', '2026-02-12'],
  ])('date %s → %s', (input, expected) => {
    expect(parseTypedDate(input, NOW)).toEqual({ ok: true, value: expected });
  });

  it('refuses a date with a time and nonsense', () => {
    expect(parseTypedDate('今天 9:00', NOW).ok).toBe(false);
    expect(parseTypedDate('上周', NOW).ok).toBe(false);
  });
});

describe('guestbook deadlines (通报：收到留言的第2个工作日0时起，第3个工作日24时止)', () => {
  it.each([
    // received (Shanghai)            due (24时)                      note
    ['2026-03-20T17:30', '2026-03-24（周二）24时', 'an ordinary Friday'],
    [
      '2026-02-13T17:30',
      '2026-02-24（周二）24时',
      'Friday before the Spring Festival; the make-up Saturday counts',
    ],
    ['2026-02-14T11:20', '2026-02-25（周三）24时', 'received on the make-up Saturday 2026-02-14'],
    ['2026-02-18T09:00', '2026-02-25（周三）24时', 'received during the Spring Festival break'],
    ['2026-09-30T16:00', '2026-10-09（周五）24时', 'the day before National Day'],
    ['2026-10-10T10:00', '2026-10-13（周二）24时', 'received on the make-up Saturday 2026-10-10'],
    ['2026-09-19T10:00', '2026-09-21（周一）24时', 'Saturday before the make-up Sunday 2026-09-20'],
  ])('%s → %s (%s)', (received, due) => {
    const { result, deadline, deadlineEstimated } = messageDeadline(calendar, shanghai(received));
    expect(result.provisionalYears).toEqual([]);
    expect(deadlineEstimated).toBe(false);
    expect(formatDeadline(deadline)).toBe(due);
  });

  it('estimates on the provisional calendar when the next year is not published (元旦 is off by law)', () => {
    const { result, deadline, deadlineEstimated } = messageDeadline(calendar, shanghai('2026-12-30T10:00'));
    expect(result.provisionalYears).toEqual([2027]);
    expect(deadlineEstimated).toBe(true);
    expect(formatDeadline(deadline)).toBe('2027-01-04（周一）24时');
  });

  it.each([
    ['2026-02-12', '2026-02-24（周二）24时'],
    ['2026-09-29', '2026-10-09（周五）24时'],
    ['2026-03-20', '2026-03-25（周三）24时'],
  ])('filing on %s is due %s', (changed, due) => {
    const { deadline } = filingDeadlineFields(calendar, changed as `${number}-${number}-${number}`);
    expect(formatDeadline(deadline)).toBe(due);
  });
});

describe('references and permissions', () => {
  it.each([
    ['L5', 'L', 5],
    ['l12', 'L', 12],
    ['Ｌ５', 'L', 5],
    ['7', 'F', 7],
    ['F0', 'F', null],
    ['L5x', 'L', null],
    ['D3', 'L', null],
  ])('parseRef(%s, %s) → %s', (text, prefix, expected) => {
    expect(parseRef(prefix, text)).toBe(expected);
  });

  it('lets supervisors act for any unit and liaisons for their own', () => {
    expect(mayActFor({ userid: 'a', role: 'supervisor', topUnitId: null }, 3)).toBe(true);
    expect(mayActFor({ userid: 'a', role: 'admin', topUnitId: null }, 3)).toBe(true);
    expect(mayActFor({ userid: 'a', role: 'liaison', topUnitId: 3 }, 3)).toBe(true);
    expect(mayActFor({ userid: 'a', role: 'liaison', topUnitId: 4 }, 3)).toBe(false);
  });

  it('clips long text on one line', () => {
    expect(clip('首页\n链接  失效', 10)).toBe('首页 链接 失效');
    expect(clip('一二三四五六', 3)).toBe('一二三…');
  });

  it('builds task ids WeCom accepts', () => {
    const id = cardTaskId('filing', 3, 'zhang.san', 'ab12');
    expect(id).toBe('filing-3-zhang_san-ab12');
    expect(cardTaskId('x', 1, 'u'.repeat(200), 'r').length).toBeLessThanOrEqual(128);
    expect(/^[A-Za-z0-9_@-]+$/.test(cardTaskId('d', 9, '李.四', 'f'))).toBe(true);
  });
});

describe('choosing a site', () => {
  const site = (id: number, name: string, siteCode: string): SiteOption => ({
    website: { id, name, siteCode } as Website,
    topUnitId: 1,
  });
  const options = [
    site(1, '淄博市水利局网站', '3703000012'),
    site(2, '张店区人民政府网站', '3703030001'),
    site(3, '张店区教育局网站', '3703030002'),
  ];

  it.each([
    ['2', 2],
    ['3703030002', 3],
    ['淄博市水利局网站', 1],
    ['水利', 1],
    ['  教育局 ', 3],
  ])('%j picks site %i', (input, id) => {
    const match = matchSite(options, input);
    expect(match.kind === 'one' && match.site.website.id).toBe(id);
  });

  it('lists candidates for an ambiguous part and nothing for an unknown one', () => {
    const many = matchSite(options, '张店区');
    expect(many.kind === 'many' && many.sites.map((s) => s.website.id)).toEqual([2, 3]);
    expect(matchSite(options, '9').kind).toBe('none');
    expect(matchSite(options, '公安').kind).toBe('none');
  });
});

describe('filing choices', () => {
  it.each([
    ['1', 'open'],
    ['开设', 'open'],
    ['2', 'change'],
    ['更名', 'change'],
    ['关停', 'close'],
    ['4', 'cancel'],
    ['5', null],
    ['撤销', null],
  ])('action %s → %s', (text, expected) => {
    expect(parseFilingAction(text)).toBe(expected);
  });

  it.each([
    ['1', 'wechat'],
    ['微信', 'wechat'],
    ['公众号', 'wechat'],
    ['微博', 'weibo'],
    ['头条', 'toutiao'],
    ['4', 'douyin'],
    ['其它', 'other'],
    ['6', null],
  ])('platform %s → %s', (text, expected) => {
    expect(parsePlatform(text)).toBe(expected);
  });

  it('reads a leading platform word but not a number', () => {
    expect(leadingPlatform('抖音 淄博水利')).toEqual({ platform: 'douyin', rest: '淄博水利' });
    expect(leadingPlatform('淄博水利')).toEqual({ platform: null, rest: '淄博水利' });
    expect(leadingPlatform('1 号账号')).toEqual({ platform: null, rest: '1 号账号' });
  });

  it('maps actions to account statuses and refuses impossible ones', () => {
    expect(statusAfter('open')).toBe('running');
    expect(statusAfter('change')).toBe('running');
    expect(statusAfter('close')).toBe('closed');
    expect(statusAfter('cancel')).toBe('cancelled');
    const closed = { status: 'closed' } as MediaAccount;
    expect(actionConflict('close', closed)).toEqual({ kind: 'not-running', status: 'closed' });
    expect(views.actionConflict(actionConflict('close', closed)!)).toBe(
      '该账号当前状态为“已关停”，无需关停备案。',
    );
    expect(actionConflict('cancel', closed)).toBeNull();
    expect(actionConflict('change', { status: 'cancelled' } as MediaAccount)).toEqual({
      kind: 'cancelled-change',
    });
  });
});

describe('domain names', () => {
  const ZONES = ['zibo.gov.cn', 'zhangdian.gov.cn'];

  it.each([
    ['jyj', 'zibo.gov.cn', 'jyj', 'zibo.gov.cn'],
    ['JYJ', 'zibo.gov.cn', 'jyj', 'zibo.gov.cn'],
    ['jyj.zibo.gov.cn', 'zhangdian.gov.cn', 'jyj', 'zibo.gov.cn'],
    ['JYJ.ZIBO.GOV.CN.', 'zibo.gov.cn', 'jyj', 'zibo.gov.cn'],
    ['ｊｙｊ', 'zibo.gov.cn', 'jyj', 'zibo.gov.cn'],
    ['jyj', 'zhangdian.gov.cn', 'jyj', 'zhangdian.gov.cn'],
    ['Edu.Zhangdian.gov.cn.', 'zibo.gov.cn', 'edu', 'zhangdian.gov.cn'],
    ['zhaosheng-2026', 'zibo.gov.cn', 'zhaosheng-2026', 'zibo.gov.cn'],
    ['a'.repeat(63), 'zibo.gov.cn', 'a'.repeat(63), 'zibo.gov.cn'],
  ])('%s (default %s) → %s in %s', (input, fallback, label, zone) => {
    expect(readName(input, ZONES, fallback)).toEqual({ ok: true, label, zone });
  });

  it.each([
    ['a'.repeat(64), 'long', '最多 63'],
    ['jy_j', 'chars', '小写字母、数字和连字符'],
    ['教育局', 'idn', '中文或国际化域名'],
    ['教育.zibo.gov.cn', 'idn', '中文或国际化域名'],
    ['xn--wcvs22d.zibo.gov.cn', 'idn', '中文或国际化域名'],
    ['-jyj', 'hyphen', '开头或结尾'],
    ['jyj-', 'hyphen', '开头或结尾'],
    ['a.b.zibo.gov.cn', 'depth', '只能有一级标签'],
    ['jyj.example.com', 'zone', '只能分配 zibo.gov.cn、zhangdian.gov.cn 下的二级域名'],
    ['zibo.gov.cn', 'empty', '请写明子域名'],
    ['www', 'reserved', '门户网站或邮件、域名解析等服务保留'],
    ['WWW.zibo.gov.cn', 'reserved', '不分配给单位'],
    ['mail.zhangdian.gov.cn', 'reserved', '不分配给单位'],
    ['ns1', 'reserved', '不分配给单位'],
    ['', 'empty', '请写明子域名'],
  ])('refuses %s (%s)', (input, kind, words) => {
    const read = readName(input, ZONES, 'zibo.gov.cn');
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.kind).toBe(kind);
      expect(domainProblemText(read)).toContain(words);
    }
  });

  it.each([
    ['zhangdian.gov.cn', 'zhangdian.gov.cn'],
    ['*.ZhangDian.gov.cn.', 'zhangdian.gov.cn'],
    ['gov', null],
    ['张店.gov.cn', null],
    ['-a.gov.cn', null],
  ])('reads the zone %s → %s', (input, zone) => {
    const read = readZone(input);
    expect(read.ok ? read.zone : null).toBe(zone);
  });

  it.each([
    ['www.zibo.gov.cn', 'www.zibo.gov.cn'],
    ['WWW.Zibo.gov.cn.', 'www.zibo.gov.cn'],
    ['jyj.zibo.gov.cn:8080', 'jyj.zibo.gov.cn'],
    ['https://sthj.zibo.gov.cn/col/index.html', 'sthj.zibo.gov.cn'],
    ['http://10.12.3.4:8080/', null],
    ['', null],
    [null, null],
  ])('reads the host of a directory address %s → %s', (address, host) => {
    expect(siteHost(address)).toBe(host);
  });

  it('names domains and references', () => {
    expect(nameOf('jyj')).toBe('jyj.zibo.gov.cn');
    expect(nameOf('edu', 'zhangdian.gov.cn')).toBe('edu.zhangdian.gov.cn');
    expect(domainRef(4)).toBe('D4');
  });
});

describe('guestbook answers under review', () => {
  it.each([
    [undefined, undefined, false],
    [true, undefined, true],
    [false, undefined, false],
    [true, false, false],
    [false, true, true],
    [undefined, true, true],
  ])('city %s, unit %s → review %s', (city, unit, applies) => {
    expect(reviewApplies(city, unit)).toBe(applies);
  });

  it.each([
    ['您好，经核实，首页栏目链接已修复，现可正常访问，感谢监督。', []],
    ['您好，经核查该页面不属于我单位网站，已转交主办单位处理。', []],
    ['已修复', ['short', 'opening']],
    ['好了', ['short', 'opening', 'outcome']],
    ['您好，收到您的留言，我们非常重视并会认真研究。', ['outcome']],
    ['该栏目链接经技术人员排查后已经修复完毕，可以访问。', ['opening']],
    ['你好，已更正', ['short']],
    ['您好，您反映的链接失效问题已于12月5日修复，感谢关注。', []],
    ['您好，已于2026年3月18日更新该栏目内容，感谢监督。', []],
    ['您好，我们已于收到留言当天，安排人员研究。', ['outcome']],
  ])('%s → %j', (answer, kinds) => {
    expect(answerHints(answer).map((hint) => hint.kind)).toEqual(kinds);
  });

  it('counts the approved answer’s submission against the deadline', () => {
    const deadline = new Date('2026-03-18T16:00:00Z');
    expect(answeredOnTime(new Date('2026-03-18T15:59:59Z'), deadline)).toBe(true);
    expect(answeredOnTime(deadline, deadline)).toBe(false);
    expect(answeredOnTime(new Date('2026-03-19T01:00:00Z'), deadline)).toBe(false);
  });
});

describe('reminder slots', () => {
  it.each([
    ['2026-03-20T08:59', null],
    ['2026-03-20T09:00', '09:00'],
    ['2026-03-20T09:40', '09:00'],
    ['2026-03-20T15:00', '15:00'],
    ['2026-03-20T23:59', '15:00'],
  ])('%s → %s', (local, slot) => {
    expect(currentSlot(['09:00', '15:00'], shanghai(local))).toBe(slot);
  });
});

describe('CSV and export times', () => {
  it('reads quoted fields, doubled quotes, line breaks and CRLF with line numbers', () => {
    const csv = '\uFEFF留言编号,留言内容\r\n1,"a,b"\r\n2,"第一行\n第二行"\r\n\r\n3,"说""好"""\r\n';
    expect(parseCsv(csv)).toEqual([
      { line: 1, cells: ['留言编号', '留言内容'] },
      { line: 2, cells: ['1', 'a,b'] },
      { line: 3, cells: ['2', '第一行\n第二行'] },
      { line: 6, cells: ['3', '说"好"'] },
    ]);
  });

  it('detects a tab-separated export', () => {
    expect(parseCsv('a\tb\n1\t2')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
    ]);
  });

  it.each([
    ['2026-03-20 17:30:05', '2026-03-20T17:30:05+08:00'],
    ['2026/3/2 9:05', '2026-03-02T09:05:00+08:00'],
    ['2026-03-20', '2026-03-20T00:00:00+08:00'],
  ])('text %s → %s', (cell, expected) => {
    expect(formatIso(parseExportTime(cell)!)).toBe(expected);
  });

  it('reads Excel dates and serial numbers as Shanghai wall-clock time', () => {
    expect(formatIso(parseExportTime(new Date(Date.UTC(2026, 1, 13, 17, 30)))!)).toBe(
      '2026-02-13T17:30:00+08:00',
    );
    // 46066.5 is 2026-02-13 12:00 in Excel's day count.
    expect(formatIso(parseExportTime(46066.5)!)).toBe('2026-02-13T12:00:00+08:00');
  });

  it.each([['2026-02-30 10:00'], ['昨天'], ['']])('refuses %j', (cell) => {
    expect(parseExportTime(cell)).toBeNull();
  });
});
