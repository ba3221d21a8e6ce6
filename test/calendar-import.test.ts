import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CalendarDay } from '../src/entities/calendar-day.js';
import { CalendarYear } from '../src/entities/calendar-year.js';
import { describeImport, describeImportErrors, parseHolidayCnJson } from '../src/services/calendar/import.js';
import {
  importCalendarYear,
  importHolidayCnText,
  loadCalendar,
  removeOverride,
  setOverride,
} from '../src/services/calendar/store.js';
import { CalendarNotPublishedError } from '../src/services/calendar/calendar.js';
import { guestbookDeadline } from '../src/services/calendar/deadlines.js';
import { formatIso, parseShanghaiDateTime } from '../src/services/calendar/time.js';
import { createCalendarTestDatabase, dropCalendarTestDatabase } from './support/calendar-db.js';
import { FICTIONAL_2027 } from './support/calendar-fixtures.js';

const json = (value: unknown) => JSON.stringify(value);
const day = (date: string, isOffDay = true, name = '元旦') => ({ name, date, isOffDay });

describe('parseHolidayCnJson', () => {
  it('accepts a holiday-cn file, ignoring its extra keys, and sorts the days', () => {
    const shuffled = { ...FICTIONAL_2027, days: [...FICTIONAL_2027.days].reverse() };
    const result = parseHolidayCnJson(json(shuffled));
    expect(result).toEqual({
      ok: true,
      value: {
        year: 2027,
        days: FICTIONAL_2027.days.map(({ name, date, isOffDay }) => ({ name, date, isOffDay })),
      },
    });
  });

  it('accepts a byte-order mark and trims names', () => {
    const result = parseHolidayCnJson(
      `\uFEFF${json({ year: 2027, days: [day('2027-01-01', true, ' 元旦 ')] })}`,
    );
    expect(result).toEqual({
      ok: true,
      value: { year: 2027, days: [{ name: '元旦', date: '2027-01-01', isOffDay: true }] },
    });
  });

  it.each([
    ['not JSON', '{"year": 2027,', [expect.stringMatching(/^文件不是有效的 JSON：/)]],
    ['an array', '[]', ['文件内容应为 { "year": 年份, "days": [...] } 形式的对象']],
    ['null', 'null', ['文件内容应为 { "year": 年份, "days": [...] } 形式的对象']],
    ['no fields', '{}', ['缺少 year（年份，例如 2027）', '缺少 days 字段（当年的放假和调休上班日期列表）']],
    [
      'a quoted year and no days',
      json({ year: '2027', days: [] }),
      ['year 必须是整数年份，而不是 "2027"', 'days 为空：该年的节假日安排可能尚未发布，不能导入'],
    ],
    [
      'an implausible year',
      json({ year: 27, days: {} }),
      ['year 必须是 2000–2100 之间的整数年份', 'days 字段应为数组'],
    ],
    [
      'only working days',
      json({ year: 2027, days: [day('2027-02-06', false, '春节')] }),
      ['days 中没有任何放假日（isOffDay 为 true），不像是节假日安排'],
    ],
    [
      'every kind of bad entry',
      json({
        year: 2027,
        days: [
          day('2027-01-01'),
          { date: '2027-02-30', isOffDay: 'yes' },
          day('2027-02-30'),
          null,
          day('2026-12-31', true, ' '),
          day('2027-01-01'),
          { name: '春节', date: 20270206, isOffDay: false },
          { name: '春节', date: '2027-2-7' },
          day('2027-03-01', true, '很'.repeat(65)),
        ],
      }),
      [
        '第2项：缺少 name（节日名称）',
        '第2项：日期 2027-02-30 无效',
        '第2项：isOffDay 必须是 true 或 false，而不是 "yes"',
        '第3项：日期 2027-02-30 无效',
        '第4项：应为 { "name", "date", "isOffDay" } 形式的对象',
        '第5项：name 不能为空',
        '第5项：日期 2026-12-31 不属于 2027 年',
        '第6项：日期 2027-01-01 与第1项重复',
        '第7项：date 必须是 YYYY-MM-DD 格式的文字，而不是 20270206',
        '第8项：日期 2027-2-7 无效',
        '第8项：缺少 isOffDay（true 表示放假，false 表示调休上班）',
        '第9项：name 超过 64 个字',
      ],
    ],
  ])('rejects %s, listing every problem', (_what, text, errors) => {
    expect(parseHolidayCnJson(text)).toEqual({ ok: false, errors });
  });

  it('formats the outcome for people', () => {
    const parsed = parseHolidayCnJson(json(FICTIONAL_2027));
    if (!parsed.ok) throw new Error('fixture must parse');
    expect(describeImport(parsed.value, { replaced: false })).toBe(
      '已导入 2027 年节假日安排：共 11 天（放假 10 天，调休上班 1 天）。',
    );
    expect(describeImport(parsed.value, { replaced: true })).toContain('，替换了此前导入的数据。');
    expect(describeImportErrors(['第1项：缺少 name（节日名称）'])).toBe(
      '文件未导入（整份拒绝），发现 1 个问题：\n  - 第1项：缺少 name（节日名称）',
    );
  });
});

describe('calendar store', () => {
  let db: DataSource;
  const importedAt = new Date('2026-11-05T01:00:00Z');

  beforeEach(async () => {
    db = await createCalendarTestDatabase();
  });
  afterEach(async () => {
    await dropCalendarTestDatabase(db);
  });

  async function importText(text: string, actor = 'zhangsan') {
    return db.transaction((manager) => importHolidayCnText(manager, text, actor, importedAt));
  }

  it('starts from the package data alone', async () => {
    const calendar = await loadCalendar(db.manager);
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2027)).toBe(false);
    expect(calendar.describe('2026-02-14')).toBe('2026-02-14（周六，春节调休上班）');
  });

  it('imports a year: it becomes covered and deadlines into it are computed', async () => {
    const result = await importText(json(FICTIONAL_2027));
    expect(result).toMatchObject({ ok: true, value: { year: 2027, replaced: false, days: 11 } });
    expect(await db.getRepository(CalendarYear).findOneByOrFail({ year: 2027 })).toEqual(
      Object.assign(new CalendarYear(), { year: 2027, importedAt, importedBy: 'zhangsan', dayCount: 11 }),
    );

    const calendar = await loadCalendar(db.manager);
    expect(calendar.covers(2027)).toBe(true);
    expect(calendar.describe('2027-01-01')).toBe('2027-01-01（周五，元旦）');
    expect(calendar.describe('2027-02-06')).toBe('2027-02-06（周六，春节调休上班）');
    const deadline = guestbookDeadline(calendar, parseShanghaiDateTime('2026-12-31 10:00'));
    expect(deadline.provisionalYears).toEqual([]);
    expect(formatIso(deadline.deadline)).toBe('2027-01-06T00:00:00+08:00');
  });

  it('re-importing a year replaces its rows', async () => {
    await importText(json(FICTIONAL_2027));
    const revised = { year: 2027, days: [day('2027-01-01'), day('2027-02-08', true, '春节')] };
    const result = await importText(json(revised), 'lisi');
    expect(result).toMatchObject({ ok: true, value: { year: 2027, replaced: true, days: 2 } });

    const calendar = await loadCalendar(db.manager);
    expect(calendar.describe('2027-02-06')).toBe('2027-02-06（周六，周末）'); // no longer a make-up day
    expect(calendar.describe('2027-01-02')).toBe('2027-01-02（周六，周末）');
    expect(calendar.isWorkingDay('2027-02-09')).toBe(true);
    expect(await db.getRepository(CalendarDay).countBy({ source: 'import' })).toBe(2);
    expect(await db.getRepository(CalendarYear).findOneByOrFail({ year: 2027 })).toMatchObject({
      importedBy: 'lisi',
      dayCount: 2,
    });
  });

  it('a malformed file is rejected whole: nothing is written', async () => {
    await importText(json(FICTIONAL_2027));
    const broken = { year: 2027, days: [day('2027-01-01'), day('2027-13-01')] };
    expect(await importText(json(broken))).toEqual({ ok: false, errors: ['第2项：日期 2027-13-01 无效'] });
    expect(await db.getRepository(CalendarDay).countBy({ source: 'import' })).toBe(11);
    expect(await db.getRepository(CalendarYear).findOneByOrFail({ year: 2027 })).toMatchObject({
      dayCount: 11,
    });
  });

  it('an import inside a failed transaction leaves the previous data', async () => {
    await importText(json(FICTIONAL_2027));
    const parsed = parseHolidayCnJson(json({ year: 2027, days: [day('2027-01-01')] }));
    if (!parsed.ok) throw new Error('must parse');
    await expect(
      db.transaction(async (manager) => {
        await importCalendarYear(manager, parsed.value, 'wangwu');
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await db.getRepository(CalendarDay).countBy({ source: 'import' })).toBe(11);
  });

  it('re-importing leaves overrides alone, and overrides win', async () => {
    await importText(json(FICTIONAL_2027));
    await setOverride(db.manager, { date: '2027-01-01', isOffDay: false, name: '元旦值班' }, importedAt);
    await setOverride(db.manager, { date: '2026-03-09', isOffDay: true, name: '临时停电' }, importedAt);
    await importText(json(FICTIONAL_2027));

    let calendar = await loadCalendar(db.manager);
    expect(calendar.describe('2027-01-01')).toBe('2027-01-01（周五，元旦值班）');
    expect(calendar.describe('2026-03-09')).toBe('2026-03-09（周一，临时停电）');
    expect(await db.getRepository(CalendarDay).countBy({ source: 'override' })).toBe(2);

    expect(await removeOverride(db.manager, '2027-01-01')).toBe(true);
    expect(await removeOverride(db.manager, '2027-01-01')).toBe(false);
    calendar = await loadCalendar(db.manager);
    expect(calendar.describe('2027-01-01')).toBe('2027-01-01（周五，元旦）');
  });

  it('an override in an unimported year does not make the year covered', async () => {
    await setOverride(db.manager, { date: '2027-01-04', isOffDay: true, name: '停电' });
    const calendar = await loadCalendar(db.manager);
    expect(calendar.covers(2027)).toBe(false);
    // The override still decides its day, provisionally; the other days follow the statutory rules.
    expect(calendar.dayInfo('2027-01-04')).toMatchObject({ isWorkingDay: false, provisional: true });
    expect(calendar.describe('2027-01-01')).toBe('2027-01-01（周五，元旦，预估）');
    await setOverride(db.manager, { date: '2100-01-04', isOffDay: true, name: '停电' });
    const later = await loadCalendar(db.manager);
    expect(() => later.isWorkingDay('2100-01-04')).toThrow(CalendarNotPublishedError);
  });

  it('importing only touches the year imported', async () => {
    await importText(json(FICTIONAL_2027));
    await importText(json({ year: 2028, days: [day('2028-01-01')] }));
    await importText(json({ year: 2027, days: [day('2027-01-01')] }));
    const calendar = await loadCalendar(db.manager);
    expect(calendar.describe('2028-01-01')).toBe('2028-01-01（周六，元旦）');
    expect(calendar.coveredYears).toEqual(expect.arrayContaining([2026, 2027, 2028]));
    expect(await db.getRepository(CalendarDay).countBy({ source: 'import' })).toBe(2);
  });

  it('rejects an override without a reason', async () => {
    await expect(setOverride(db.manager, { date: '2026-03-09', isOffDay: true, name: ' ' })).rejects.toThrow(
      '请填写调整原因',
    );
    await expect(
      setOverride(db.manager, { date: '2026-02-30', isOffDay: true, name: '停电' }),
    ).rejects.toThrow('日期 2026-02-30 无效');
  });
});
