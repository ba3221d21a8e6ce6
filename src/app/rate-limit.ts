// Fair share: a per-member token bucket on callbacks. A member within the limit notices nothing; a
// runaway client (a script, a stuck phone) gets a polite refusal at most once a minute, its further
// deliveries are recorded (nothing is lost: status `throttled`) but not handled, and everyone else
// is unaffected.
//
// The buckets live in this process. With two instances behind the proxy a member's callbacks are
// shared between them, so each instance sees about half; the limit is per instance on purpose:
// what it protects is per instance (its event loop, its content workers, its database connections),
// and a throttled delivery costs the shared database one INSERT. A runaway client may therefore be
// told once a minute by each instance.
import type { Clock } from '../clock.js';

export interface RateLimitOptions {
  /** Sustained callbacks per minute per member (0 turns the limit off). */
  perMinute: number;
  /** Callbacks a member may send at once before the sustained rate applies. */
  burst: number;
}

export type RateDecision = 'allow' | 'refuse-and-tell' | 'refuse';

export const RATE_LIMITED_TEXT = '您发送得太快了，最近的消息未处理。请稍等一分钟后再发送。';

const TELL_EVERY_MS = 60_000;
/** Buckets of members silent this long are forgotten (they would be full again anyway). */
const FORGET_AFTER_MS = 10 * 60_000;

interface Bucket {
  tokens: number;
  at: number;
  toldAt: number;
}

export class MemberRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private sweptAt = 0;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: Clock,
  ) {}

  check(member: string): RateDecision {
    if (this.options.perMinute <= 0) return 'allow';
    const now = this.clock.now().getTime();
    this.forgetIdle(now);
    const bucket = this.buckets.get(member) ?? { tokens: this.options.burst, at: now, toldAt: -Infinity };
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + ((now - bucket.at) * this.options.perMinute) / 60_000,
    );
    bucket.at = now;
    this.buckets.set(member, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'allow';
    }
    if (now - bucket.toldAt >= TELL_EVERY_MS) {
      bucket.toldAt = now;
      return 'refuse-and-tell';
    }
    return 'refuse';
  }

  private forgetIdle(now: number): void {
    if (now - this.sweptAt < FORGET_AFTER_MS) return;
    this.sweptAt = now;
    for (const [member, bucket] of this.buckets) {
      if (now - bucket.at > FORGET_AFTER_MS) this.buckets.delete(member);
    }
  }
}
