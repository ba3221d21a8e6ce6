// Wires the parts together (no listening, no timers): used by `serve`, the tests and the scripts.
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createApp } from './app.js';
import { WeComApi } from './bot/api-client.js';
import { boardRoutes } from './board/routes.js';
import { CookieSigner, deriveSessionKey } from './board/session.js';
import { createCallbackHandler } from './bot/callback.js';
import { InboundDispatcher } from './app/pipeline.js';
import { MemberRateLimiter } from './app/rate-limit.js';
import { OutboxDispatcher, type DispatcherOptions } from './bot/outbox.js';
import { TokenProvider } from './bot/token-provider.js';
import { systemClock, type Clock } from './clock.js';
import type { Config, WeComCredentials } from './config.js';
import { buildRouter } from './handlers/index.js';
import type { Router } from './handlers/router.js';
import type { JobDeps } from './jobs/types.js';
import { CalendarProvider } from './services/calendar/provider.js';
import { metricsRoute } from './metrics/route.js';
import { ContentService, type ContentServiceOptions } from './services/content/service.js';
import type { AppDeps } from './services/index.js';

export interface RuntimeOptions {
  config: Readonly<Config>;
  dataSource: DataSource;
  credentials: WeComCredentials;
  apiBase: string;
  /** WeCom's OAuth host for the board; by default config.oauthBase, or apiBase in sandbox mode. */
  oauthBase?: string;
  logger: Logger;
  clock?: Clock;
  outbox?: DispatcherOptions;
  apiTimeoutMs?: number;
  /** Replaces the standard routes (tests that need a handler of their own). */
  router?: Router;
  /** Limits of the content worker pool (tests use small ones). */
  content?: Partial<ContentServiceOptions>;
}

export interface Runtime {
  app: Koa;
  dataSource: DataSource;
  api: WeComApi;
  tokens: TokenProvider;
  outbox: OutboxDispatcher;
  inbound: InboundDispatcher;
  router: Router;
  deps: AppDeps;
  jobDeps: JobDeps;
  /** Ends what the runtime started besides the database (the content workers). */
  close(): Promise<void>;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const clock = options.clock ?? systemClock;
  const { credentials, dataSource, logger } = options;
  const api = new WeComApi({
    baseUrl: options.apiBase,
    corpId: credentials.corpId,
    secret: credentials.secret,
    agentId: credentials.agentId,
    logger,
    timeoutMs: options.apiTimeoutMs,
  });
  const tokens = new TokenProvider(
    dataSource,
    `${credentials.corpId}:${credentials.agentId}`,
    () => api.fetchToken(),
    clock,
  );
  api.useTokenProvider(tokens);
  const outbox = new OutboxDispatcher(dataSource, api, clock, logger, {
    leaseMs: options.config.outboxLeaseSeconds * 1000,
    ...options.outbox,
  });
  const router = options.router ?? buildRouter();
  const deps: AppDeps = {
    config: options.config,
    clock,
    logger,
    fetchMedia: (mediaId, maxBytes) => api.getMedia(mediaId, maxBytes),
    // The sandbox's pages are local; a live bot reads addresses inside its own network, and ports
    // other than 80 and 443, only where FETCH_ALLOW says so (CONTENT_FETCH_PRIVATE_HOSTS, refused
    // in production, lets the fault suite serve a page locally).
    content: new ContentService({
      allowPrivateHosts: options.config.mode === 'sandbox' || options.config.fetchPrivateHosts,
      allow: options.config.fetchAllow,
      ...options.config.contentLimits,
      onWorkerError: (error) => logger.warn({ err: error }, 'content worker ended'),
      ...options.content,
    }),
    calendar: new CalendarProvider(dataSource, clock),
  };
  const inbound = new InboundDispatcher(dataSource, router, deps, {
    onOutbox: () => outbox.kick(),
    recoverAfterMs: options.config.inboundRecoverySeconds * 1000,
    rateLimiter: new MemberRateLimiter(options.config.memberRate, clock),
    sharedCommitSlots: options.config.sharedCommitSlots,
  });
  const callback = createCallbackHandler({
    secrets: {
      token: credentials.token,
      encodingAesKey: credentials.encodingAesKey,
      corpId: credentials.corpId,
    },
    maxSkewSeconds: options.config.callbackMaxSkewSeconds,
    clock,
    logger,
    dispatcher: inbound,
  });
  const board = boardRoutes({
    dataSource,
    config: options.config,
    api,
    corpId: credentials.corpId,
    agentId: credentials.agentId,
    // The sandbox's fake WeCom also plays WeCom's sign-in page.
    oauthBase:
      options.oauthBase ?? (options.config.mode === 'sandbox' ? options.apiBase : options.config.oauthBase),
    signer: new CookieSigner(deriveSessionKey(options.config.sessionSecret ?? credentials.secret)),
    calendar: deps.calendar,
    clock,
    logger,
  });
  const routes = [metricsRoute({ dataSource, clock, token: options.config.metricsToken }), board];
  const app = createApp({
    dataSource,
    logger,
    mode: options.config.mode,
    trustProxy: options.config.trustProxy,
    callback,
    routes,
  });
  const jobDeps: JobDeps = {
    dataSource,
    config: options.config,
    clock,
    logger,
    outbox,
    inbound,
    calendar: deps.calendar,
    content: deps.content,
  };
  return {
    app,
    dataSource,
    api,
    tokens,
    outbox,
    inbound,
    router,
    deps,
    jobDeps,
    close: () => deps.content.close(),
  };
}
