// Composition root: config → database → (sandbox) → runtime → listen → jobs; graceful shutdown.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { CALLBACK_PATH } from './app.js';
import { loadConfig, type Config } from './config.js';
import { httpServer } from './http.js';
import { configuredDatabaseTarget, openDatabase } from './db/data-source.js';
import { ensureMenu } from './bot/menu.js';
import { buildMenu } from './handlers/menu.js';
import { startScheduler } from './jobs/schedule.js';
import type { Scheduler } from './jobs/scheduler.js';
import { createLogger } from './logger.js';
import { createRuntime, type Runtime } from './runtime.js';
import { sampleUserLines, seedDemoIfEmpty } from './services/directory/demo.js';
import { serveDirectorySites } from './sandbox/unit-sites/index.js';
import { maskPiiForLog } from './services/pii/detector.js';
import { readSandboxFile, startSandbox, writeSandboxFile, type RunningSandbox } from './sandbox/sandbox.js';

export interface RunningBot {
  config: Readonly<Config>;
  runtime: Runtime;
  server: Server;
  url: string;
  sandbox: RunningSandbox | undefined;
  stop(): Promise<void>;
}

export async function serve(env: Record<string, string | undefined> = process.env): Promise<RunningBot> {
  const config = loadConfig(env);
  const logger = createLogger({
    level: config.logLevel,
    maskText: maskPiiForLog,
    // Never written, wherever they turn up (an error message, a URL, a query parameter).
    secrets: [
      config.wecom?.secret,
      config.wecom?.token,
      config.wecom?.encodingAesKey,
      config.sessionSecret,
      config.inboundSealKey,
      databasePassword(config.databaseUrl),
    ],
  });
  const target = configuredDatabaseTarget(config);
  if (target.kind === 'sqlite') {
    logger.warn({ path: target.path }, '使用内置 SQLite（仅供试用）；生产环境请设置 DATABASE_URL=mysql://…');
  }
  const dataSource = await openDatabase(target);
  let sandbox: RunningSandbox | undefined;
  try {
    if (config.mode === 'sandbox') {
      sandbox = await startSandbox(
        config.dataDir,
        config.sandboxApiPort ?? (config.port === 0 ? 0 : config.port + 1),
      );
    }
    // Sandbox on an empty database: a fictional directory to try the bot with, and its sites.
    const demo = config.mode === 'sandbox' ? await seedDemoIfEmpty(dataSource, logger) : undefined;
    if (sandbox) sandbox.unitSites = await serveDirectorySites(dataSource, new Date());
    const credentials = config.wecom ?? sandbox!.credentials;
    const runtime = createRuntime({
      config,
      dataSource,
      credentials,
      apiBase: sandbox?.apiBase ?? config.apiBase,
      logger,
      // One content worker is started now: the first file sent does not wait for it.
      content: { keepWarm: true },
    });
    const server = httpServer(runtime.app);
    // Slow or trickled requests are cut off instead of holding sockets open.
    server.requestTimeout = 15_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
    const port = (server.address() as AddressInfo).port;
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

    runtime.outbox.start();
    const scheduler = await startScheduler(runtime.jobDeps);
    await ensureMenu(runtime.api, buildMenu(menuBoardUrl(config, url, logger)), logger);
    if (sandbox) {
      writeSandboxFile(config.dataDir, {
        ...readSandboxFile(config.dataDir)!,
        callbackUrl: `${url}${CALLBACK_PATH}`,
      });
    }
    printBanner(logger, config, url, sandbox, demo ? sampleUserLines(demo) : []);
    const bot: RunningBot = {
      config,
      runtime,
      server,
      url,
      sandbox,
      stop: () => shutdown(server, scheduler, runtime, dataSource, sandbox, logger),
    };
    return bot;
  } catch (error) {
    await sandbox?.close();
    await dataSource.destroy();
    throw error;
  }
}

async function shutdown(
  server: Server,
  scheduler: Scheduler,
  runtime: Runtime,
  dataSource: DataSource,
  sandbox: RunningSandbox | undefined,
  logger: Logger,
): Promise<void> {
  logger.info('正在停止 / shutting down');
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  await scheduler.stop();
  await runtime.outbox.stop();
  await runtime.close();
  await sandbox?.close();
  await dataSource.destroy();
}

function printBanner(
  logger: Logger,
  config: Readonly<Config>,
  url: string,
  sandbox: RunningSandbox | undefined,
  sampleUsers: string[],
): void {
  const lines = [
    '',
    `督办助手已启动：${url}  （回调地址 ${url}${CALLBACK_PATH}，健康检查 ${url}/healthz）`,
    `进度看板：${config.publicBaseUrl ?? url}/board（企业微信登录${sandbox ? '，沙箱中输入要扮演的成员账号' : ''}）`,
    sandbox
      ? `沙箱模式：未配置 WECOM_SECRET，使用内置的模拟企业微信接口 ${sandbox.apiBase}（凭据保存在 ${config.dataDir}/sandbox.json）`
      : `正式模式：企业 ${config.wecom?.corpId}，应用 ${config.wecom?.agentId}，接口 ${config.apiBase}`,
  ];
  if (sandbox) lines.push('在另一个终端与机器人对话：npx duban chat --as <userid>', ...sampleUsers, '');
  process.stdout.write(`${lines.join('\n')}\n`);
  logger.info({ url, mode: config.mode }, 'duban started');
}

function databasePassword(url: string | undefined): string | undefined {
  if (!url || url.startsWith('sqlite:')) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the menu's 进度看板 points: PUBLIC_BASE_URL's board; in the sandbox the local one. A live
 * bot without PUBLIC_BASE_URL has no address a phone can open, so the entry shows 进度 in chat.
 */
function menuBoardUrl(config: Readonly<Config>, localUrl: string, logger: Logger): string | undefined {
  if (config.publicBaseUrl) return `${config.publicBaseUrl}/board`;
  if (config.mode === 'sandbox') return `${localUrl}/board`;
  logger.warn(
    '未设置 PUBLIC_BASE_URL：菜单“进度看板”改为在聊天中显示进度 / PUBLIC_BASE_URL not set: the menu shows 进度 in chat instead of the board',
  );
  return undefined;
}
