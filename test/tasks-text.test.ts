// Reading what people type about tasks: references, kinds, deadlines, and the deadline sentences
// of a notice (cases from the 2023 Q1 notice).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { parseSmallNumber } from '../src/services/calendar/date-phrases.js';
import { readDialogDeadline } from '../src/services/calendar/date-replies.js';
import { shanghaiDate } from '../src/services/calendar/time.js';
import {
  extractDeadlineSentences,
  guessTaskKind,
  parseNoticeMeta,
  parseTaskKind,
  parseTaskRef,
  proposeTasks,
  titleFromSentence,
} from '../src/services/tasks/text.js';

const calendar = WorkCalendar.create();
/** Friday 2026-03-20, 09:00 in Shanghai. */
const FRIDAY = new Date('2026-03-20T01:00:00Z');

/** The dialog reader, flattened for the tables below. */
function parseDeadlineText(input: string, context: { now: Date; calendar: WorkCalendar }) {
  const read = readDialogDeadline(input, context);
  return read.ok ? { ok: true as const, ...read.value } : read;
}
const NOTICE = readFileSync('/work/shared/docs/notice-2023q1.txt', 'utf8');

describe('parseTaskRef', () => {
  it.each([
    ['T12', 12],
    ['t12', 12],
    ['Ｔ１２', 12],
    ['12', 12],
    ['T 7', 7],
    ['T0', null],
    ['T12a', null],
    ['任务', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(parseTaskRef(input)).toBe(expected);
  });
});

describe('parseTaskKind', () => {
  it.each([
    ['1', 'rectification'],
    ['整改', 'rectification'],
    ['2', 'report'],
    ['落实情况', 'report'],
    ['3', 'cases'],
    ['案例征集', 'cases'],
    ['4', 'custom'],
    ['自定义', 'custom'],
    ['５', null],
    ['随便', null],
  ])('%s → %s', (input, expected) => {
    expect(parseTaskKind(input)).toBe(expected);
  });
});

describe('parseSmallNumber', () => {
  it.each([
    ['5', 5],
    ['五', 5],
    ['两', 2],
    ['十', 10],
    ['十五', 15],
    ['二十', 20],
    ['二十三', 23],
    ['三十五六', null],
    ['', null],
  ])('%s → %s', (input, expected) => {
    expect(parseSmallNumber(input)).toBe(expected);
  });
});

describe('parseDeadlineText', () => {
  // [text, now, deadline instant (UTC), rule]
  const ok: [string, Date, string, string][] = [
    // The notice's "于3月21日前": 24:00 of 2026-03-21 (a Saturday; taken as written).
    ['3月21日前', FRIDAY, '2026-03-21T16:00:00.000Z', 'date'],
    ['于3月21日前', FRIDAY, '2026-03-21T16:00:00.000Z', 'date'],
    ['3月21号', FRIDAY, '2026-03-21T16:00:00.000Z', 'date'],
    // Today's 24:00 is still ahead; yesterday's date means next year.
    ['3月20日前', FRIDAY, '2026-03-20T16:00:00.000Z', 'date'],
    ['明天', FRIDAY, '2026-03-21T16:00:00.000Z', 'date'],
    ['2026年12月1日', FRIDAY, '2026-12-01T16:00:00.000Z', 'date'],
    ['2026年12月1日前', FRIDAY, '2026-12-01T16:00:00.000Z', 'date'],
    ['2026-12-01', FRIDAY, '2026-12-01T16:00:00.000Z', 'date'],
    ['2026/12/1', FRIDAY, '2026-12-01T16:00:00.000Z', 'date'],
    ['2026-12-01 18:00', FRIDAY, '2026-12-01T10:00:00.000Z', 'date-time'],
    ['２０２６－１２－０１　１８：００', FRIDAY, '2026-12-01T10:00:00.000Z', 'date-time'],
    ['12月1日18时', FRIDAY, '2026-12-01T10:00:00.000Z', 'date-time'],
    ['12月1日9点半', FRIDAY, '2026-12-01T01:30:00.000Z', 'date-time'],
    ['3月21日24时前', FRIDAY, '2026-03-21T16:00:00.000Z', 'date'], // 24时 is the end of the day
    ['截至2026年4月3日', FRIDAY, '2026-04-03T16:00:00.000Z', 'date'],
    // Working days from Friday: Mon 23 … Fri 27 is the fifth.
    ['5个工作日', FRIDAY, '2026-03-27T16:00:00.000Z', 'working-days'],
    ['3个工作日', FRIDAY, '2026-03-25T16:00:00.000Z', 'working-days'],
    ['五个工作日内', FRIDAY, '2026-03-27T16:00:00.000Z', 'working-days'],
    ['在3个工作日内完成', FRIDAY, '2026-03-25T16:00:00.000Z', 'working-days'],
    // Spring Festival 2026: Sat 2-14 is a make-up working day, 2-15…2-23 off.
    ['3个工作日', new Date('2026-02-13T02:00:00Z'), '2026-02-25T16:00:00.000Z', 'working-days'],
    // National Day 2026: 10-01…10-07 off, Sat 10-10 worked.
    ['2个工作日', new Date('2026-09-30T02:00:00Z'), '2026-10-09T16:00:00.000Z', 'working-days'],
    ['3个工作日', new Date('2026-09-30T02:00:00Z'), '2026-10-10T16:00:00.000Z', 'working-days'],
    ['4个工作日', new Date('2026-09-30T02:00:00Z'), '2026-10-12T16:00:00.000Z', 'working-days'],
  ];

  it.each(ok)('%s (now %s) → %s', (input, now, expected, rule) => {
    const parsed = parseDeadlineText(input, { now, calendar });
    expect(parsed).toMatchObject({ ok: true, estimated: false, rule });
    if (!parsed.ok) return;
    expect(parsed.deadline.toISOString()).toBe(expected);
    // A date typed on a rest day (2026-03-21 is a Saturday) is said, with the next working day.
    const day = shanghaiDate(new Date(parsed.deadline.getTime() - 1));
    const typedRestDay = (rule === 'date' || rule === 'date-time') && !calendar.isWorkingDay(day);
    if (typedRestDay) expect(parsed.warning).toMatch(/^截止日 \S+ 是休息日.*如需顺延，可改为/);
    else expect(parsed.warning).toBeNull();
  });

  it('estimates on the provisional calendar, and says so, where the published calendar ends (2027)', () => {
    const parsed = parseDeadlineText('5个工作日', { now: new Date('2026-12-28T01:00:00Z'), calendar });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.estimated).toBe(true);
    expect(parsed.deadline.toISOString()).toBe('2027-01-05T16:00:00.000Z'); // 12-29…31, 01-04, 01-05
    expect(parsed.warning).toContain('2027 年');
    expect(parsed.warning).toContain('预估');
  });

  it.each([
    ['', '请输入截止时间'],
    ['后年', '没有看懂'],
    ['2026-02-30', '日期“2026-02-30”不存在'],
    ['2月30日', '日期“2月30日”不存在'],
    ['2月29日', '日期“2月29日”在2026年不存在，请写明年份。'],
    ['2025年1月1日', '已过'],
    ['2026-03-20 08:00', '已过'],
    ['3月21日25时', '时刻“25时”不存在'],
    ['0个工作日', '1 到 250'],
    ['300个工作日', '1 到 250'],
  ])('refuses %j', (input, message) => {
    const parsed = parseDeadlineText(input, { now: FRIDAY, calendar });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});

describe('notices', () => {
  it('reads the title, issuer and date of the 2023 Q1 notice', () => {
    expect(parseNoticeMeta(NOTICE)).toEqual({
      title: '淄博市人民政府办公室关于2023年第一季度政府网站和政务新媒体普查情况的通报',
      issuer: '淄博市人民政府办公室',
      issuedOn: '2023-03-17',
    });
  });

  it('takes the issuer from above the closing date when the title does not name it', () => {
    const text = '关于做好政务新媒体备案的通知\n\n各区县：\n请于4月1日前完成。\n\n市大数据局\n2026年3月18日';
    expect(parseNoticeMeta(text)).toEqual({
      title: '关于做好政务新媒体备案的通知',
      issuer: '市大数据局',
      issuedOn: '2026-03-18',
    });
  });

  it('falls back to the 发布日期 line', () => {
    expect(parseNoticeMeta('某通知\n发布日期: 2023-03-20 08:36:56\n正文').issuedOn).toBe('2023-03-20');
  });

  it('finds exactly the one deadline sentence of the 2023 Q1 notice', () => {
    const found = extractDeadlineSentences(NOTICE);
    expect(found).toHaveLength(1);
    expect(found[0]!.dateText).toBe('3月21日');
    // The notice mixes ASCII and full-width commas; the sentence is kept as written.
    expect(found[0]!.sentence).toMatch(
      /^于3月21日前,将工作落实情况和《政府网站、政务新媒体典型做法信息表》,/,
    );
    expect(found[0]!.sentence).toMatch(/发至市大数据局电子政务科。$/);
  });

  it('proposes a 落实情况 task due 2023-03-21 24:00, read against the notice of 2023-03-17, already past', () => {
    const [proposal, ...rest] = proposeTasks(NOTICE, { now: FRIDAY, calendar, noticeDate: '2023-03-17' });
    expect(rest).toEqual([]);
    expect(proposal!.kind).toBe('report');
    expect(proposal!.title).toBe('报送工作落实情况和《政府网站、政务新媒体典型做法信息表》');
    expect(proposal!.deadline).toMatchObject({ ok: true, value: { past: true, rule: 'date' } });
    if (proposal!.deadline.ok)
      expect(proposal!.deadline.value.deadline.toISOString()).toBe('2023-03-21T16:00:00.000Z');
  });

  it('places a notice date before the notice in the year after it, and reads it against today without a date', () => {
    const text = '关于年底自查的通知\n请于1月10日前报送自查报告。\n市大数据局\n2026年12月20日';
    const [dated] = proposeTasks(text, { now: FRIDAY, calendar, noticeDate: '2026-12-20' });
    expect(dated!.deadline.ok && dated!.deadline.value.deadline.toISOString()).toBe(
      '2027-01-10T16:00:00.000Z',
    );
    const [undated] = proposeTasks('请于3月25日前报送。', { now: FRIDAY, calendar, noticeDate: null });
    expect(undated!.deadline).toMatchObject({ ok: true, value: { past: false } });
  });

  it('asks instead of rolling a passed month-day into next year in a dialog', () => {
    expect(parseDeadlineText('3月19日前', { now: FRIDAY, calendar })).toEqual({
      ok: false,
      error: '3月19日今年已过。是指明年的 2027-03-19（周五） 吗？请回复“是”或“否”（也可直接输入其他时间）。',
      ask: '2027-03-19',
    });
  });

  it.each([
    ['请各单位于4月10日前完成整改', '4月10日'],
    ['截至2026年5月8日，各区县报送典型案例', '2026年5月8日'],
    ['请于６月１日之前报送', '6月1日'],
  ])('finds the date in %s', (sentence, dateText) => {
    expect(extractDeadlineSentences(sentence)).toEqual([{ sentence: `${sentence}。`, dateText }]);
  });

  it.each([
    '政务新媒体的开设、变更、关停、注销均在3个工作日内完成备案',
    '发布日期: 2023-03-20 08:36:56',
    '2023年3月17日',
    '截至目前，全市政府系统纳入管理的政府网站有54个',
  ])('ignores %s (a standing rule or a date that asks nothing)', (sentence) => {
    expect(extractDeadlineSentences(sentence)).toEqual([]);
  });

  it.each([
    ['于3月21日前，将工作落实情况，加盖单位公章后，通过协同办公系统发至市大数据局电子政务科', 'report'],
    ['请于4月10日前完成整改', 'rectification'],
    ['请于4月10日前提供典型做法案例', 'cases'],
    ['请于4月10日前完成整改，并将整改报告报送市大数据局', 'rectification'],
    ['请于4月10日前将自查报告报送市大数据局', 'report'],
    ['请于4月10日前完成网站改版', 'custom'],
  ])('guesses the kind of %s', (sentence, kind) => {
    expect(guessTaskKind(sentence)).toBe(kind);
  });

  it.each([
    ['于3月21日前，将工作落实情况，加盖单位公章后，通过协同办公系统发至市大数据局', '报送工作落实情况'],
    ['请于4月10日前完成整改', '完成整改'],
    ['于5月1日前将典型案例报送市大数据局', '报送典型案例'],
  ])('titles %s', (sentence, title) => {
    expect(titleFromSentence(sentence)).toBe(title);
  });
});
