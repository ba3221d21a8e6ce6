// GET /metrics in Prometheus' text format, for the clients ./access.ts lets in.
import type Koa from 'koa';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock.js';
import { metricsAccess } from './access.js';
import { refreshOutboxGauges } from './outbox-gauges.js';
import { registry } from './registry.js';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  dataSource: DataSource;
  clock: Clock;
  /** METRICS_TOKEN; undefined: loopback clients only. */
  token: string | undefined;
}

export function metricsRoute(options: MetricsRouteOptions): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path !== METRICS_PATH) {
      await next();
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    const access = metricsAccess(
      {
        remoteAddress: ctx.req.socket.remoteAddress,
        authorization: ctx.get('authorization') || undefined,
        forwarded: Boolean(ctx.get('forwarded') || ctx.get('x-forwarded-for') || ctx.get('x-real-ip')),
      },
      options.token,
    );
    if (access === 'bad-token') {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      ctx.type = 'text/plain';
      ctx.body = 'unauthorized';
      return;
    }
    if (access === 'not-local') {
      ctx.status = 403;
      ctx.type = 'text/plain';
      ctx.body = 'metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere';
      return;
    }
    await refreshOutboxGauges(options.dataSource, options.clock);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  };
}
