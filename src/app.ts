// The koa app: the WeCom callback and /healthz (more routes join as features land). It never
// listens itself: main.ts does, and tests use app.callback() or a port of their own.
import Koa from 'koa';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { outboxCounts } from './outbox/queue.js';
import { callbackMetrics } from './metrics/callback-metrics.js';

export interface AppOptions {
  dataSource: DataSource;
  logger: Logger;
  mode: 'live' | 'sandbox';
  /**
   * How many reverse proxies stand in front (TRUST_PROXY): only then are X-Forwarded-For/-Proto/-Host
   * believed, and of X-Forwarded-For only the addresses those proxies added.
   */
  trustProxy?: number;
  callback: (ctx: Koa.Context) => Promise<void>;
  /** Extra routes (the board, …), tried before the 404. */
  routes?: ((ctx: Koa.Context, next: Koa.Next) => Promise<void>)[];
}

export const CALLBACK_PATH = '/wecom/callback';

export function createApp(options: AppOptions): Koa {
  const app = new Koa();
  const hops = options.trustProxy ?? 0;
  app.proxy = hops > 0;
  app.maxIpsCount = hops;
  app.on('error', (error: Error) => options.logger.error({ err: error }, 'http error'));
  app.use(callbackMetrics(CALLBACK_PATH));

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      options.logger.error({ err: error, path: ctx.path }, 'unhandled request error');
      ctx.status = 500;
      ctx.type = 'text/plain';
      ctx.body = 'internal error';
    }
  });

  app.use(async (ctx, next) => {
    if (ctx.path === CALLBACK_PATH) await options.callback(ctx);
    else if (ctx.path === '/healthz' && ctx.method === 'GET') await health(ctx, options);
    else await next();
  });
  for (const route of options.routes ?? []) app.use(route);
  return app;
}

async function health(ctx: Koa.Context, options: AppOptions): Promise<void> {
  try {
    await options.dataSource.query('SELECT 1');
    const outbox = await outboxCounts(options.dataSource);
    ctx.body = { db: 'ok', outbox, mode: options.mode };
  } catch {
    ctx.status = 503;
    ctx.body = { db: 'down', mode: options.mode };
  }
}
