// The words of the status commands' handlers (进度, 逾期, 周报, 催办, 导出进度, 导出本单位): their
// summaries and usages for 帮助, and the chat replies that are not the status model's views
// (those are in services/progress/views.ts and services/unit-export/views.ts).

export const GROUP = '督办';

export const PROGRESS_SUMMARY = '督办进度：各批任务办理情况、逾期和临期单位；“进度 单位名”查看单位详情';
export const PROGRESS_USAGE = '进度 [单位]';

export const OVERDUE_SUMMARY =
  '逾期和临期（今天或下一个工作日截止）的单位；“逾期 单位名”看该单位的事项，联络员看本单位的';
export const OVERDUE_USAGE = '逾期 [单位]';

export const WEEKLY_SUMMARY = '本周督办周报（可直接转发；每周五16:00也会自动发送）';
export const WEEKLY_USAGE = '周报';
export const WEEKLY_HELP = '用法：周报（本周一至今的督办情况）';

export const URGE_SUMMARY = '立即提醒单位联络员办理（单位名、任务编号或“全部逾期”；同一事项每天提醒一次）';
export const URGE_USAGE = '催办 单位名｜T12｜全部逾期';
export const URGE_HELP = `用法：${URGE_USAGE}`;
/** The button on a 催办 card. */
export const URGE_VIEW_LABEL = '查看本单位待办';

export const EXPORT_SUMMARY =
  '导出进度表 Excel：每项任务一行（红黄绿标色），另附各单位汇总和转载明细；可只导出一个单位';
export const EXPORT_USAGE = '导出进度 [单位]';

export function exportAudit(tasks: number, units: number): string {
  return `${tasks} 项任务，${units} 个单位`;
}

export function exportReply(tasks: number, overdue: number, units: number, reposts = 0): string {
  const more = reposts ? `，第3页为转载明细 ${reposts} 行` : '';
  return `进度表：${tasks} 项任务（逾期 ${overdue} 项），${units} 个单位，见下方文件（第2页为各单位汇总${more}）。`;
}

export const UNIT_EXPORT_SUMMARY =
  '导出本单位的落实情况（Word）和典型做法信息表（Excel），打印盖章后通过协同办公系统报送';

/** The audit detail of a refused look at another unit. */
export const OTHER_UNIT_DETAIL = '非本单位';
