import { afterAll, beforeAll, expect } from 'vitest';

/**
 * The process time zones every calendar and deadline table runs under: the answers must not depend on
 * the machine's TZ. Node re-reads process.env.TZ when it is assigned, so switching it per describe
 * block is enough (each block checks that the switch really took effect).
 */
export const TIME_ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York'] as const;
export type TestTimeZone = (typeof TIME_ZONES)[number];

/** `new Date(2026, 0, 1).getTimezoneOffset()` in each zone (New York is on standard time in January). */
const JANUARY_OFFSET_MINUTES: Record<TestTimeZone, number> = {
  UTC: 0,
  'Asia/Shanghai': -480,
  'America/New_York': 300,
};

/** Runs the enclosing describe block with process.env.TZ set to `zone`, restoring it afterwards. */
export function useProcessTimeZone(zone: TestTimeZone): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.TZ;
    process.env.TZ = zone;
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(JANUARY_OFFSET_MINUTES[zone]);
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
}

/** Runs `fn` with process.env.TZ set to `zone` (for comparing answers across zones in one test). */
export function inProcessTimeZone<T>(zone: TestTimeZone, fn: () => T): T {
  const previous = process.env.TZ;
  process.env.TZ = zone;
  try {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(JANUARY_OFFSET_MINUTES[zone]);
    return fn();
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}
