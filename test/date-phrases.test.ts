// The one date reader, as every dialog and 通报 use it: the phrases of issue 19, on Saturday
// 2026-12-05 10:00 in Shanghai (and a few on other days), under every process time zone.
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../src/services/calendar/calendar.js';
import { readDatePhrase, readClockTime } from '../src/services/calendar/date-phrases.js';
import { readDeadline } from '../src/services/calendar/deadline-input.js';
import { readDialogDeadline, readPastDate, readPastMoment } from '../src/services/calendar/date-replies.js';
import { formatIso, parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { placeMonthDay, readYesNo } from '../src/services/calendar/year-choice.js';
import { parseSchedule } from '../src/services/broadcasts/store.js';
import { scheduleProblem } from '../src/handlers/broadcasts/views.js';
import { TIME_ZONES, useProcessTimeZone } from './support/time-zones.js';

const calendar = WorkCalendar.create();
const SATURDAY = parseShanghaiDateTime('2026-12-05 10:00');

describe.each(TIME_ZONES)('deadlines typed on Saturday 2026-12-05 10:00 (TZ=%s)', (zone) => {
  useProcessTimeZone(zone);

  it.each([
    // phrase, deadline (Shanghai), rule, 预估
    ['今天', '2026-12-06T00:00:00+08:00', 'date', false],
    ['明天', '2026-12-07T00:00:00+08:00', 'date', false],
    ['后天', '2026-12-08T00:00:00+08:00', 'date', false],
    ['本周五', null, '', false], // yesterday: past
    ['下周一', '2026-12-08T00:00:00+08:00', 'date', false],
    ['下周五', '2026-12-12T00:00:00+08:00', 'date', false],
    ['本周日', '2026-12-07T00:00:00+08:00', 'date', false],
    ['月底', '2027-01-01T00:00:00+08:00', 'date', false],
    ['下月底', '2027-02-01T00:00:00+08:00', 'date', false],
    ['12月31日', '2027-01-01T00:00:00+08:00', 'date', false],
    ['12-31', '2027-01-01T00:00:00+08:00', 'date', false],
    ['2026-12-31', '2027-01-01T00:00:00+08:00', 'date', false],
    ['2027年1月8日', '2027-01-09T00:00:00+08:00', 'date', false],
    ['18:00', '2026-12-05T18:00:00+08:00', 'date-time', false],
    ['明天9:00', '2026-12-06T09:00:00+08:00', 'date-time', false],
    ['下周一9:00', '2026-12-07T09:00:00+08:00', 'date-time', false],
    ['下周一 下午5点半', '2026-12-07T17:30:00+08:00', 'date-time', false],
    ['5个工作日', '2026-12-12T00:00:00+08:00', 'working-days', false], // Mon 7 … Fri 11
    ['五个工作日', '2026-12-12T00:00:00+08:00', 'working-days', false],
    ['1个工作日', '2026-12-08T00:00:00+08:00', 'working-days', false],
    ['20个工作日', '2027-01-05T00:00:00+08:00', 'working-days', true], // 2027-01-01 is 元旦 by law
    ['24小时内', '2026-12-06T10:00:00+08:00', 'hours', false],
    ['3天内', '2026-12-09T00:00:00+08:00', 'calendar-days', false],
    ['于12月31日17时前', '2026-12-31T17:00:00+08:00', 'date-time', false],
    ['截至2026年12月18日', '2026-12-19T00:00:00+08:00', 'date', false],
  ] as const)('%s → %s', (phrase, expected, rule, provisional) => {
    const answer = readDeadline(phrase, { now: SATURDAY, calendar });
    if (expected === null) {
      expect(answer.kind).toBe('past');
      return;
    }
    expect(answer).toMatchObject({ kind: 'deadline', rule });
    if (answer.kind !== 'deadline') return;
    expect(formatIso(answer.deadline)).toBe(expected);
    expect(answer.provisionalYears.length > 0).toBe(provisional);
  });

  it('fixes the weekday of 下周一 (next week runs Monday 12-07 to Sunday 12-13)', () => {
    const read = readDatePhrase('下周一', '2026-12-05');
    expect(read).toMatchObject({
      ok: true,
      phrase: { kind: 'day', day: { kind: 'date', date: '2026-12-07' } },
    });
    expect(readDatePhrase('本周五', '2026-12-07')).toMatchObject({
      ok: true,
      phrase: { day: { date: '2026-12-11' } },
    });
  });

  it.each([
    ['12月1日', '2027-12-01'],
    ['12-01', '2027-12-01'],
    ['3月21日前', '2027-03-21'],
    ['12月1日9:00', '2027-12-01 09:00'],
  ])('%s, already past this year, asks about next year (%s) instead of rolling', (phrase, canonical) => {
    const answer = readDeadline(phrase, { now: SATURDAY, calendar });
    expect(answer).toMatchObject({ kind: 'ask-next-year', canonical });
    // What 是 re-reads is a plain future date: no second question.
    expect(readDeadline(canonical, { now: SATURDAY, calendar }).kind).toBe('deadline');
  });

  it.each([
    ['2月30日', '日期“2月30日”不存在，请检查。'],
    ['2月30日9:00', '日期“2月30日”不存在，请检查。'],
    ['2026-02-30', '日期“2026-02-30”不存在，请检查。'],
    ['2027年2月29日', '日期“2027年2月29日”不存在，请检查。'],
    ['13月1日', '日期“13月1日”不存在，请检查。'],
    ['明天25:00', '时刻“25:00”不存在，请检查。'],
    ['0个工作日', '工作日数应为 1 到 250 之间的整数。'],
    ['2026-12-01', '截止时间 2026-12-01（周二）24时 已过，请输入将来的时间。'],
    ['9:00', '截止时间 2026-12-05（周六）09:00 已过，请输入将来的时间。'],
    ['现在', '截止时间不能是现在，请输入将来的时间。'],
    ['下个世纪', '没有看懂截止时间“下个世纪”'],
  ])('%s is refused everywhere with: %s', (phrase, error) => {
    const read = readDialogDeadline(phrase, { now: SATURDAY, calendar });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toContain(error);
  });

  it('a notice resolves its dates against its own date and shows a passed deadline as such', () => {
    const read = readDialogDeadline('3月21日前', {
      now: SATURDAY,
      calendar,
      noticeDate: '2023-03-17',
      allowPast: true,
    });
    expect(read).toMatchObject({ ok: true, value: { past: true } });
    if (read.ok) expect(formatIso(read.value.deadline)).toBe('2023-03-22T00:00:00+08:00');
  });

  it('the same phrases mean the same in a schedule (定时通知), with a time required', () => {
    expect(parseSchedule('下周一9:00', SATURDAY)).toMatchObject({ kind: 'once', text: '2026-12-07 09:00' });
    expect(parseSchedule('明天9:00', SATURDAY)).toMatchObject({ kind: 'once', text: '2026-12-06 09:00' });
    // What the dialog says when the schedule is refused (the service's problem, worded in views).
    const refusal = (typed: string) => {
      const read = parseSchedule(typed, SATURDAY);
      return 'problem' in read ? scheduleProblem(read.problem) : read;
    };
    expect(refusal('2月30日9:00')).toBe('日期“2月30日”不存在，请检查。');
    expect(parseSchedule('12月1日9:00', SATURDAY)).toMatchObject({
      problem: { kind: 'ask-next-year', ask: '2027-12-01 09:00' },
    });
    expect(refusal('12月1日9:00')).toBe(
      '12月1日今年已过。是指明年的 2027-12-01（周三） 吗？请回复“是”或“否”（也可直接输入其他时间）。',
    );
    expect(refusal('明天')).toBe('请同时写明发送的时刻，如 明天9:00。');
  });

  it('and for what already happened (receipt, change dates): 明天 is refused, a future month-day asks', () => {
    expect(readPastMoment('今天9:00', SATURDAY)).toMatchObject({ ok: true });
    expect(readPastMoment('2月30日9:00', SATURDAY)).toMatchObject({
      ok: false,
      error: '日期“2月30日”不存在，请检查。',
    });
    expect(readPastDate('12月1日', SATURDAY)).toEqual({ ok: true, value: '2026-12-01' });
    expect(readPastDate('上周五', SATURDAY)).toEqual({ ok: true, value: '2026-11-27' });
    expect(readPastDate('12月25日', SATURDAY)).toMatchObject({ ok: false, ask: '2025-12-25' });
  });
});

describe('year choice and answers', () => {
  it.each([
    [12, 1, '2026-12-05', 'future', { kind: 'ask-next-year', date: '2027-12-01' }],
    [12, 5, '2026-12-05', 'future', { kind: 'date', date: '2026-12-05' }],
    [12, 25, '2026-12-05', 'future', { kind: 'date', date: '2026-12-25' }],
    [12, 25, '2026-12-05', 'past', { kind: 'ask-last-year', date: '2025-12-25' }],
    [12, 1, '2026-12-05', 'past', { kind: 'date', date: '2026-12-01' }],
    [2, 29, '2026-12-05', 'future', { kind: 'no-such-day', year: 2026 }],
    [2, 29, '2028-01-05', 'future', { kind: 'date', date: '2028-02-29' }],
  ] as const)('%i月%i日 on %s (%s)', (month, day, today, expect_, outcome) => {
    expect(placeMonthDay(month, day, today, expect_)).toEqual(outcome);
  });

  it.each([
    ['是', 'yes'],
    ['是的', 'yes'],
    ['对', 'yes'],
    ['否', 'no'],
    ['不是', 'no'],
    ['2027-12-01', null],
  ] as const)('%s → %s', (text, answer) => {
    expect(readYesNo(text)).toBe(answer);
  });

  it.each([
    ['18:00', { hour: 18, minute: 0 }],
    ['9点半', { hour: 9, minute: 30 }],
    ['下午5点', { hour: 17, minute: 0 }],
    ['24时', { hour: 24, minute: 0 }],
    ['25:00', null],
    ['9:75', null],
    ['开会', undefined],
  ])('clock %s', (text, time) => {
    expect(readClockTime(text)).toEqual(time);
  });
});
