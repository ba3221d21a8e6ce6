import { describeImport, describeImportErrors } from '../services/calendar/import.js';
import { importHolidayCnText } from '../services/calendar/store.js';
import { EXIT_FAILURE, EXIT_OK, cliActor, readArgumentFile, writeLine, writeUsage } from './common.js';
import type { CliCommand } from './types.js';

const USAGE = 'import-calendar <file.json>';

export const importCalendarCommand: CliCommand = {
  name: 'import-calendar',
  summary: '导入一年的节假日安排（holiday-cn JSON 格式；重复导入会替换该年）',
  usage: USAGE,
  async run(args, io) {
    const [path, ...extra] = args;
    if (path === undefined || extra.length > 0) return writeUsage(io, USAGE);
    const data = await readArgumentFile(io, path);
    if (data === null) return EXIT_FAILURE;
    const text = data.toString('utf8');
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
