import { createHash } from 'node:crypto';

/**
 * When a scheduled fan-out should reach one recipient: not in the burst at the top of the minute
 * (WeCom advises avoiding :00 and :30), but spread over a few minutes, the same for the same key.
 */
export function spreadSendTime(base: Date, key: string, windowSeconds = 240): Date {
  const offset = parseInt(createHash('sha1').update(key).digest('hex').slice(0, 8), 16) % windowSeconds;
  return new Date(base.getTime() + (60 + offset) * 1000);
}
