// The working calendar in chat: admins import next year's holiday schedule by sending the
// holiday-cn JSON file; anyone can ask whether a day is a working day.
import { text } from '../../messages/outbound.js';
import { describeImport, describeImportErrors } from '../../services/calendar/import.js';
import { importCalendarYear, loadCalendar } from '../../services/calendar/store.js';
import { recomputeProvisionalDeadlines } from '../../services/open-items/provisional-deadlines.js';
import { recomputeSummary } from '../../services/open-items/provisional-views.js';
import { CalendarNotPublishedError } from '../../services/calendar/calendar.js';
import { missingCalendarReminder } from '../../services/calendar/calendar.js';
import { isLocalDate, yearOf } from '../../services/calendar/time.js';
import { downloadMedia, refusalResult } from '../content.js';
import { READ_ONLY_ARGS, ADMINS, ALL_ROLES, type Feature } from '../types.js';

/** Under a day of a year not yet published: what the answer rests on. */
function provisionalDayNote(year: number): string {
  return `${year} 年节假日安排尚未发布：以上按周末和法定节假日推算（不含调休），导入正式安排前仅为预估。`;
}

export const calendarFeature: Feature = {
  name: 'calendar',
  files: [
    {
      accepts: (kind, fileName) => kind === 'file' && /\.json$/i.test(fileName),
      roles: ADMINS,
      handle: async (ctx) => {
        if (ctx.inbound.type !== 'file') return {};
        // A year of holidays is a few KB: the JSON cap is far above any real file.
        const media = await downloadMedia(ctx, ctx.inbound.mediaId, 'json');
        if (!media.ok) return media.result;
        const parsed = await ctx.services.content.parse('holiday-cn', media.file.data, undefined, 'json');
        if (!parsed.ok) return refusalResult(parsed.refusal);
        if (!parsed.value.ok) return { replies: [text(describeImportErrors(parsed.value.errors))] };
        const year = parsed.value.value;
        const outcome = await importCalendarYear(ctx.tx, year, ctx.user.userid, ctx.now);
        // Every open deadline that was 预估 is counted again on the imported year, in this transaction.
        const recomputed = await recomputeProvisionalDeadlines(ctx.tx, await loadCalendar(ctx.tx), {
          now: ctx.now,
          actor: ctx.user.userid,
          year: year.year,
          audit: (entry) => ctx.services.audit(entry),
        });
        // This instance re-reads the calendar at once; others within a minute.
        ctx.services.calendar.invalidate();
        const lines = [describeImport(year, { replaced: outcome.replaced }), recomputeSummary(recomputed)];
        return { replies: [text(lines.filter(Boolean).join('\n'))], notify: recomputed.notifications };
      },
    },
  ],
  commands: [
    {
      name: '工作日',
      readOnly: READ_ONLY_ARGS.date,
      aliases: ['日历'],
      roles: ALL_ROLES,
      summary: '查询某天是否为工作日（含节假日与调休），或查看日历覆盖的年份',
      usage: '工作日 [YYYY-MM-DD]',
      args: 'optional',
      group: '常用',
      handle: async (ctx) => {
        const calendar = await ctx.services.calendar.get();
        if (!ctx.args) {
          const coverage = calendar.coverage(ctx.now);
          const years = calendar.coveredYears;
          const lines = [`日历已覆盖 ${years[0]}–${years[years.length - 1]} 年。`];
          const warning = missingCalendarReminder(coverage);
          if (warning) lines.push(warning);
          return { replies: [text(lines.join('\n'))] };
        }
        if (!isLocalDate(ctx.args))
          return { replies: [text('日期格式应为 YYYY-MM-DD，例如：工作日 2026-10-08')] };
        try {
          const info = calendar.dayInfo(ctx.args);
          const lines = [`${calendar.describe(ctx.args)}：${info.isWorkingDay ? '工作日' : '休息日'}`];
          if (info.provisional) lines.push(provisionalDayNote(yearOf(ctx.args)));
          return { replies: [text(lines.join('\n'))] };
        } catch (error) {
          if (error instanceof CalendarNotPublishedError) return { replies: [text(`${error.message}。`)] };
          throw error;
        }
      },
    },
  ],
};
