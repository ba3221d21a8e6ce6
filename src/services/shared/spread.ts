import { createHash } from 'node:crypto';

/**
 * When a scheduled message should go out: not at the top of the minute (WeCom advises avoiding
 * :00 and :30, when delivery is slow), but spread over the next few minutes. The time depends only
 * on `key`: pass the content (not the recipient), so that identical messages still go out together
 * and merge into one call.
 */
export function spreadSendTime(base: Date, key: string, windowSeconds = 240): Date {
  const offset = parseInt(createHash('sha1').update(key).digest('hex').slice(0, 8), 16) % windowSeconds;
  return new Date(base.getTime() + (60 + offset) * 1000);
}
