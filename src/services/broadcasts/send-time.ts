/**
 * When a scheduled notice (定时通知) actually leaves, and the next time it runs.
 *
 * The path, measured in the sandbox (README "定时通知"): the broadcasts job runs at second 0 of every
 * minute and queues the due notices; the outbox dispatcher, kicked by that commit (and polling every
 * 2 seconds), sends them within a second or two; one call carries up to 1,000 recipients, and a
 * member's 30 a minute are far from reached by a notice. What delayed notices by 1–5 minutes was a
 * spread over 60–300 s after the minute, meant to keep WeCom's advice to avoid sending at minute :00
 * and :30 (wecom-api.md §3.4). The spread is now used only for those two minutes and only over the
 * next minute: a notice set for 09:00 leaves 09:01–09:02, one set for 09:07 leaves at 09:07.
 */
import { createHash } from 'node:crypto';
import { shanghaiDateTimeParts } from '../calendar/time.js';

/** Seconds after the chosen minute that a notice set for :00 or :30 may wait (one minute). */
export const PEAK_SPREAD_SECONDS = 60;
/** The dispatcher's polling interval plus the job's own run: the most a notice lags otherwise. */
export const DISPATCH_LAG_SECONDS = 60;

/** WeCom advises against minute :00 and :30 of every hour (delivery is slower then). */
export function isPeakMinute(at: Date): boolean {
  const { minute } = shanghaiDateTimeParts(at);
  return minute === 0 || minute === 30;
}

/**
 * The earliest the outbox may send an occurrence: inside the minute after a :00/:30 occurrence,
 * at a second fixed by `key` (so that every recipient's row of one notice goes out in one call);
 * otherwise undefined (at once).
 */
export function broadcastNotBefore(occurrence: Date, key: string): Date | undefined {
  if (!isPeakMinute(occurrence)) return undefined;
  const offset = parseInt(createHash('sha1').update(key).digest('hex').slice(0, 8), 16) % PEAK_SPREAD_SECONDS;
  const minute = Math.floor(occurrence.getTime() / 60_000) * 60_000;
  return new Date(minute + (60 + offset) * 1000);
}

export interface SendWindow {
  from: Date;
  to: Date;
  /** True when the notice waits for the minute after :00/:30. */
  avoidsPeak: boolean;
}

/** When an occurrence set for `at` reaches WeCom: the minute after a peak minute, or `at` itself. */
export function sendWindow(at: Date): SendWindow {
  const minute = Math.floor(at.getTime() / 60_000) * 60_000;
  if (isPeakMinute(at)) {
    return { from: new Date(minute + 60_000), to: new Date(minute + 120_000), avoidsPeak: true };
  }
  return { from: new Date(minute), to: new Date(minute + DISPATCH_LAG_SECONDS * 1000), avoidsPeak: false };
}
