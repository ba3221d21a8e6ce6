import { describeImport, describeImportErrors } from '../services/calendar/import.js';
import { importHolidayCnText, loadCalendar } from '../services/calendar/store.js';
import { recomputeProvisionalDeadlines } from '../services/open-items/provisional-deadlines.js';
import { recomputeSummary } from '../services/open-items/provisional-views.js';
import { writeAudit } from '../services/shared/audit.js';
import { enqueue, messagesToItems } from '../outbox/queue.js';
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
    const now = new Date();
    const actor = cliActor();
    const result = await dataSource.transaction(async (manager) => {
      const imported = await importHolidayCnText(manager, text, actor, now);
      if (!imported.ok) return imported;
      // As in chat: open 预估 deadlines are counted again, audited, and each unit told once (through
      // the outbox: the running bot sends them).
      const recomputed = await recomputeProvisionalDeadlines(manager, await loadCalendar(manager), {
        now,
        actor,
        year: imported.parsed.year,
        audit: (entry) => writeAudit(manager, now, entry),
      });
      const items = recomputed.notifications.flatMap((note) =>
        [...new Set(note.to)].flatMap((to) =>
          messagesToItems(to, [note.message], { keyPrefix: note.key, source: note.source ?? 'notice' }),
        ),
      );
      await enqueue(manager, items, now);
      return { ...imported, recomputed };
    });
    if (!result.ok) {
      writeLine(io.stderr, `${path}：${describeImportErrors(result.errors)}`);
      return EXIT_FAILURE;
    }
    writeLine(io.stdout, describeImport(result.parsed, result.value));
    const summary = recomputeSummary(result.recomputed);
    if (summary) writeLine(io.stdout, summary);
    return EXIT_OK;
  },
};
