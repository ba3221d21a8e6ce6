// Real files that take a parse worker to its limits, for the tests of those limits. Both are what a
// member may send (a workbook to 检查, a CSV to 留言导入) and pass every size and zip check.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { makeDocx } from './docx.js';

/**
 * A workbook of `rows` rows of four cells: 100,000 rows are 2.6 MB (19 MB inflated) and take the
 * streaming reader 4–6 s on this project's 2-core machines, so a time limit of 1 s is always reached.
 */
export async function makeLongWorkbook(rows = 100_000): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false });
  const sheet = workbook.addWorksheet('统计');
  for (let i = 0; i < rows; i++) sheet.addRow([i, `单位${i}`, '栏目', i * 7]).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

/**
 * A 4.9 MB CSV (under the 5 MB cap) of ~800,000 distinct numbers, 100 to a line: its records need
 * more than a 32 MB worker (killed in under a second) and fit in 64 MB.
 */
export function makeWideCsv(): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 4.9 * 1024 * 1024; i++) {
    const field = i % 100 === 99 ? `${i}\n` : `${i},`;
    parts.push(field);
    size += field.length;
  }
  return Buffer.from(parts.join(''));
}

/**
 * A .docx just under its 10 MB cap (stored, so the zip check passes) of ~18,000 paragraphs of
 * twenty mobile numbers each: 360,000 findings for the PII check, 5–10 s on this project's 2-core
 * machines, so a time limit of 1 s is always reached by a kind 检查 reads.
 */
export async function makeSlowPiiDocx(): Promise<Buffer> {
  const paragraph = '联系电话13812345678，'.repeat(20);
  return makeDocx(Array.from({ length: 18_000 }, () => paragraph));
}
