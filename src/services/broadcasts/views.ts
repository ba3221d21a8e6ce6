// The words of scheduled notices about time: when the next one runs and when it really leaves.
import { formatDateTime, shanghaiDateTimeParts, type LocalDate } from '../calendar/time.js';
import { sendWindow } from './send-time.js';

const clock = (at: Date) => {
  const { hour, minute } = shanghaiDateTimeParts(at);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
};

/**
 * `下次发送：2026-12-07（周一）09:00，约 09:01–09:02 发出（…）`: the run, and the sentence that
 * tells the truth about the send (see send-time.ts for what it rests on).
 */
export function nextSendLine(next: Date): string {
  const window = sendWindow(next);
  const when = window.avoidsPeak
    ? `约 ${clock(window.from)}–${clock(window.to)} 发出（企业微信建议避开整点和半点发送，整点、半点的通知顺延到下一分钟内发出）`
    : `约 ${clock(window.from)} 发出（每分钟检查一次，到点后 1 分钟内发出）`;
  return `下次发送：${formatDateTime(next)}，${when}`;
}

// No date with a year: a fixed example is past some day (see calendar/date-replies.ts).
export const SCHEDULE_EXAMPLES =
  '明天9:00、下周一9:00、12月31日9:00，或 每天9:00、每个工作日9:00、每周一9:00、每月1日9:00';

// A schedule as it is shown and stored (broadcast.schedule_text): `每个工作日 09:00`, `2026-12-01 09:00`.

const hm = (t: { hour: number; minute: number }) =>
  `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
const WEEKDAY_NAMES = ['日', '一', '二', '三', '四', '五', '六'];

export function dailyScheduleText(workingDaysOnly: boolean, t: { hour: number; minute: number }): string {
  return `${workingDaysOnly ? '每个工作日' : '每天'} ${hm(t)}`;
}

/** `weekday`: 0 for Sunday (the cron's). */
export function weeklyScheduleText(weekday: number, t: { hour: number; minute: number }): string {
  return `每周${WEEKDAY_NAMES[weekday]} ${hm(t)}`;
}

export function monthlyScheduleText(day: number, t: { hour: number; minute: number }): string {
  return `每月${day}日 ${hm(t)}`;
}

export function onceScheduleText(date: LocalDate, t: { hour: number; minute: number }): string {
  return `${date} ${hm(t)}`;
}
