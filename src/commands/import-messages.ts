import { describeImportOutcome } from '../services/guestbook/import-report.js';
import { basename } from 'node:path';
import { enqueue, messagesToItems } from '../outbox/queue.js';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig, loadContentLimits } from '../config.js';
import { writeAudit } from '../services/shared/audit.js';
import { loadCalendar } from '../services/calendar/store.js';
import { notToldText } from '../services/directory/lookup.js';
import { guestbookRef } from '../services/guestbook/store.js';
import {
  importMessages,
  isImportableSheet,
  newMessageNotices,
  readMessageSheet,
} from '../services/guestbook/import.js';
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
import type { CliCommand } from './types.js';

const USAGE = 'import-messages <file.xlsx|file.csv>';

/**
 * `duban import-messages`: the platform's guestbook export into the database, with the same rules
 * as sending the file to the bot. The units' liaisons are told through the outbox (the running bot
 * delivers it). The clock is a parameter so tests can fix it.
 */
export function importMessagesCommand(clock: Clock = systemClock): CliCommand {
  return {
    name: 'import-messages',
    summary: '导入“我为政府网站找错”留言（平台导出的 .xlsx/.csv；重复的留言编号会跳过）',
    usage: USAGE,
    async run(args, io) {
      const [path, ...extra] = args;
      if (path === undefined || extra.length > 0 || !isImportableSheet(path)) return writeUsage(io, USAGE);
      // The same caps and the same worker pool as a file sent to the bot.
      const kind = /\.csv$/i.test(path) ? 'csv' : 'xlsx';
      const content = new ContentService({ allowPrivateHosts: false, ...loadContentLimits() });
      let sheet;
      try {
        const data = await readCappedFile(io, path, content.sizeLimit(kind));
        if (data === null) return EXIT_FAILURE;
        if (data === 'too-large') {
          const limitBytes = content.sizeLimit(kind);
          writeLine(io.stderr, `${path}：${refusalText({ reason: 'too-large', kind, limitBytes })}`);
          return EXIT_LIMIT;
        }
        sheet = await readMessageSheet(content, path, data);
      } finally {
        await content.close();
      }
      if (!sheet.ok && 'refusal' in sheet) {
        writeLine(io.stderr, `${path}：${refusalText(sheet.refusal)}`);
        return EXIT_LIMIT;
      }
      if (!sheet.ok) {
        writeLine(io.stderr, `${path}：${sheet.error}`);
        return EXIT_FAILURE;
      }
      const dataSource = await io.openDatabase();
      const calendar = await loadCalendar(dataSource.manager);
      const actor = cliActor();
      const now = clock.now();
      const { outcome, unreached } = await dataSource.transaction(async (tx) => {
        const result = await importMessages(
          { tx, now, audit: (entry) => writeAudit(tx, now, entry) },
          calendar,
          sheet.rows,
          { actor, fileName: basename(path), piiAllowList: loadConfig().piiAllowList },
        );
        const first = result.ok ? result.created[0] : undefined;
        if (!result.ok || !first) return { outcome: result, unreached: [] as string[] };
        const notices = await newMessageNotices(
          tx,
          result.created,
          `guestbook:import:${guestbookRef(first.message.id)}`,
        );
        const items = notices.notify.flatMap((notice) =>
          notice.to.flatMap((to) =>
            messagesToItems(to, [notice.message], {
              keyPrefix: notice.key,
              source: notice.source ?? 'guestbook',
            }),
          ),
        );
        await enqueue(tx, items, now);
        return { outcome: result, unreached: notices.unreached };
      });
      const report = describeImportOutcome(outcome, Number.POSITIVE_INFINITY);
      if (!outcome.ok) {
        writeLine(io.stderr, report);
        return EXIT_FAILURE;
      }
      writeLine(io.stdout, report);
      if (unreached.length > 0) writeLine(io.stdout, notToldText(unreached));
      return EXIT_OK;
    },
  };
}
