// The words of 导出本单位: the 落实情况 document's title, headings, lines and its signature and
// 公章 block, the file names, and the replies in the chat.
import { TASK_KIND_LABELS } from '../../entities/task.js';
import { formatDeadlineMarked } from '../calendar/deadline-text.js';
import { shanghaiDate } from '../calendar/time.js';
import { sheetDateTime } from '../cases/views.js';
import type { ReportGroup, ReportReply, ReportTask } from './select.js';

/** The usual fonts of an official document (Word falls back to 宋体 where one is missing). */
export const FONTS = {
  title: '方正小标宋简体',
  heading: '黑体',
  subheading: '楷体_GB2312',
  body: '仿宋_GB2312',
};

export const DOCUMENT_CREATOR = '督办助手';

export const UNIT_EXPORT_USAGE = '导出本单位 [征集N|T编号]';

/** 一、二、… up to 九十九 (a unit never has that many batches in one document). */
export function chineseOrdinal(n: number): string {
  const digits = '〇一二三四五六七八九';
  if (n < 10) return digits[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digits[tens]}十${ones ? digits[ones] : ''}`;
}

/** 《关于……的通报》 for a notice, “首页信息更新不及时整改” for other tasks. */
export function groupName(group: ReportGroup): string {
  return group.noticeId !== null ? `《${group.title}》` : `“${group.title}”`;
}

/** 高青县关于《……》落实情况的报告; several batches: 高青县督办事项落实情况报告. */
export function reportTitle(unitName: string, groups: readonly ReportGroup[]): string {
  return groups.length === 1
    ? `${unitName}关于${groupName(groups[0]!)}落实情况的报告`
    : `${unitName}督办事项落实情况报告`;
}

export function groupHeading(index: number, group: ReportGroup): string {
  return `${chineseOrdinal(index + 1)}、${groupName(group)}`;
}

/** （一）栏目整改（T12，整改，截止 2026-02-25（周三）24时，已办结） */
export function taskHeading(index: number, task: ReportTask): string {
  const facts = [
    task.ref,
    TASK_KIND_LABELS[task.kind],
    `截止 ${formatDeadlineMarked(task.deadline, task.deadlineEstimated)}`,
    task.doneAt ? `${task.state}（${sheetDateTime(task.doneAt)}）` : task.state,
  ];
  return `（${chineseOrdinal(index + 1)}）${task.title}（${facts.join('，')}）`;
}

/** 2026-02-12 15:30 淄川联络员报送： */
export function replyLead(reply: ReportReply): string {
  return `${sheetDateTime(reply.at)} ${reply.name}报送：`;
}

export function attachmentsLine(files: readonly string[]): string {
  return `附件：${files.join('、')}`;
}

export const NO_REPLY_TEXT = '尚未报送办理情况。';

/** The signature and 公章 block at the foot: the unit's name to stamp over, a date to fill in. */
export function signatureLines(unitName: string): string[] {
  return [`单位（盖章）：${unitName}`, '日期：　　　　年　　月　　日'];
}

export const CONTACT_LINE = '联系人：　　　　　　联系电话：';

/** 落实情况-高青县-20260214.docx */
export function reportFileName(unitName: string, now: Date): string {
  return `落实情况-${unitName}-${shanghaiDate(now).replace(/-/g, '')}.docx`;
}

export const NO_UNIT_EXPORT_TEXT = '您尚未关联单位，无法导出本单位材料。请联系管理员。';
export const NOTHING_TO_EXPORT_TEXT = '本单位目前没有督办任务或案例征集，无需导出。';

export function taskNotFoundText(ref: string): string {
  return `本单位没有任务 ${ref}。发送“我的任务”查看本单位的任务。`;
}

export function reportReplyText(unitName: string, groups: readonly ReportGroup[]): string {
  const tasks = groups.reduce((sum, group) => sum + group.tasks.length, 0);
  const names = groups.map(groupName).join('、');
  return `${unitName}落实情况（${names}，${tasks} 项任务）见下方文件，打印盖章后通过协同办公系统报送。`;
}

export function infoTableReplyText(unitName: string, callName: string, cases: number): string {
  return `${unitName}典型做法信息表（${callName}，${cases} 个案例）见下方文件，加盖单位公章后随落实情况报送。`;
}

export const USAGE_TEXT = `用法：${UNIT_EXPORT_USAGE}（不带参数时导出未办结任务的落实情况和当前征集的信息表）`;
