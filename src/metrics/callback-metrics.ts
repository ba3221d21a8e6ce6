// Koa middleware around the WeCom callback: counts each answer by outcome and times it. It sits
// outside the error handler, so an unexpected error is counted as the 500 it became.
import type Koa from 'koa';
import { callbackDuration, callbacks, type CallbackOutcome } from './metrics.js';

export function callbackOutcome(method: string, status: number, body: unknown): CallbackOutcome {
  if (status === 200) {
    if (method === 'GET') return 'verified';
    return body === '' || body === undefined || body === null ? 'empty' : 'passive';
  }
  if (status === 503) return 'unavailable';
  if (status >= 400 && status < 500) return 'rejected';
  return 'error';
}

export function callbackMetrics(path: string): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== path) {
      await next();
      return;
    }
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const outcome = callbackOutcome(ctx.method, ctx.status, ctx.body);
      callbacks.inc({ outcome, status: String(ctx.status) });
      callbackDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
