import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { CliCommand } from './types.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, writeLine } from './calendar-cli.js';
import { describeImport, describeImportErrors } from '../services/calendar-import.js';
import { importHolidayCnText } from '../services/calendar-store.js';

const USAGE = 'npx duban import-calendar <file.json>';

/** Recorded as calendar_year.imported_by. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export const importCalendarCommand: CliCommand = {
  name: 'import-calendar',
  summary: '导入一年的节假日安排（holiday-cn JSON 格式；重复导入会替换该年）',
  usage: USAGE,
  async run(args, io) {
    const [path, ...extra] = args;
    if (path === undefined || extra.length > 0) {
      writeLine(io.stderr, `用法：${USAGE}`);
      return EXIT_USAGE;
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      writeLine(
        io.stderr,
        code === 'ENOENT' ? `找不到文件 ${path}` : `无法读取文件 ${path}：${String(error)}`,
      );
      return EXIT_FAILURE;
    }
    const dataSource = await io.openDatabase();
    const result = await dataSource.transaction((manager) => importHolidayCnText(manager, text, cliActor()));
    if (!result.ok) {
      writeLine(io.stderr, `${path}：${describeImportErrors(result.errors)}`);
      return EXIT_FAILURE;
    }
    writeLine(io.stdout, describeImport(result.parsed, result.value));
    return EXIT_OK;
  },
};
