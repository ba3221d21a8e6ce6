import { systemClock } from '../clock.js';
import {
  changedCount,
  describeImportErrors,
  describeSummary,
  importDirectoryFile,
  type FileImportResult,
} from '../services/directory/import.js';
import { loadContentLimits } from '../config.js';
import { ContentService } from '../services/content/service.js';
import { refusalText } from '../services/content/views.js';
import {
  EXIT_FAILURE,
  EXIT_LIMIT,
  EXIT_OK,
  cliActor,
  readCappedFile,
  writeLine,
  writeUsage,
} from './common.js';
import type { CliCommand, CliIO } from './types.js';

const USAGE = 'import <file.xlsx|file.csv>';

export const importDirectoryCommand: CliCommand = {
  name: 'import',
  summary: '导入通讯录（人员、网站、新媒体账号表；整份校验，全部通过才写入；可重复导入）',
  usage: USAGE,
  async run(args, io) {
    const [path, ...extra] = args;
    if (path === undefined || extra.length > 0) {
      return writeUsage(
        io,
        USAGE,
        '  人员表：单位名称,单位类型,上级单位,姓名,企业微信账号,角色,手机号',
        '  网站表：网站名称,网站标识码,域名,主办单位',
        '  新媒体账号表：账号名称,平台,主办单位,状态',
      );
    }
    // The same caps and the same worker pool as a file sent to the bot.
    const kind = /\.csv$/i.test(path) ? 'csv' : 'xlsx';
    const content = new ContentService({ allowPrivateHosts: false, ...loadContentLimits() });
    try {
      const data = await readCappedFile(io, path, content.sizeLimit(kind));
      if (data === null) return EXIT_FAILURE;
      if (data === 'too-large') {
        const limitBytes = content.sizeLimit(kind);
        writeLine(io.stderr, `${path}：${refusalText({ reason: 'too-large', kind, limitBytes })}`);
        return EXIT_LIMIT;
      }
      const dataSource = await io.openDatabase();
      const result = await dataSource.transaction((tx) =>
        importDirectoryFile(tx, path, data, { actor: cliActor(), now: systemClock.now(), content }),
      );
      return report(io, path, result);
    } finally {
      await content.close();
    }
  },
};

function report(io: CliIO, path: string, result: FileImportResult): number {
  if (!result.ok && result.refusal) {
    writeLine(io.stderr, `${path}：${refusalText(result.refusal)}`);
    return EXIT_LIMIT;
  }
  if (!result.ok) {
    writeLine(io.stderr, `${path}：${describeImportErrors(result.errors)}`);
    return EXIT_FAILURE;
  }
  const unchanged = changedCount(result.summary) === 0 ? '（与系统中的数据相同，没有变化）' : '';
  writeLine(io.stdout, `已导入 ${path}：${result.sheets.join('、')}${unchanged}`);
  for (const line of describeSummary(result.summary)) writeLine(io.stdout, `  ${line}`);
  return EXIT_OK;
}
