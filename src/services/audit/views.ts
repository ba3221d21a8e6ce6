// How 审计 reads: a short chat view (counts and the latest rows) and, past a size, the whole window
// as a spreadsheet. Every actor, target and detail is shown through memberText.
import ExcelJS from 'exceljs';
import type { AuditLog } from '../../entities/audit-log.js';
import { memberText } from '../../messages/member-text.js';
import { markdown, type OutMessage } from '../../messages/outbound.js';
import { formatDateTime, formatIso, shanghaiDate } from '../calendar/time.js';
import { addBorderedRow, addTitledSheet, type SheetColumn } from '../shared/xlsx.js';
import type { AuditRows } from './store.js';

/** Rows shown in chat; more go to the file. */
export const AUDIT_CHAT_ROWS = 15;

const RESULT_LABELS: Record<string, string> = { ok: '成功', denied: '拒绝', failed: '失败' };

function resultLabel(result: string): string {
  return RESULT_LABELS[result] ?? result;
}

function line(row: AuditLog): string {
  const result = row.result === 'ok' ? '' : `<font color="warning">【${resultLabel(row.result)}】</font>`;
  const times = row.count > 1 ? `（${row.count} 次）` : '';
  const detail = row.detail ? ` · ${memberText(clipped(row.detail, 60))}` : '';
  return `> ${formatDateTime(row.at)} ${memberText(row.actor)} ${result}${memberText(row.action)} ${memberText(row.target)}${times}${detail}`;
}

function clipped(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

export function auditChatMessage(scope: string, days: number, found: AuditRows): OutMessage {
  const head = `**审计记录**（${memberText(scope)}，近 ${days} 天）`;
  if (found.total === 0) return markdown(`${head}\n没有记录。`);
  const lines = [head, `共 ${found.total} 条，其中拒绝 ${found.denied} 条。`, ''];
  lines.push(...found.rows.slice(0, AUDIT_CHAT_ROWS).map(line));
  if (found.total > AUDIT_CHAT_ROWS) {
    const inFile = Math.min(found.total, found.rows.length);
    lines.push(
      '',
      `<font color="comment">以上为最近 ${AUDIT_CHAT_ROWS} 条；全部 ${inFile} 条见下方文件${inFile < found.total ? '（已达上限，请缩短天数）' : ''}。</font>`,
    );
  }
  return markdown(lines.join('\n'));
}

const COLUMNS: SheetColumn[] = [
  { header: '时间', width: 24 },
  { header: '账号', width: 16 },
  { header: '操作', width: 22 },
  { header: '对象', width: 22 },
  { header: '结果', width: 8 },
  { header: '次数', width: 8 },
  { header: '说明', width: 60 },
];

/** The window as a spreadsheet (plain cell text: a spreadsheet renders no markup). */
export async function auditWorkbook(
  scope: string,
  days: number,
  found: AuditRows,
  now: Date,
): Promise<{ fileName: string; data: Buffer }> {
  const workbook = new ExcelJS.Workbook();
  const sheet = addTitledSheet(workbook, '审计记录', `审计记录（${scope}，近 ${days} 天）`, COLUMNS);
  for (const row of found.rows) {
    addBorderedRow(sheet, [
      formatIso(row.at),
      row.actor,
      row.action,
      row.target,
      resultLabel(row.result),
      row.count,
      row.detail ?? '',
    ]);
  }
  const data = Buffer.from(await workbook.xlsx.writeBuffer());
  const safeScope = scope.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 40);
  return { fileName: `审计记录-${safeScope}-${shanghaiDate(now)}.xlsx`, data };
}
