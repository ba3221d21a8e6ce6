/**
 * What supervisors and liaisons type about tasks, read into values: task references (T12), task
 * kinds, deadline text ("3月21日前", "2026年12月1日", "2026-12-01 18:00", "5个工作日"), and the
 * deadline sentences of a notice ("于3月21日前，将工作落实情况…发至市大数据局电子政务科").
 *
 * Pure functions: "now" and the calendar are parameters, so every case is a table test.
 */
import { TASK_KIND_LABELS, type TaskKind } from '../../entities/task.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import { readDialogDeadline, type DialogDeadline, type DialogRead } from '../calendar/date-replies.js';
import { isLocalDate, type LocalDate } from '../calendar/time.js';
import type { UnitKind } from '../../entities/unit.js';
import { DEFAULT_CASE_QUOTAS, type CaseQuotas } from '../cases/rules.js';
import { caseCallTitle, rectificationTitle } from './notice-views.js';

// ---------------------------------------------------------------------------------------------------
// Task references and kinds

/** `T12`, `t12`, `Ｔ１２` or just `12` → 12; anything else → null. */
export function parseTaskRef(text: string): number | null {
  const match = /^[Tt]?\s*(\d{1,9})$/.exec(text.normalize('NFKC').trim());
  if (!match) return null;
  const id = Number(match[1]);
  return id > 0 ? id : null;
}

export function taskRef(id: number): string {
  return `T${id}`;
}

/** The order in which 下发任务 offers the kinds (reply 1–4 or the name). */
export const TASK_KIND_ORDER = [
  'rectification',
  'report',
  'cases',
  'custom',
] as const satisfies readonly TaskKind[];

const KIND_WORDS: Record<string, TaskKind> = {
  整改: 'rectification',
  整改任务: 'rectification',
  落实情况: 'report',
  落实: 'report',
  报告: 'report',
  案例征集: 'cases',
  案例: 'cases',
  征集: 'cases',
  自定义: 'custom',
  其他: 'custom',
};

/** `1`–`4` (in {@link TASK_KIND_ORDER}) or a name such as 整改 / 落实情况. */
export function parseTaskKind(text: string): TaskKind | null {
  const value = text.normalize('NFKC').trim();
  const index = /^\d$/.test(value) ? Number(value) - 1 : -1;
  if (index >= 0) return TASK_KIND_ORDER[index] ?? null;
  return KIND_WORDS[value] ?? null;
}

/** The other words that name a kind (整改任务, 落实 …), for menus that accept names. */
export function taskKindAliases(kind: TaskKind): string[] {
  return Object.entries(KIND_WORDS)
    .filter(([word, value]) => value === kind && word !== TASK_KIND_LABELS[kind])
    .map(([word]) => word);
}

/** `1 整改  2 落实情况  3 案例征集  4 自定义`, separated by ideographic spaces. */
export function kindMenu(): string {
  return TASK_KIND_ORDER.map((kind, i) => `${i + 1} ${TASK_KIND_LABELS[kind]}`).join('\u3000');
}

// ---------------------------------------------------------------------------------------------------
// Deadline text: read by the one date reader (calendar/date-replies.ts), the same in every dialog.

export { DEADLINE_EXAMPLES } from '../calendar/date-replies.js';

function localDate(year: number, month: number, day: number): LocalDate | null {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isLocalDate(text) ? text : null;
}

// ---------------------------------------------------------------------------------------------------
// Notices

export interface NoticeMeta {
  title: string;
  issuer: string | null;
  issuedOn: LocalDate | null;
}

/**
 * Title (the first line), issuing office (before 关于 in the title, else the line above the
 * closing date) and date (the closing `2023年3月17日` line, else `发布日期: 2023-03-20`).
 */
export function parseNoticeMeta(text: string): NoticeMeta {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/[\s\u3000]+/g, ' ').trim())
    .filter(Boolean);
  const title = clip(lines[0]?.replace(/[。：:]$/, '') ?? '', 200) || '（无标题）';

  let issuedOn: LocalDate | null = null;
  let dateLine = -1;
  for (let i = lines.length - 1; i >= 0 && dateLine < 0; i--) {
    const match = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(lines[i]!);
    if (match) {
      issuedOn = localDate(Number(match[1]), Number(match[2]), Number(match[3]));
      if (issuedOn) dateLine = i;
    }
  }
  if (!issuedOn) {
    const published = /发布日期[:：]\s*(\d{4})-(\d{2})-(\d{2})/.exec(text.normalize('NFKC'));
    if (published) issuedOn = localDate(Number(published[1]), Number(published[2]), Number(published[3]));
  }

  const byTitle = /^(.{2,40}?)关于/.exec(title);
  let issuer: string | null = byTitle ? byTitle[1]!.trim() : null;
  if (!issuer && dateLine > 0) {
    const above = lines[dateLine - 1]!;
    if (above.length <= 40 && !/[。，,；;]/.test(above)) issuer = above;
  }
  return { title, issuer: issuer ? clip(issuer, 100) : null, issuedOn };
}

export interface DeadlineSentence {
  /** The whole sentence, as the notice words it. */
  sentence: string;
  /** The date (and time) it names, e.g. `3月21日`. */
  dateText: string;
}

const DATE_IN_TEXT = '(?:\\d{4}年)?\\d{1,2}月\\d{1,2}[日号](?:\\d{1,2}[时点])?';
const DEADLINE_IN_SENTENCE = new RegExp(
  `(?:截至|截止到|截止至|截止)(${DATE_IN_TEXT})|(${DATE_IN_TEXT})(?:前|之前|以前|截止)`,
);

/** The sentences of a notice that set a date to act by ("于3月21日前，…"), in order. */
export function extractDeadlineSentences(text: string): DeadlineSentence[] {
  const found: DeadlineSentence[] = [];
  for (const raw of text.split(/[。！？!?\r\n]+/)) {
    // Match on the NFKC form (full-width digits), keep the sentence as the notice wrote it.
    const sentence = raw.replace(/[ \t\u3000]+/g, ' ').trim();
    const match = DEADLINE_IN_SENTENCE.exec(sentence.normalize('NFKC'));
    if (!match) continue;
    found.push({ sentence: `${sentence}。`, dateText: (match[1] ?? match[2])! });
  }
  return found;
}

/** 落实情况 / 整改 / 案例征集 / 自定义, from the words of the sentence. */
export function guessTaskKind(sentence: string): TaskKind {
  if (/落实情况|工作情况|进展情况/.test(sentence)) return 'report';
  if (/整改/.test(sentence)) return 'rectification';
  if (/案例|典型做法/.test(sentence)) return 'cases';
  if (/报送|上报/.test(sentence)) return 'report';
  return 'custom';
}

const SEND_VERBS = '发至|报送|报至|上报|报给|送至|提交';

/**
 * A short title for the task a deadline sentence asks for: what is to be sent ("将…，" up to the
 * first comma outside 《》), prefixed with 报送 when it is to be sent somewhere; otherwise the
 * sentence without its date.
 */
export function titleFromSentence(sentence: string): string {
  const start = sentence.indexOf('将');
  let object = '';
  if (start >= 0) {
    let depth = 0;
    for (const char of sentence.slice(start + 1)) {
      if (char === '《') depth++;
      if (char === '》') depth = Math.max(0, depth - 1);
      if (depth === 0 && /[，,；;。]/.test(char)) break;
      object += char;
    }
  }
  // "将典型案例报送市大数据局": the object ends where the sending verb starts.
  object = object.replace(new RegExp(`(?<=.)(?:${SEND_VERBS}).*$`), '').trim();
  if (object) {
    const sends = new RegExp(SEND_VERBS).test(sentence);
    return clip(sends ? `报送${object}` : object, 60);
  }
  const stripped = sentence
    .replace(DEADLINE_IN_SENTENCE, '')
    .replace(/^[于在请，,\s]+/, '')
    .replace(/。$/, '');
  return clip(stripped || sentence, 60);
}

export interface ProposedTask {
  kind: TaskKind;
  title: string;
  detail: string;
  /** The deadline as the notice gives it, read against the notice's own date; it may have passed. */
  deadline: DialogRead<DialogDeadline>;
  dateText: string;
}

/**
 * One proposed task per deadline sentence of the notice. A month and day without a year belongs to
 * the notice's date (落款 or 发布日期: 3月21日前 in a notice of 2023-03-17 is 2023-03-21), or, for
 * a notice without a date, to today.
 */
export function proposeTasks(
  text: string,
  context: { now: Date; calendar: WorkCalendar; noticeDate: LocalDate | null },
): ProposedTask[] {
  const { now, calendar, noticeDate } = context;
  return extractDeadlineSentences(text).map(({ sentence, dateText }) => ({
    kind: guessTaskKind(sentence),
    title: titleFromSentence(sentence),
    detail: sentence,
    deadline: readDialogDeadline(`${dateText}前`, {
      now,
      calendar,
      noticeDate: noticeDate ?? undefined,
      allowPast: true,
    }),
    dateText,
  }));
}

// ---------------------------------------------------------------------------------------------------
// Every actionable item of a notice (通报)

/** What a case-call item asks for, as the notice words it (a kind it does not name keeps the default). */
export interface NoticeCaseTerms {
  quotas: CaseQuotas;
  /** 每个案例控制在150字以内 → 150; null when the notice sets no length. */
  maxChars: number | null;
}

export interface ProposedItem {
  kind: TaskKind;
  title: string;
  detail: string;
  /** The deadline read against the notice's date (it may have passed); null when none applies. */
  deadline: DialogRead<DialogDeadline> | null;
  /** For a typical-case call (kind `cases`): quotas and the length rule. */
  cases?: NoticeCaseTerms;
}

/** 三、存在的问题 (a top-level section heading). */
const SECTION = /^[一二三四五六七八九十]+、\s*(.+)$/;
/** (一)重要信息转载有待加强。…, （二）…, (3)…, 4.… or 5、… (a numbered item). */
const ITEM = /^(?:[(（](?:[一二三四五六七八九十]+|\d{1,2})[)）]|\d{1,2}[.、])\s*(.+)$/;
/** The unit kind a quota names (功能区, 市直部门/单位, else 区县). */
const quotaKind = (word: string): UnitKind =>
  /功能区/.test(word) ? 'zone' : /市直/.test(word) ? 'department' : 'district';
const QUOTA_IN_TEXT =
  /(区县|县区|功能区|市直部门|市直单位)(?:至少|不少于|最少)(?:提报|报送|上报|提交|推荐)?(\d{1,2})个/g;
const LENGTH_IN_TEXT = /(?:控制在|不超过|不多于)\s*(\d{2,4})\s*字(?:以内|之内)?|(\d{2,4})\s*字以内/;

function noticeLines(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/\r?\n/)
    .map((line) => line.replace(/[\s\u3000]+/g, ' ').trim())
    .filter(Boolean);
}

/** The numbered items of the section whose heading matches `heading`; [] when there is no such section. */
function sectionItems(
  lines: readonly string[],
  heading: RegExp,
): { items: string[]; found: boolean; prose: string } {
  const start = lines.findIndex((line) => {
    const match = SECTION.exec(line);
    return match !== null && heading.test(match[1]!);
  });
  if (start < 0) return { items: [], found: false, prose: '' };
  const items: string[] = [];
  let prose = '';
  for (const line of lines.slice(start + 1)) {
    if (SECTION.test(line)) break;
    const item = ITEM.exec(line);
    if (item) items.push(item[1]!.trim());
    else if (items.length > 0) items[items.length - 1] += line;
    else prose += line;
  }
  return { items, found: true, prose };
}

/** 重要信息转载有待加强。个别单位… → 重要信息转载有待加强 (the item's first sentence). */
function itemHeading(item: string): string {
  return item
    .split(/[。；;]/)[0]!
    .replace(/[,，]\s*/g, '，')
    .trim();
}

/** The case-call terms of a paragraph: quotas by unit kind and the length rule; null if none. */
export function readCaseTerms(paragraph: string): NoticeCaseTerms | null {
  const text = paragraph.normalize('NFKC');
  const stated: Partial<CaseQuotas> = {};
  for (const match of text.matchAll(QUOTA_IN_TEXT)) stated[quotaKind(match[1]!)] = Number(match[2]);
  const length = LENGTH_IN_TEXT.exec(text);
  if (Object.keys(stated).length === 0 && !length) return null;
  // 功能区 are addressed beside 区县 (高新区、经济开发区…管委会): unnamed, they follow 区县.
  const quotas: CaseQuotas = {
    ...DEFAULT_CASE_QUOTAS,
    ...(stated.district !== undefined ? { zone: stated.district } : {}),
    ...stated,
  };
  return { quotas, maxChars: length ? Number(length[1] ?? length[2]) : null };
}

/**
 * Every item a notice asks to act on, in order: one task per deadline sentence (the 落实情况 report
 * and the like); a typical-case call where the notice sets quotas (各区县至少提报5个、市直部门至少
 * 提报1个, 150字以内), due when the sentence sending 典型做法/典型案例 says; and one rectification
 * (整改) per problem listed in its 存在的问题 section, due with the report that accounts for it.
 */
export function proposeNoticeItems(
  text: string,
  context: { now: Date; calendar: WorkCalendar; noticeDate: LocalDate | null },
): ProposedItem[] {
  const sentences = proposeTasks(text, context);
  const items: ProposedItem[] = sentences.map(({ kind, title, detail, deadline }) => ({
    kind,
    title,
    detail,
    deadline,
  }));
  const lines = noticeLines(text);

  const casesParagraph = lines.find((line) => /案例|典型做法/.test(line) && readCaseTerms(line));
  const terms = casesParagraph ? readCaseTerms(casesParagraph) : null;
  if (casesParagraph && terms) {
    const existing = items.find((item) => item.kind === 'cases');
    if (existing) existing.cases = terms;
    else {
      const item = ITEM.exec(casesParagraph);
      const heading = item ? itemHeading(item[1]!) : '';
      const due = sentences.find((found) => /典型(?:案例|做法)/.test(found.detail));
      items.push({
        kind: 'cases',
        title: clip(caseCallTitle(heading), 60),
        detail: item ? item[1]!.trim() : casesParagraph,
        deadline: due?.deadline ?? null,
        cases: terms,
      });
    }
  }

  const problems = sectionItems(lines, /存在的?(?:主要)?问题/);
  if (problems.found) {
    // The problems are accounted for in the report (落实情况): due when it is, else when the first item is.
    const report = sentences.find((found) => found.kind === 'report') ?? sentences[0];
    // A section that lists no numbered problems is one rectification of what it says.
    const listed = problems.items.length > 0 ? problems.items : problems.prose ? [problems.prose] : [];
    for (const problem of listed) {
      items.push({
        kind: 'rectification',
        title: clip(rectificationTitle(itemHeading(problem)), 60),
        detail: problem,
        deadline: report?.deadline ?? null,
      });
    }
  }
  return items;
}

export function clip(value: string, max: number): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}
