// RFC 4180 CSV as Excel and the reporting platforms export it: quoted fields with commas, doubled
// quotes and line breaks inside, CRLF or LF line ends, comma- or tab-separated (detected on the
// header line), with or without a UTF-8 BOM. Blank lines are not records.
import { decodeText } from './decode.js';

export interface CsvRecord {
  /** The physical line the record starts on (1-based), as an editor shows it. */
  line: number;
  cells: string[];
}

export function parseCsv(text: string): CsvRecord[] {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  const separator = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let atCellStart = true;

  const endCell = () => {
    cells.push(cell);
    cell = '';
    atCellStart = true;
  };
  const endRecord = () => {
    endCell();
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
  };

  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
    } else if (char === separator) {
      endCell();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += char;
      atCellStart = false;
    }
  }
  if (cell !== '' || cells.length > 0 || !atCellStart) endRecord();
  return records;
}

/**
 * Decodes a CSV file: UTF-8 (with or without BOM), or GB18030/GBK, which is what Excel's plain
 * "CSV" is on Chinese Windows. A file that is neither gets a message saying how to save it.
 */
export function decodeCsv(data: Buffer): { ok: true; text: string } | { ok: false; error: string } {
  const text = decodeText(data).replace(/^\uFEFF/, '');
  if (text.includes('\uFFFD')) {
    return {
      ok: false,
      error: '无法识别文件编码。请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件。',
    };
  }
  return { ok: true, text };
}
