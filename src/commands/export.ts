import { writeFile } from 'node:fs/promises';
import { directoryTables, directoryWorkbook } from '../services/directory/export.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, writeLine, writeUsage } from './common.js';
import type { CliCommand } from './types.js';

const USAGE = 'export directory <file.xlsx>';

/** `duban export <what> <file>`; `directory` writes the three sheets that `duban import` reads. */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: '导出通讯录为 .xlsx（人员、网站、新媒体账号三张表，可直接再导入）',
  usage: USAGE,
  async run(args, io) {
    const [what, path, ...extra] = args;
    if (what !== 'directory' || path === undefined || extra.length > 0) return writeUsage(io, USAGE);
    if (!path.toLowerCase().endsWith('.xlsx')) {
      writeLine(io.stderr, `导出文件须以 .xlsx 结尾：${path}`);
      return EXIT_USAGE;
    }
    const dataSource = await io.openDatabase();
    const { tables, workbook } = await dataSource.transaction(async (tx) => ({
      tables: await directoryTables(tx),
      workbook: await directoryWorkbook(tx),
    }));
    try {
      await writeFile(path, workbook);
    } catch (error) {
      writeLine(io.stderr, `无法写入 ${path}：${String(error)}`);
      return EXIT_FAILURE;
    }
    writeLine(
      io.stdout,
      `已导出通讯录到 ${path}：人员表 ${tables.people.length} 行，网站 ${tables.websites.length} 个，新媒体账号 ${tables.accounts.length} 个。`,
    );
    return EXIT_OK;
  },
};
