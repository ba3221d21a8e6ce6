// Every word of the 转载任务 dialog (sources, titles, units, channels, deadline, preview): the
// handler calls these; the cards and the created message are in services/reposts/views.ts.
import { memberText } from '../../messages/member-text.js';

export const REPOST_GROUP = '重要信息转载';
export const ASSIGN_SUMMARY =
  '下发重要信息转载任务（文章链接、单位、渠道、截止时间），各单位提交转载链接后自动核验';
export const ASSIGN_USAGE = '转载任务 [文章链接…]';
export const ASSIGN_INTRO = '转载任务（随时发送“取消”退出）。';
/** The verb of the preview's 确认 line. */
export const ASSIGN_ACTION = '下发';

export const SOURCE_PROMPT = '请发送要转载的文章链接（可一次发送多条，每行一条；也可直接转发文章链接）。';
export const MORE_PROMPT = '如还有其他文章，请继续发送链接；没有了请回复“好了”。';
export const UNITS_PROMPT =
  '请输入转载单位：回复“全部”为全部单位；也可写 全部区县 / 全部功能区 / 全部市直部门 / 单位名称（用“、”或空格分隔）。';
export const deadlinePrompt = (examples: string): string => `请输入截止时间，如 1个工作日、${examples}。`;
export const CHANNEL_PROMPT =
  '请选择转载渠道（回复序号或名称）：\n1. 网站\n2. 政务新媒体\n3. 网站和政务新媒体';
export const CHANNEL_LABEL = '转载渠道';
export const PENDING_TITLE = '（待输入标题）';

export const SOURCE_HINT = '请发送要转载的文章链接';
export const TITLE_HINT = '请输入文章标题';
export const MORE_HINT = '继续发送文章链接，或回复“好了”';
export const UNITS_HINT = '请发送转载单位（如 全部、全部区县、高青县）';
export const CHANNEL_HINT = '请选择转载渠道（网站、政务新媒体或两者）';
export const DEADLINE_HINT = '请发送截止时间（如 24小时内、1个工作日）';

export const NO_UNITS = '通讯录中还没有单位。';
export const tooManySources = (max: number): string => `一次最多下发 ${max} 条文章，请分批下发。`;
export const titleProblem = (max: number): string => `标题不能为空，也不能超过 ${max} 个字。`;
export const deadlinePassed = (prompt: string): string => `截止时间已过，请重新输入。${prompt}`;

export function titlePrompt(index: number, url: string): string {
  return `未能读取第 ${index + 1} 条文章的标题，请输入标题（可在后面加“｜发布机构”，如 关于…的通知｜国务院办公厅）：\n${memberText(url)}`;
}

export function sourcesSoFar(sources: readonly { title: string | null; publisher: string | null }[]): string {
  return sources
    .map(
      (source, i) =>
        `${i + 1}. 《${memberText(source.title ?? PENDING_TITLE)}》${source.publisher ? `（${memberText(source.publisher)}）` : ''}`,
    )
    .join('\n');
}

export const sourcesAdded = (list: string): string => `已添加：\n${list}\n${MORE_PROMPT}`;

/** The preview's unit line: all units, or the first 15 names. */
export function unitsText(names: readonly string[], all: boolean): string {
  return all
    ? `全部单位（${names.length}个）`
    : `${names.length > 15 ? `${names.slice(0, 15).join('、')}等` : names.join('、')}（${names.length}个）`;
}

export const warningLine = (warning: string): string => `<font color="warning">${warning}</font>`;

// 转载进度 / 转载核查 (status.ts)

export const PROGRESS_SUMMARY =
  '重要信息转载进度：各条文章已核验、待确认、逾期的单位；“转载进度 Z3”看各单位，“转载进度 单位名”看单位';
export const PROGRESS_USAGE = '转载进度 [Z编号|单位]';
export const CHECK_SUMMARY = '立即读取各单位网站（首页和栏目页），自动发现 Z编号 的转载页面并核验';
export const CHECK_USAGE = '转载核查 Z编号';
export const CHECK_USAGE_LINE = `用法：${CHECK_USAGE}`;
export const itemNotFound = (ref: string): string => `没有找到转载任务 ${ref}。`;
export const notYourItem = (ref: string): string => `${ref} 不是本单位的转载任务。`;

// 转载 / 提交转载链接 (submit.ts)

export const SUBMIT_TITLE = '提交转载链接';
export const SUBMIT_SUMMARY = '提交本单位的转载链接（可多条），自动核验标题和网站';
export const SUBMIT_COMMAND_USAGE = '转载 Z编号 <链接…>';
/** The assignment card's button, and what it says once the unit's repost is verified or done. */
export const SUBMIT_BUTTON = '提交转载链接';
export const VERIFIED_BUTTON = '已核验';
export const DONE_BUTTON = '已完成';

// 确认通过 / 不通过 on a link 待人工确认 (decide.ts)

export const APPROVE_BUTTON = '确认通过';
export const REJECT_BUTTON = '不通过';
/** The button's label once decided, also the supervisor's reply (with a 。). */
export const DECIDED_LABELS = { approve: '已确认通过', reject: '已确认不通过' } as const;
export const decidedReply = (label: string): string => `${label}。`;
