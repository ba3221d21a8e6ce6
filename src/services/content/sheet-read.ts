// Spreadsheets to plain values, inside the content worker: every sheet's rows with their cells
// reduced to text, number, boolean, date or an error code. What a cell means (a userid, a date of
// receipt) is decided by the importer on the main thread, from these values.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** A cell as plain data: rich text joined, formulas by their result, hyperlinks by their text. */
export type PlainCell = string | number | boolean | Date | null | { error: string };

export interface PlainSheet {
  name: string;
  /** Non-empty rows, with the row number the spreadsheet shows. */
  rows: { line: number; cells: PlainCell[] }[];
}

export type SheetsResult = { ok: true; sheets: PlainSheet[] } | { ok: false; error: 'unreadable' };

/**
 * Reads the workbook with exceljs's streaming reader: rows are visited one at a time and only their
 * plain values are kept (the in-memory loader needs over 192 MB for 100,000 rows; this ~30 MB).
 */
export async function readXlsxSheets(data: Buffer): Promise<SheetsResult> {
  const sheets: PlainSheet[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
      sharedStrings: 'cache',
      hyperlinks: 'cache',
      // Styles tell dates from numbers.
      styles: 'cache',
      worksheets: 'emit',
      entries: 'emit',
    });
    for await (const worksheet of reader) {
      const sheet: PlainSheet = { name: (worksheet as unknown as { name?: string }).name ?? '', rows: [] };
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as ExcelJS.CellValue[] | undefined) ?? [];
        const cells: PlainCell[] = [];
        for (let column = 1; column < values.length; column++) cells.push(plainCell(values[column]));
        if (cells.some((cell) => cell !== null)) sheet.rows.push({ line: row.number, cells });
      }
      sheets.push(sheet);
    }
  } catch {
    return { ok: false, error: 'unreadable' };
  }
  // A zip that is not a workbook reads as no sheets at all.
  return sheets.length > 0 ? { ok: true, sheets } : { ok: false, error: 'unreadable' };
}

export function plainCell(value: ExcelJS.CellValue): PlainCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) {
    const shown = value.text as unknown;
    return typeof shown === 'string' ? shown : plainCell(shown as ExcelJS.CellValue);
  }
  if ('result' in value) {
    const result = value.result as unknown;
    if (result === undefined || result === null) return null;
    return plainCell(result as ExcelJS.CellValue);
  }
  if ('formula' in value || 'sharedFormula' in value) return null;
  if ('error' in value) return { error: value.error };
  return null;
}

/** Every cell's text, sheet after sheet (what the PII check reads of a workbook). */
export function sheetsText(sheets: readonly PlainSheet[]): string {
  const lines: string[] = [];
  for (const sheet of sheets) {
    for (const row of sheet.rows) {
      lines.push(
        row.cells
          .map((cell) =>
            cell === null
              ? ''
              : cell instanceof Date
                ? cell.toISOString().slice(0, 10)
                : typeof cell === 'object'
                  ? cell.error
                  : String(cell),
          )
          .join('\t'),
      );
    }
  }
  return lines.join('\n');
}
