// RFC 4180 CSV as Excel writes it ("CSV UTF-8"): commas, double quotes doubled inside quoted
// fields, quoted fields may span lines, CRLF or LF line ends.

export interface CsvRecord {
  /** 1-based line of the file on which the record starts. */
  line: number;
  cells: string[];
}

export function parseCsv(text: string): CsvRecord[] {
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
    records.push({ line: recordLine, cells });
    cells = [];
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
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
    } else if (char === ',') {
      endCell();
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += char;
      atCellStart = false;
    }
  }
  // A last record without a line end (but not the empty "record" after a final newline).
  if (cell !== '' || cells.length > 0 || !atCellStart) endRecord();
  return records;
}

/**
 * Decodes a CSV file as UTF-8 (with or without BOM). Excel's plain "CSV" is GBK on Chinese
 * systems: those bytes are not valid UTF-8 and get a message saying how to save the file instead.
 */
export function decodeCsv(data: Buffer): { ok: true; text: string } | { ok: false; error: string } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    return { ok: true, text: text.replace(/^\uFEFF/, '') };
  } catch {
    return {
      ok: false,
      error: '文件不是 UTF-8 编码。请在 Excel 中“另存为”→“CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件。',
    };
  }
}
