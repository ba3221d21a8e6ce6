// The words of scheduled notices about time: when the next one runs and when it really leaves.
import { formatDateTime, shanghaiDateTimeParts } from '../calendar/time.js';
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
