// npm run bench:profile: where the bot's CPU goes at saturation. Starts the bot as deployed
// (`duban serve`, live mode, MariaDB at BENCH_DATABASE_URL) under `node --cpu-prof`, warms it up,
// drives it at saturation (autocannon, 50 connections, `我的任务` from 700 liaisons, every request a
// new delivery) for PROFILE_SECONDS (default 10), stops it so V8 writes the profile, and prints
// self time by component (our bundle, TypeORM, mysql2, koa, crypto, GC…) and the top functions.
// PROFILE_OUT keeps the .cpuprofile (open it in Chrome DevTools). Not part of npm test.
import { mkdtempSync, readdirSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCredentials } from '../src/sandbox/sandbox.js';
import { resetDatabase } from './lib/database.js';
import { prepareTextCallbacks, runLoad, runPacedLoad } from './lib/load.js';
import { startBot, startFake } from './lib/processes.js';
import { seedLiaisons } from './lib/seed.js';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/duban_bench';
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const PORTS = { bot: 3910, fake: 3911 };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the process a frame belongs to, by its script's address. */
function component(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 (program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    if (pkg === 'typeorm') return 'TypeORM';
    if (pkg === 'mysql2' || pkg === 'sqlstring' || pkg === 'lru.min' || pkg === 'iconv-lite') return 'mysql2';
    if (pkg.startsWith('koa') || pkg.startsWith('@koa') || pkg === 'raw-body' || pkg === 'co-body')
      return 'koa';
    if (pkg === '@wecom/crypto') return '@wecom/crypto';
    if (pkg === 'pino' || pkg.startsWith('pino-') || pkg === 'sonic-boom') return 'pino';
    if (pkg === 'prom-client') return 'prom-client';
    return `other packages (${pkg})`;
  }
  if (/dist\/cli\.mjs|\/src\//.test(url)) return 'duban';
  if (url.startsWith('node:')) {
    if (/node:(net|_http|http|stream|internal\/stream|internal\/streams)/.test(url))
      return 'node: net/http/streams';
    if (/crypto/.test(url)) return 'node: crypto';
    return 'node: other';
  }
  if (url === '') return 'native / V8 builtins';
  return 'other';
}

function summarise(profile: CpuProfile): {
  total: number;
  busy: number;
  rows: [string, number][];
  top: [string, number][];
} {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byComponent = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of self) {
    const node = byId.get(id)!;
    total += micros;
    const part = component(node);
    byComponent.set(part, (byComponent.get(part) ?? 0) + micros);
    if (part === 'idle') continue;
    const file = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist|src)\//, '$1/');
    const name = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const busy = total - (byComponent.get('idle') ?? 0);
  const rows = [...byComponent].filter(([part]) => part !== 'idle').sort((a, b) => b[1] - a[1]);
  const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return { total, busy, rows, top };
}

async function main(): Promise<void> {
  const credentials = generateCredentials();
  const dataSource = await resetDatabase(DATABASE_URL);
  const userids = await seedLiaisons(dataSource);
  await dataSource.destroy();
  const dir = mkdtempSync(join(tmpdir(), 'duban-prof-'));
  const fake = await startFake({ port: PORTS.fake, credentials });
  const bot = await startBot({
    port: PORTS.bot,
    databaseUrl: DATABASE_URL,
    credentials,
    apiBase: fake.url,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  let rps: number;
  try {
    await runPacedLoad('warm-up', bot.url, prepareTextCallbacks(credentials, userids, '我的任务', 600), {
      rate: 100,
      durationS: 5,
      connections: 64,
    });
    const result = await runLoad(
      'profile',
      bot.url,
      prepareTextCallbacks(credentials, userids, '我的任务', 15000 * SECONDS),
      {
        durationS: SECONDS,
        connections: 50,
      },
    );
    rps = result.rps;
  } finally {
    await bot.stop('SIGTERM');
    await fake.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  if (process.env.PROFILE_OUT) copyFileSync(join(dir, file), process.env.PROFILE_OUT);
  const { total, busy, rows, top } = summarise(
    JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile,
  );
  const pct = (micros: number) => `${((micros / busy) * 100).toFixed(1)}%`;
  const lines = [
    `saturation during the profile: ${rps} req/s (profiling slows the bot; compare shares, not speed)`,
    `profiled ${(total / 1e6).toFixed(1)} s, busy ${((busy / total) * 100).toFixed(0)}% of it; shares of busy time:`,
    ...rows
      .filter(([, micros]) => micros / busy >= 0.002)
      .map(([part, micros]) => `  ${part.padEnd(36)} ${pct(micros).padStart(6)}`),
    'top functions (self time):',
    ...top.map(([name, micros]) => `  ${pct(micros).padStart(6)}  ${name}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
