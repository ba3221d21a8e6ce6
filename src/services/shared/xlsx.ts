// The office's printed sheets: a merged title row and a header row that stay in view and repeat on
// every A4 landscape page, thin borders, and page numbers in the footer. Works on an in-memory
// workbook and on exceljs's streaming writer alike (committing a row is a no-op in memory); the
// exports use the streaming writer (streamedWorkbook) so that a large one never blocks the loop.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

export interface SheetColumn {
  header: string;
  /** In characters. */
  width: number;
}

/** Rows 1 (title) and 2 (headers). */
export const HEADER_ROWS = 2;

const THIN = { style: 'thin' as const };
export const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

export function addTitledSheet(
  workbook: ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  title: string,
  columns: readonly SheetColumn[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: HEADER_ROWS, xSplit: 0 }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `1:${HEADER_ROWS}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
  sheet.columns = columns.map((column) => ({ width: column.width }));
  const titleRow = sheet.getRow(1);
  titleRow.getCell(1).value = title;
  sheet.mergeCells(1, 1, 1, columns.length);
  titleRow.font = { bold: true, size: 16 };
  titleRow.alignment = { horizontal: 'center', vertical: 'middle' };
  titleRow.height = 30;
  titleRow.commit();
  const header = sheet.getRow(2);
  columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = BORDER;
  });
  header.height = 22;
  header.commit();
  return sheet;
}

/**
 * A data row with borders, its text wrapped and aligned to the top; the `centred` columns (short
 * ones: numbers, kinds) centred. Not committed: the caller may style it further, then commit.
 */
export function addBorderedRow(
  sheet: ExcelJS.Worksheet,
  values: (string | number)[],
  centred: readonly number[] = [],
): ExcelJS.Row {
  const row = sheet.addRow(values);
  row.eachCell({ includeEmpty: true }, (cell, column) => {
    cell.alignment = {
      vertical: 'top',
      wrapText: true,
      ...(centred.includes(column) ? { horizontal: 'center' } : {}),
    };
    cell.border = BORDER;
  });
  return row;
}

/** Rows written between two turns of the event loop by a streamed export. */
export const ROWS_PER_TURN = 2000;

/**
 * An .xlsx written with exceljs's streaming writer: rows are committed (serialised and dropped) as
 * they are added, and `build` is given `turn()`, to call per row, which lets the event loop run
 * every ROWS_PER_TURN rows: an export of 100,000 rows does not hold other members' callbacks up.
 */
export async function streamedWorkbook(
  build: (workbook: ExcelJS.stream.xlsx.WorkbookWriter, turn: () => Promise<void>) => Promise<void>,
  options: { useStyles: boolean; useSharedStrings: boolean } = { useStyles: true, useSharedStrings: false },
): Promise<Buffer> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, ...options });
  let rows = 0;
  const turn = async () => {
    if (++rows % ROWS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  };
  await build(workbook, turn);
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}
