// The titles 通报 gives the items it proposes (services/tasks/text.ts proposeNoticeItems): kept
// apart from views.ts, which itself reads text.ts, so that the pure reader can use them.

/** 典型案例征集：挖掘典型做法，营造创新氛围 (or without the notice's heading). */
export function caseCallTitle(heading: string): string {
  return heading ? `典型案例征集：${heading}` : '典型案例征集';
}

/** 整改：重要信息转载有待加强 */
export function rectificationTitle(problem: string): string {
  return `整改：${problem}`;
}
