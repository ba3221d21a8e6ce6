// The report of an import, to whoever imported (chat or the command line): what was added, what was
// skipped and why nothing was. Words only; the import itself is ./import.ts.
import { guestbookRef } from './store.js';
import type { ImportOutcome } from './import.js';

/** The reply to whoever imported (chat or CLI): what was added, skipped and why nothing was. */
export function describeImportOutcome(outcome: ImportOutcome, maxLines = 30): string {
  const lines: string[] = [];
  const listed = <T>(items: T[], line: (item: T) => string) => {
    for (const item of items.slice(0, maxLines)) lines.push(line(item));
    if (items.length > maxLines) lines.push(`……另有 ${items.length - maxLines} 行未列出`);
  };
  if (!outcome.ok) {
    lines.push(`导入未完成：${outcome.errors.length} 行有误，未导入任何留言。请修改后重新发送。`);
    listed(outcome.errors, (e) => `第 ${e.line} 行：${e.message}`);
    if (outcome.duplicates.length > 0)
      lines.push(`（另有 ${outcome.duplicates.length} 条重复留言，将被跳过）`);
    return lines.join('\n');
  }
  const { created, duplicates, masked } = outcome;
  const range =
    created.length === 0
      ? ''
      : created.length === 1
        ? `（${guestbookRef(created[0]!.message.id)}）`
        : `（${guestbookRef(created[0]!.message.id)}–${guestbookRef(created.at(-1)!.message.id)}）`;
  lines.push(`留言导入完成：新增 ${created.length} 条${range}，跳过重复 ${duplicates.length} 条。`);
  if (masked > 0) lines.push(`其中 ${masked} 条留言内容含个人信息，已脱敏保存。`);
  if (duplicates.length > 0) {
    lines.push('跳过的重复留言：');
    listed(duplicates, (d) => `第 ${d.line} 行：留言编号 ${d.platformNo}（已有 ${d.existing}）`);
  }
  if (created.some((c) => c.message.deadlineEstimated)) {
    lines.push(
      '部分留言期限涉及尚未发布节假日安排的年份，为预估（按周末和法定节假日推算），导入正式安排后自动重新计算。',
    );
  }
  return lines.join('\n');
}
