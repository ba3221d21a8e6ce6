/**
 * Parses a year's holiday schedule in the holiday-cn JSON format (github.com/NateScarlet/holiday-cn):
 *   { "year": 2027, "days": [{ "name": "元旦", "date": "2027-01-01", "isOffDay": true }, ...] }
 * Extra keys ("$schema", "papers"…) are ignored. A file is accepted whole or rejected whole, and the
 * rejection lists every problem found, in Chinese, so the admin can fix the file in one go.
 */
import { z } from 'zod';
import type { DayRule } from './package-data.js';
import { isLocalDate, yearOf } from './time.js';

export interface HolidayCnYear {
  year: number;
  days: DayRule[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Plausible years; anything else is a typo (27, 20277). */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const MAX_NAME_LENGTH = 64; // calendar_day.name is varchar(64)

/** Any JSON object (not an array, not null); its fields are checked one by one below. */
const objectSchema = z.record(z.string(), z.unknown());

function quoted(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** The message for a missing field or one of the wrong type. */
function fieldError(field: string, missing: string, wrongType: string) {
  return (issue: { input?: unknown }) =>
    issue.input === undefined
      ? `缺少 ${field}（${missing}）`
      : `${field} ${wrongType}，而不是 ${quoted(issue.input)}`;
}

const yearMessage = `year 必须是 ${MIN_YEAR}–${MAX_YEAR} 之间的整数年份`;
const yearSchema = z
  .number({ error: fieldError('year', '年份，例如 2027', '必须是整数年份') })
  .int(yearMessage)
  .min(MIN_YEAR, yearMessage)
  .max(MAX_YEAR, yearMessage);

/** One entry of `days`; every field is checked so that all problems of an entry are reported together. */
function daySchemaFor(year: number | undefined) {
  return z.object(
    {
      name: z
        .string({ error: fieldError('name', '节日名称', '必须是文字') })
        .trim()
        .min(1, 'name 不能为空')
        .max(MAX_NAME_LENGTH, `name 超过 ${MAX_NAME_LENGTH} 个字`),
      date: z
        .string({ error: fieldError('date', '日期，YYYY-MM-DD', '必须是 YYYY-MM-DD 格式的文字') })
        .refine(isLocalDate, { error: (issue) => `日期 ${String(issue.input)} 无效`, abort: true })
        .refine((date) => year === undefined || yearOf(date) === year, {
          error: (issue) => `日期 ${String(issue.input)} 不属于 ${year} 年`,
        }),
      isOffDay: z.boolean({
        error: fieldError('isOffDay', 'true 表示放假，false 表示调休上班', '必须是 true 或 false'),
      }),
    },
    { error: '应为 { "name", "date", "isOffDay" } 形式的对象' },
  );
}

/** Pure: text of a holiday-cn file → the year's day rules, or every problem found. */
export function parseHolidayCnJson(text: string): ParseResult<HolidayCnYear> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [`文件不是有效的 JSON：${detail}`] };
  }
  const top = objectSchema.safeParse(json);
  if (!top.success) {
    return { ok: false, errors: ['文件内容应为 { "year": 年份, "days": [...] } 形式的对象'] };
  }

  const errors: string[] = [];
  const parsedYear = yearSchema.safeParse(top.data.year);
  if (!parsedYear.success) errors.push(...parsedYear.error.issues.map((issue) => issue.message));
  const year = parsedYear.data;
  const rawDays = top.data.days;
  if (rawDays === undefined) {
    errors.push('缺少 days 字段（当年的放假和调休上班日期列表）');
    return { ok: false, errors };
  }
  if (!Array.isArray(rawDays)) {
    errors.push('days 字段应为数组');
    return { ok: false, errors };
  }
  if (rawDays.length === 0) {
    // holiday-cn publishes an empty list before the State Council notice is out: importing it would
    // make the calendar treat a year it knows nothing about as ordinary weeks.
    errors.push('days 为空：该年的节假日安排可能尚未发布，不能导入');
    return { ok: false, errors };
  }

  const daySchema = daySchemaFor(year);
  const days: DayRule[] = [];
  const firstIndexOfDate = new Map<string, number>();
  rawDays.forEach((raw: unknown, index) => {
    const label = `第${index + 1}项`;
    const parsed = daySchema.safeParse(raw);
    if (!parsed.success) {
      errors.push(...parsed.error.issues.map((issue) => `${label}：${issue.message}`));
      return;
    }
    const day: DayRule = parsed.data;
    const earlier = firstIndexOfDate.get(day.date);
    if (earlier !== undefined) {
      errors.push(`${label}：日期 ${day.date} 与第${earlier + 1}项重复`);
      return;
    }
    firstIndexOfDate.set(day.date, index);
    days.push(day);
  });

  if (errors.length > 0 || year === undefined) return { ok: false, errors };
  if (!days.some((d) => d.isOffDay))
    errors.push('days 中没有任何放假日（isOffDay 为 true），不像是节假日安排');
  if (errors.length > 0) return { ok: false, errors };
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { ok: true, value: { year, days } };
}

/** `已导入 2027 年节假日安排：共 33 天（放假 28 天，调休上班 5 天），替换了此前导入的数据。` */
export function describeImport(parsed: HolidayCnYear, outcome: { replaced: boolean }): string {
  const off = parsed.days.filter((d) => d.isOffDay).length;
  const worked = parsed.days.length - off;
  const replaced = outcome.replaced ? '，替换了此前导入的数据' : '';
  return `已导入 ${parsed.year} 年节假日安排：共 ${parsed.days.length} 天（放假 ${off} 天，调休上班 ${worked} 天）${replaced}。`;
}

/** All problems of a rejected file, one per line, for the CLI and the chat reply. */
export function describeImportErrors(errors: readonly string[]): string {
  return [`文件未导入（整份拒绝），发现 ${errors.length} 个问题：`, ...errors.map((e) => `  - ${e}`)].join(
    '\n',
  );
}
