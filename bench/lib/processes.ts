// Child processes for the benchmark and fault runs: the bot itself (as deployed: `duban serve`),
// the fake WeCom API and the bare baseline server, each in its own process so that their CPU and
// memory are their own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WeComCredentials } from '../../src/config.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface Child {
  process: ChildProcess;
  url: string;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** Current resident set size (VmRSS), in MB. */
  rssMb(): number;
  /** Starts peak measurement afresh (writes 5 to /proc/<pid>/clear_refs). */
  resetPeak(): void;
  /** CPU time used so far by the process and its descendants (tsx runs node as a child), in ms. */
  cpuMs(): number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux everywhere). */
const TICKS_PER_SECOND = 100;

/** Every process now, from /proc/<pid>/stat: its name, parent and user + system ticks. */
function processTable(): Map<number, { name: string; parent: number; ticks: number }> {
  const table = new Map<number, { name: string; parent: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), {
        name,
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // Gone meanwhile.
    }
  }
  return table;
}

/** CPU ms of `pid` and everything below it. */
export function treeCpuMs(pid: number): number {
  const table = processTable();
  let ticks = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop()!;
    ticks += table.get(current)?.ticks ?? 0;
    for (const [child, { parent }] of table) if (parent === current) pending.push(child);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU ms used so far by the database server on this host (mariadbd or mysqld); 0 if not local. */
export function databaseCpuMs(): number {
  let ticks = 0;
  for (const { name, ticks: used } of processTable().values())
    if (name === 'mariadbd' || name === 'mysqld') ticks += used;
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function memory(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return 0;
  }
}

/** Waits until `url` answers (any HTTP status) or the process dies. */
async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`process exited with ${child.exitCode} before answering ${url}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

function wrap(child: ChildProcess, url: string): Child {
  const pid = child.pid!;
  return {
    process: child,
    url,
    peakRssMb: () => memory(pid, 'VmHWM'),
    rssMb: () => memory(pid, 'VmRSS'),
    cpuMs: () => treeCpuMs(pid),
    resetPeak: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not permitted here: the peak then includes start-up.
      }
    },
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

function run(script: string, args: string[], env: Record<string, string>, quiet = true): ChildProcess {
  const child = spawn(TSX, [script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
  });
  return child;
}

export interface FakeOptions {
  port: number;
  credentials: WeComCredentials;
}

export async function startFake(options: FakeOptions): Promise<Child> {
  const child = run(join(ROOT, 'bench', 'fake-server.ts'), [], {
    FAKE_PORT: String(options.port),
    FAKE_CREDENTIALS: JSON.stringify(options.credentials),
  });
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${url}/sandbox/stats`, child);
  return wrap(child, url);
}

export interface BotOptions {
  port: number;
  databaseUrl: string;
  credentials: WeComCredentials;
  apiBase: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. ['--cpu-prof'] to profile the bot. */
  nodeArgs?: string[];
}

/** The bot as deployed (`duban serve`, live mode) against the fake WeCom API. */
export async function startBot(options: BotOptions): Promise<Child> {
  const { credentials } = options;
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), join(ROOT, 'bin', 'duban.mjs'), 'serve'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(options.port),
        HOST: '127.0.0.1',
        DATABASE_URL: options.databaseUrl,
        WECOM_CORP_ID: credentials.corpId,
        WECOM_AGENT_ID: String(credentials.agentId),
        WECOM_SECRET: credentials.secret,
        WECOM_TOKEN: credentials.token,
        WECOM_ENCODING_AES_KEY: credentials.encodingAesKey,
        WECOM_API_BASE: options.apiBase,
        // A live bot refuses to start without its own board key and address.
        SESSION_SECRET: randomBytes(32).toString('base64url'),
        PUBLIC_BASE_URL: 'https://duban.bench.invalid',
        LOG_LEVEL: 'error',
        NODE_ENV: 'production',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${url}/healthz`, child, 60_000);
  return wrap(child, url);
}

/** The bare baseline; with `durableDatabaseUrl`, the durable one (one INSERT per delivery). */
export async function startBare(
  port: number,
  credentials: WeComCredentials,
  durableDatabaseUrl?: string,
): Promise<Child> {
  const child = run(join(ROOT, 'bench', 'bare-server.ts'), [], {
    BARE_PORT: String(port),
    FAKE_CREDENTIALS: JSON.stringify(credentials),
    ...(durableDatabaseUrl ? { DURABLE_DATABASE_URL: durableDatabaseUrl } : {}),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, child);
  return wrap(child, url);
}
