// npm run chaos: the fault suite. Each scenario does something unkind to the bot and then checks
// that nothing was lost and nothing doubled. Prints what it tried and what it saw; exits non-zero
// on any loss. Needs MariaDB (CHAOS_DATABASE_URL, default mysql://root@127.0.0.1:3306/duban_chaos,
// dropped and recreated) and, for the restart scenario, permission to stop and start mariadbd.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import mysql2 from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { computeSignature, encryptMessage } from '../src/bot/crypto.js';
import { text } from '../src/messages/outbound.js';
import { enqueue, messagesToItems } from '../src/outbox/queue.js';
import { ManualClock } from '../src/clock.js';
import type { WeComCredentials } from '../src/config.js';
import { openDatabase } from '../src/db/data-source.js';
import { Broadcast } from '../src/entities/broadcast.js';
import { InboundMessage } from '../src/entities/inbound-message.js';
import { JobRun } from '../src/entities/job-run.js';
import { OutboxMessage } from '../src/entities/outbox-message.js';
import { Person } from '../src/entities/person.js';
import { StoredFile } from '../src/entities/stored-file.js';
import { Unit } from '../src/entities/unit.js';
import { SCHEDULE } from '../src/jobs/schedule.js';
import { Scheduler } from '../src/jobs/scheduler.js';
import { silentLogger } from '../src/logger.js';
import { createRuntime } from '../src/runtime.js';
import { WeComCallbackClient, newMsgId } from '../src/sandbox/callback-client.js';
import { generateCredentials } from '../src/sandbox/sandbox.js';
import { loadConfig } from '../src/config.js';
import { resetDatabase } from './lib/database.js';
import { prepareTextCallbacks, runPacedLoad, type LoadResult } from './lib/load.js';
import { ROOT, startBot, startFake, type Child } from './lib/processes.js';

const DATABASE_URL = process.env.CHAOS_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/duban_chaos';
const PORTS = { bot: 3910, fake: 3911, pages: 3912 };
const BOT_ENV = { OUTBOX_LEASE_S: '5', INBOUND_RECOVERY_S: '5' };

interface Verdict {
  scenario: string;
  tried: string;
  saw: string[];
  ok: boolean;
}

const verdicts: Verdict[] = [];

function report(verdict: Verdict): void {
  verdicts.push(verdict);
  process.stdout.write(
    `\n${verdict.ok ? '✔' : '✘'} ${verdict.scenario}\n  做了：${verdict.tried}\n${verdict.saw.map((s) => `  看到：${s}`).join('\n')}\n`,
  );
}

async function seedPeople(dataSource: DataSource, count: number, prefix: string): Promise<string[]> {
  const unit = await dataSource
    .getRepository(Unit)
    .save({ name: `${prefix}单位`, kind: 'department', parentId: null, active: true });
  const userids = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(5, '0')}`);
  for (let i = 0; i < userids.length; i += 1000) {
    await dataSource.getRepository(Person).insert(
      userids.slice(i, i + 1000).map((userid) => ({
        userid,
        name: userid,
        unitId: unit.id,
        role: 'liaison' as const,
        mobile: null,
        active: true,
      })),
    );
  }
  return userids;
}

interface FakeStats {
  deliveries: number;
  duplicates: number;
  dropped: number;
  suppressed: number;
  calls: Record<string, number>;
  maxPerMemberPerMinute: number;
}

async function fakeStats(fake: Child): Promise<FakeStats> {
  return (await (await fetch(`${fake.url}/sandbox/stats`)).json()) as FakeStats;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, stepMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return check();
}

async function outboxOpen(dataSource: DataSource): Promise<number> {
  return dataSource
    .getRepository(OutboxMessage)
    .count({ where: [{ status: 'pending' }, { status: 'sending' }] });
}

// ---------------------------------------------------------------------------------------------
// 1. kill -9 in the middle of a 5,000-message broadcast

async function killDuringBroadcast(
  dataSource: DataSource,
  credentials: WeComCredentials,
  fake: Child,
): Promise<void> {
  const members = await seedPeople(dataSource, 5000, 'k');
  const before = await fakeStats(fake);
  // Slow WeCom down so that the bot is killed with calls in flight.
  await fetch(`${fake.url}/sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({ count: 40, fault: { kind: 'delay', ms: 400 }, path: '/cgi-bin/message/send' }),
  });
  // Distinct notices (no merging), so there are many calls to be in the middle of.
  await dataSource.transaction((tx) =>
    enqueue(
      tx,
      members.flatMap((to, i) =>
        messagesToItems(to, [text(`紧急通知 ${i + 1}`)], { keyPrefix: `kill:${i}`, source: 'chaos' }),
      ),
      new Date(),
    ),
  );
  let bot = await startBot({
    port: PORTS.bot,
    databaseUrl: DATABASE_URL,
    credentials,
    apiBase: fake.url,
    env: BOT_ENV,
  });
  await waitFor(async () => (await fakeStats(fake)).deliveries - before.deliveries > 300, 30_000, 50);
  const atKill = (await fakeStats(fake)).deliveries - before.deliveries;
  await bot.stop('SIGKILL');
  const inFlight = await dataSource.getRepository(OutboxMessage).countBy({ status: 'sending' });
  bot = await startBot({
    port: PORTS.bot,
    databaseUrl: DATABASE_URL,
    credentials,
    apiBase: fake.url,
    env: BOT_ENV,
  });
  const drained = await waitFor(async () => (await outboxOpen(dataSource)) === 0, 240_000, 500);
  await bot.stop();
  const after = await fakeStats(fake);
  const delivered = after.deliveries - before.deliveries;
  report({
    scenario: 'kill -9 during a 5,000-message send',
    tried: 'bot killed (SIGKILL) with calls in flight, then restarted',
    saw: [
      `${atKill} delivered before the kill; ${inFlight} rows were mid-send`,
      `after restart: ${delivered} delivered to 5000 members, duplicates ${after.duplicates - before.duplicates}, suppressed re-sends ${after.suppressed - before.suppressed}`,
    ],
    ok: drained && delivered === 5000 && after.duplicates === before.duplicates,
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Restart MariaDB under 200 req/s of callbacks, with WeCom's retries

function mariadb(action: 'stop' | 'start'): void {
  const args =
    action === 'stop'
      ? ['--stop', '--oknodo', '--retry', '30', '--exec', '/usr/sbin/mariadbd']
      : ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd'];
  execFileSync('start-stop-daemon', args, { stdio: 'ignore' });
}

async function waitForMariadb(): Promise<void> {
  const url = new URL(DATABASE_URL);
  url.pathname = '/';
  await waitFor(
    async () => {
      try {
        const connection = await mysql2.createConnection({ uri: url.toString() });
        await connection.end();
        return true;
      } catch {
        return false;
      }
    },
    60_000,
    500,
  );
}

/** One callback, delivered as WeCom does: up to 3 retries after a failure or a 5 s timeout. */
async function deliverLikeWeCom(
  client: WeComCallbackClient,
  xml: string,
): Promise<{ status: number; attempts: number; seen: number[]; reply?: string }> {
  // Every answer, retries included (0 = no answer within 5 s).
  const seen: number[] = [];
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const result = await Promise.race([
        client.post(xml),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
      ]);
      seen.push(result.status);
      if (result.status === 200)
        return { status: 200, attempts: attempt, seen, reply: result.reply?.content };
    } catch {
      seen.push(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
  return { status: seen.at(-1) ?? 0, attempts: 4, seen };
}

async function restartDatabaseUnderLoad(
  dataSource: DataSource,
  credentials: WeComCredentials,
  fake: Child,
): Promise<DataSource> {
  const members = await seedPeople(dataSource, 700, 'r');
  const bot = await startBot({
    port: PORTS.bot,
    databaseUrl: DATABASE_URL,
    credentials,
    apiBase: fake.url,
    env: BOT_ENV,
  });
  const client = new WeComCallbackClient({ ...credentials, url: `${bot.url}/wecom/callback` });
  const before = await fakeStats(fake);
  // Each message asks about a different (member, day), so every answer can be traced back to it.
  const days = Array.from({ length: 365 }, (_, i) =>
    new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
  );
  const messages = Array.from({ length: 200 * 20 }, (_, i) => ({
    userid: members[i % members.length]!,
    day: days[Math.floor(i / members.length) % days.length]!,
    msgId: newMsgId(),
  }));
  const statuses = new Map<number, number>();
  const answers = new Map<number, number>();
  const passive = new Map<string, string>();
  const started = Date.now();
  const pending: Promise<void>[] = [];
  let restarted = false;
  for (let i = 0; i < messages.length; i++) {
    const target = started + i * 5; // 200 per second
    const wait = target - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!restarted && Date.now() - started > 6000) {
      restarted = true;
      // Off the request loop: stop and start the database while callbacks keep arriving.
      setTimeout(() => {
        mariadb('stop');
        setTimeout(() => mariadb('start'), 2000);
      }, 0);
    }
    const m = messages[i]!;
    pending.push(
      deliverLikeWeCom(client, client.textXml(m.userid, `工作日 ${m.day}`, m.msgId)).then((result) => {
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        for (const status of result.seen) answers.set(status, (answers.get(status) ?? 0) + 1);
        if (result.reply) passive.set(`${m.userid} ${m.day}`, result.reply);
      }),
    );
  }
  await Promise.all(pending);
  await waitForMariadb();
  const fresh = await openDatabase({ kind: 'mysql', url: DATABASE_URL });
  const finished = await waitFor(
    async () =>
      (await fresh.getRepository(InboundMessage).countBy({ status: 'received' })) === 0 &&
      (await outboxOpen(fresh)) === 0,
    120_000,
    1000,
  );
  await bot.stop();
  const rows = await fresh.getRepository(InboundMessage).find({ select: { dedupeKey: true, status: true } });
  const byKey = new Map(rows.map((row) => [row.dedupeKey, row.status]));
  const unprocessed = messages.filter((m) => byKey.get(`msg:${m.msgId}`) !== 'done');
  // Replies through the API (those handled after a retry or by the recovery sweep).
  const inbox = (await (await fetch(`${fake.url}/sandbox/stats`)).json()) as FakeStats;
  const apiReplies = new Map<string, number>();
  for (const m of members) {
    const { deliveries } = (await (await fetch(`${fake.url}/sandbox/inbox?userid=${m}&after=0`)).json()) as {
      deliveries: { body: { text?: { content: string } } }[];
    };
    for (const d of deliveries) {
      const day = /^(\d{4}-\d{2}-\d{2})/.exec(d.body.text?.content ?? '')?.[1];
      if (day) apiReplies.set(`${m} ${day}`, (apiReplies.get(`${m} ${day}`) ?? 0) + 1);
    }
  }
  let missing = 0;
  let doubled = 0;
  for (const m of messages) {
    const key = `${m.userid} ${m.day}`;
    const count = (passive.has(key) ? 1 : 0) + (apiReplies.get(key) ?? 0);
    if (count === 0) missing++;
    if (count > 1) doubled++;
  }
  report({
    scenario: 'MariaDB restarted under 200 callbacks/s',
    tried: `${messages.length} callbacks at 200/s, MariaDB stopped for ~2 s after 6 s; the sender retries like WeCom (3 retries, 5 s timeout)`,
    saw: [
      `every answer, retries included: ${[...answers].map(([s, n]) => `${s || 'no answer'}×${n}`).join(', ')}`,
      `final statuses: ${[...statuses].map(([s, n]) => `${s || 'no answer'}×${n}`).join(', ')}`,
      `processed exactly once: ${messages.length - unprocessed.length}/${messages.length}; unprocessed ${unprocessed.length}`,
      `replies: passive ${passive.size}, through the API ${[...apiReplies.values()].reduce((a, b) => a + b, 0)}; missing ${missing}, doubled ${doubled}; API deliveries since start ${inbox.deliveries - before.deliveries}`,
    ],
    ok:
      finished &&
      unprocessed.length === 0 &&
      missing === 0 &&
      doubled === 0 &&
      [...answers.keys()].every((status) => status === 200 || status === 503),
  });
  await dataSource.destroy().catch(() => undefined);
  return fresh;
}

// ---------------------------------------------------------------------------------------------
// 3. 20% of API calls fail

async function flakyApi(dataSource: DataSource, credentials: WeComCredentials, fake: Child): Promise<void> {
  const members = await seedPeople(dataSource, 1000, 'f');
  const before = await fakeStats(fake);
  await fetch(`${fake.url}/sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({
      rate: 0.2,
      faults: [
        { kind: 'errcode', errcode: -1 },
        { kind: 'errcode', errcode: 45009 },
        { kind: 'errcode', errcode: 42001 },
        { kind: 'http', status: 502 },
        { kind: 'delay', ms: 6000 },
      ],
    }),
  });
  await dataSource.transaction((tx) =>
    enqueue(
      tx,
      members.flatMap((to, i) =>
        [0, 1, 2].flatMap((n) =>
          messagesToItems(to, [text(`第${n + 1}轮提醒 ${i + 1}`)], {
            keyPrefix: `flaky:${i}:${n}`,
            source: 'chaos',
          }),
        ),
      ),
      new Date(),
    ),
  );
  const started = Date.now();
  const bot = await startBot({
    port: PORTS.bot,
    databaseUrl: DATABASE_URL,
    credentials,
    apiBase: fake.url,
    env: BOT_ENV,
  });
  const drained = await waitFor(async () => (await outboxOpen(dataSource)) === 0, 600_000, 1000);
  const seconds = Math.round((Date.now() - started) / 1000);
  await bot.stop();
  await fetch(`${fake.url}/sandbox/faults`, {
    method: 'POST',
    body: JSON.stringify({ rate: 0, faults: [] }),
  });
  const after = await fakeStats(fake);
  const attempts = await dataSource
    .getRepository(OutboxMessage)
    .createQueryBuilder('o')
    .select('o.attempts', 'attempts')
    .addSelect('COUNT(*)', 'n')
    .where("o.source = 'chaos' AND o.idempotency_key LIKE 'flaky:%'")
    .groupBy('o.attempts')
    .getRawMany<{ attempts: number; n: string }>();
  const dead = await dataSource
    .getRepository(OutboxMessage)
    .count({ where: { status: 'dead', source: 'chaos' } });
  const delivered = after.deliveries - before.deliveries;
  const failures = Object.entries(after.calls)
    .filter(([key]) => key.startsWith('/cgi-bin/message/send') && !key.endsWith(' 0'))
    .map(([key, n]) => `${key.split(' ')[1]}×${n - (before.calls[key] ?? 0)}`);
  report({
    scenario: '20% of API calls fail (-1, 45009, 42001, HTTP 502, 6 s timeouts)',
    tried: '3000 distinct messages to 1000 members with random faults injected by the fake WeCom API',
    saw: [
      `${delivered}/3000 delivered in ${seconds} s, duplicates ${after.duplicates - before.duplicates}, dead ${dead}`,
      `attempts per message: ${attempts.map((a) => `${a.attempts}×${a.n}`).join(', ')} (backoff with jitter between attempts)`,
      `failed calls seen by the fake: ${failures.join(', ') || 'none'}; re-sends suppressed by the duplicate check ${after.suppressed - before.suppressed}`,
    ],
    ok: drained && delivered === 3000 && after.duplicates === before.duplicates && dead === 0,
  });
}

// ---------------------------------------------------------------------------------------------
// 4. 10,000 hostile callbacks

function rawPost(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'text/xml', ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

/** Sends a few bytes then stops: the server must cut the connection off by itself. */
function slowloris(url: string): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const request = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', 'content-length': '1000' },
    });
    request.on('error', () => resolve(Date.now() - started));
    request.on('response', (response) => {
      response.resume();
      resolve(Date.now() - started);
    });
    request.on('close', () => resolve(Date.now() - started));
    request.write('<xml><Encrypt>');
  });
}

async function hostileCallbacks(
  dataSource: DataSource,
  credentials: WeComCredentials,
  fake: Child,
): Promise<void> {
  const [member] = await seedPeople(dataSource, 1, 'h');
  const bot = await startBot({
    port: PORTS.bot,
    databaseUrl: DATABASE_URL,
    credentials,
    apiBase: fake.url,
    env: BOT_ENV,
  });
  const url = `${bot.url}/wecom/callback`;
  const client = new WeComCallbackClient({ ...credentials, url });
  const valid = client.textXml(member!, '工作日 2026-10-08', newMsgId());
  await client.post(valid);
  const rowsBefore = await dataSource.getRepository(InboundMessage).count();
  const now = () => String(Math.floor(Date.now() / 1000));
  const sign = (encrypted: string, timestamp = now(), nonce = '7') =>
    `${url}?msg_signature=${computeSignature(credentials.token, timestamp, nonce, encrypted)}&timestamp=${timestamp}&nonce=${nonce}`;
  const envelope = (encrypted: string) =>
    `<xml><ToUserName><![CDATA[${credentials.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
  const good = encryptMessage(credentials, valid, now(), '7').encrypt;

  const classes: { name: string; expected: number[]; send: (i: number) => Promise<number> }[] = [
    {
      name: 'bad signature',
      expected: [401],
      send: () =>
        rawPost(`${url}?msg_signature=${'0'.repeat(40)}&timestamp=${now()}&nonce=1`, envelope(good)),
    },
    {
      name: 'replayed delivery (same MsgId)',
      expected: [200],
      send: async () => (await client.post(valid)).status,
    },
    {
      name: 'replay with an old timestamp',
      expected: [401],
      send: () => {
        const old = String(Math.floor(Date.now() / 1000) - 3600);
        return rawPost(sign(good, old), envelope(good));
      },
    },
    {
      name: 'truncated ciphertext',
      expected: [400],
      send: () => {
        const cut = good.slice(0, 60);
        return rawPost(sign(cut), envelope(cut));
      },
    },
    {
      name: 'padded ciphertext',
      expected: [400],
      send: () => {
        const padded = Buffer.concat([Buffer.from(good, 'base64'), randomBytes(32)]).toString('base64');
        return rawPost(sign(padded), envelope(padded));
      },
    },
    {
      name: 'wrong receive-id',
      expected: [401],
      send: () => {
        const other = encryptMessage({ ...credentials, corpId: 'wwattacker' }, valid, now(), '7').encrypt;
        return rawPost(sign(other), envelope(other));
      },
    },
    {
      name: 'XML with entities / DTD',
      expected: [400],
      send: () =>
        rawPost(
          sign(good),
          `<!DOCTYPE xml [<!ENTITY a "${'a'.repeat(100)}"><!ENTITY b "&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>`,
        ),
    },
    {
      name: 'invalid UTF-8',
      expected: [400, 401],
      send: () => rawPost(sign(good), Buffer.from([0x3c, 0x78, 0xff, 0xfe, 0xc3, 0x28, 0x3e])),
    },
  ];
  const outcomes: string[] = [];
  let wrong = 0;
  const perClass = Math.floor(9_950 / classes.length);
  const rssBefore = bot.rssMb();
  for (const cls of classes) {
    const statuses = new Map<number, number>();
    for (let i = 0; i < perClass; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, perClass - i) }, (_, k) => cls.send(i + k)),
      );
      for (const status of batch) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const bad = [...statuses]
      .filter(([status]) => !cls.expected.includes(status))
      .reduce((sum, [, n]) => sum + n, 0);
    wrong += bad;
    outcomes.push(
      `${cls.name}: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(' ')}${bad ? ` (${bad} unexpected)` : ''}`,
    );
  }
  const big = await Promise.all(
    Array.from({ length: 20 }, () =>
      rawPost(sign(good), Buffer.alloc(10 * 1024 * 1024, 0x41), {
        'content-length': String(10 * 1024 * 1024),
      }),
    ),
  );
  const bigOk = big.every((status) => status === 413 || status === 0);
  outcomes.push(
    `10 MB bodies: 413×${big.filter((s) => s === 413).length}, connection closed before the answer×${big.filter((s) => s === 0).length}`,
  );
  // With valid-looking parameters, so that the bot waits for the body it was promised.
  const slow = await Promise.all(Array.from({ length: 30 }, () => slowloris(sign(good))));
  // Cut off by the server's request timeout (15 s), not answered at once and not left hanging.
  const slowCut = slow.every((ms) => ms >= 5_000 && ms < 30_000);
  outcomes.push(
    `trickled bodies: 30 connections sending 14 of 1000 promised bytes, cut off after ${Math.round(Math.min(...slow) / 1000)}–${Math.round(Math.max(...slow) / 1000)} s`,
  );
  const rowsAfter = await dataSource.getRepository(InboundMessage).count();
  const alive = (await fetch(`${bot.url}/healthz`)).ok;
  const rssAfter = bot.rssMb();
  await bot.stop();
  report({
    scenario: '10,000 hostile callbacks',
    tried: `${perClass * classes.length + 50} requests in ${classes.length + 2} classes`,
    saw: [
      ...outcomes,
      `rows stored by hostile requests: ${rowsAfter - rowsBefore}; bot still healthy: ${alive}; RSS ${rssBefore} MB → ${rssAfter} MB`,
    ],
    ok: wrong === 0 && bigOk && slowCut && rowsAfter === rowsBefore && alive && rssAfter - rssBefore < 100,
  });
}

// ---------------------------------------------------------------------------------------------
// 5. Two instances, scheduled jobs, accelerated clock

async function twoInstances(
  dataSource: DataSource,
  credentials: WeComCredentials,
  fake: Child,
): Promise<void> {
  const second = await openDatabase({ kind: 'mysql', url: DATABASE_URL });
  const clock = new ManualClock('2026-10-08T15:00:00Z'); // 23:00 Shanghai, the evening before a working day
  const simulationStart = clock.now();
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: 'data/chaos' });
  const runtimes = [dataSource, second].map((ds) =>
    createRuntime({ config, dataSource: ds, credentials, apiBase: fake.url, logger: silentLogger, clock }),
  );
  await dataSource.getRepository(Broadcast).insert({
    content: '每个工作日的晨会提醒',
    audience: { kind: 'all-liaisons' },
    runAt: null,
    cron: '30 8 * * *',
    workingDaysOnly: true,
    scheduleText: '每个工作日 08:30',
    status: 'active',
    createdBy: 'chaos',
    lastRunAt: null,
    runCount: 0,
    checkedThrough: clock.now(),
  });
  const jobs = SCHEDULE.filter((job) => !job.everyInstance);
  const schedulers = runtimes.map((runtime, i) => new Scheduler(runtime.jobDeps, jobs, `instance-${i + 1}`));
  const minutes = 10 * 24 * 60; // ten days, a minute at a time, both instances firing each one
  let fires = 0;
  const started = Date.now();
  for (let minute = 0; minute < minutes; minute++) {
    clock.advance(60_000);
    const now = clock.now();
    for (const job of jobs) {
      const matcher = (
        schedulers[0] as unknown as { matchers: Map<string, { match(d: Date): boolean }> }
      ).matchers.get(job.name)!;
      if (!matcher.match(now)) continue;
      fires++;
      await Promise.all(schedulers.map((scheduler) => scheduler.fire(job, now)));
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const runs = await dataSource
    .getRepository(JobRun)
    .createQueryBuilder('r')
    .select('r.job', 'job')
    .addSelect('r.fire_time', 'fireTime')
    .addSelect('COUNT(*)', 'n')
    // Only this simulation's fires (earlier scenarios ran bots on the real clock).
    .where('r.fire_time > :start AND r.fire_time <= :end', { start: simulationStart, end: clock.now() })
    .groupBy('r.job')
    .addGroupBy('r.fire_time')
    .getRawMany<{ n: string }>();
  const doubled = runs.filter((r) => Number(r.n) > 1).length;
  const sentBroadcasts = await dataSource
    .getRepository(OutboxMessage)
    .createQueryBuilder('o')
    .select('COUNT(DISTINCT o.idempotency_key)', 'keys')
    .addSelect('COUNT(*)', 'rows')
    .where("o.source LIKE 'broadcast:%'")
    .getRawOne<{ keys: string; rows: string }>();
  await second.destroy();
  report({
    scenario: 'two instances on one MariaDB, scheduled jobs at an accelerated clock',
    tried: `ten days (${minutes} minutes) of the schedule, both instances firing every due minute (${fires} fires) in ${seconds} s`,
    saw: [
      `job_run rows: ${runs.length} for ${fires} fires; fires run twice: ${doubled}`,
      `broadcast rows: ${sentBroadcasts?.rows} for ${sentBroadcasts?.keys} distinct keys (working days 08:30 only)`,
    ],
    ok: runs.length === fires && doubled === 0 && sentBroadcasts?.rows === sentBroadcasts?.keys,
  });
}

// ---------------------------------------------------------------------------------------------
// 6. Hostile content while 200 callbacks/s of ordinary traffic run

/** A .docx of `count` one-letter paragraphs (the issue's bomb), deflated or stored. */
async function docxBomb(count: number, compression: 'STORE' | 'DEFLATE'): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  const body: string[] = [];
  for (let i = 0; i < count; i++)
    body.push(`<w:p><w:r><w:t>${String.fromCharCode(97 + ((i * 7919) % 26))}</w:t></w:r></w:p>`);
  zip.file(
    'word/document.xml',
    `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body.join('')}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression, compressionOptions: { level: 9 } });
}

/** A page of nested tables, just under `bytes` (a table-heavy export page of a government site). */
function tablePage(bytes: number): Buffer {
  const row = (i: number) =>
    `<tr><td>${i}</td><td><table><tr><td>单位${i}</td><td>栏目</td></tr><tr><td>${i * 7}</td><td>更新</td></tr></table></td><td>2026-03-${(i % 28) + 1}</td></tr>`;
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes - 2000; i++) {
    const r = row(i);
    rows.push(r);
    size += Buffer.byteLength(r);
  }
  return Buffer.from(`<html><body><h1>统计表</h1><table>${rows.join('')}</table></body></html>`);
}

/** A zip whose one sheet inflates from ~100 KB to 100 MB (declared). */
async function xlsxBomb(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('xl/worksheets/sheet1.xml', Buffer.alloc(100 * 1024 * 1024, 0x20));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

async function storeMedia(fake: Child, data: Buffer, fileName: string): Promise<string> {
  const response = await fetch(`${fake.url}/sandbox/media?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    body: data,
  });
  return ((await response.json()) as { media_id: string }).media_id;
}

/** Texts the fake WeCom delivered to `userid` after delivery number `after`. */
async function inboxTexts(fake: Child, userid: string, after: number): Promise<string[]> {
  const { deliveries } = (await (
    await fetch(`${fake.url}/sandbox/inbox?userid=${userid}&after=${after}`)
  ).json()) as { deliveries: { body: Record<string, { content?: string }>; msgtype: string }[] };
  return deliveries.map((d) => d.body[d.msgtype]?.content ?? `[${d.msgtype}]`);
}

async function inboxCount(fake: Child, userid: string): Promise<number> {
  const { deliveries } = (await (
    await fetch(`${fake.url}/sandbox/inbox?userid=${userid}&after=0`)
  ).json()) as {
    deliveries: unknown[];
  };
  return deliveries.length;
}

/** The bot's event-loop delay since the last call (bench/lib/loop-probe.mjs, through SIGUSR2). */
async function loopDelay(bot: Child, file: string): Promise<{ p50: number; p99: number; max: number }> {
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { seq: number }).seq : 0;
  bot.process.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!existsSync(file)) continue;
    const read = JSON.parse(readFileSync(file, 'utf8')) as {
      seq: number;
      p50: number;
      p99: number;
      max: number;
    };
    if (read.seq > before) return read;
  }
  return { p50: NaN, p99: NaN, max: NaN };
}

async function hostileContent(
  dataSource: DataSource,
  credentials: WeComCredentials,
  fake: Child,
): Promise<void> {
  const members = await seedPeople(dataSource, 700, 'c');
  const [liaison] = await seedPeople(dataSource, 1, 'sender');
  const supervisor = 'supervisor1';
  await dataSource.getRepository(Person).insert({
    userid: supervisor,
    name: '督办员',
    unitId: null,
    role: 'supervisor',
    mobile: null,
    active: true,
  });
  const page = tablePage(1.95 * 1024 * 1024);
  const pages = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  await new Promise<void>((resolve) => pages.listen(PORTS.pages, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/tongji.html`;
  const probe = join(tmpdir(), `duban-loop-probe-${process.pid}.json`);
  rmSync(probe, { force: true });
  const bot = await startBot({
    port: PORTS.bot,
    databaseUrl: DATABASE_URL,
    credentials,
    apiBase: fake.url,
    // Not production: the forwarded page is served on this machine (CONTENT_FETCH_PRIVATE_HOSTS).
    env: { ...BOT_ENV, NODE_ENV: 'test', CONTENT_FETCH_PRIVATE_HOSTS: '1', LOOP_PROBE_FILE: probe },
    nodeArgs: [
      ...(process.env.CHAOS_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      pathToFileURL(join(ROOT, 'bench', 'lib', 'loop-probe.mjs')).href,
    ],
  });
  const pid = bot.process.pid;
  const url = `${bot.url}/wecom/callback`;
  const client = new WeComCallbackClient({ ...credentials, url });
  const now = () => String(Math.floor(Date.now() / 1000));

  // Every payload is built before the load starts: the load generator shares this process.
  const bombDeflated = await docxBomb(1_800_000, 'DEFLATE');
  const bombStored = await docxBomb(200_000, 'STORE');
  const zipBomb = await xlsxBomb();
  const unsigned = `<xml><Encrypt><![CDATA[${'A'.repeat(64 * 1024)}]]></Encrypt></xml>`;
  // Uploaded to the fake WeCom before any window: a member's upload goes to WeCom's servers, not to
  // the bot, and 6.5 MB sent from this process would stall the load generator it shares.
  const media = {
    bombDeflated: await storeMedia(fake, bombDeflated, '稿件.docx'),
    bombStored: await storeMedia(fake, bombStored, '稿件2.docx'),
    page: await storeMedia(fake, page, '统计表.html'),
    zipBomb: await storeMedia(fake, zipBomb, '留言导出.xlsx'),
  };
  /** 取消 whatever dialog the last attack left open, then 检查: the next file is what gets checked. */
  const startCheck = async () => {
    await client.sendText(liaison!, '取消');
    await client.sendText(liaison!, '检查');
  };
  const attacks: { name: string; who: string; send: () => Promise<string | undefined> }[] = [
    {
      // The same window with no attack: what this machine gives the others on its own.
      name: '(0) no attack (baseline of the same run)',
      who: '',
      send: async () => undefined,
    },
    {
      name: `(a) .docx bomb, ${Math.round(bombDeflated.length / 1024)} KB (1,800,000 one-letter paragraphs, deflated), after 检查`,
      who: liaison!,
      send: async () => {
        await startCheck();
        const mediaId = media.bombDeflated;
        return (await client.post(client.fileXml(liaison!, mediaId, '稿件.docx'))).reply?.content;
      },
    },
    {
      name: `(a′) the issue's .docx bomb stored uncompressed, ${(bombStored.length / 1024 / 1024).toFixed(1)} MB (200,000 paragraphs: passes the zip check), after 检查`,
      who: liaison!,
      send: async () => {
        await startCheck();
        const mediaId = media.bombStored;
        return (await client.post(client.fileXml(liaison!, mediaId, '稿件2.docx'))).reply?.content;
      },
    },
    {
      name: `(b) table-heavy .html, ${(page.length / 1024 / 1024).toFixed(2)} MB, after 检查`,
      who: liaison!,
      send: async () => {
        await startCheck();
        const mediaId = media.page;
        return (await client.post(client.fileXml(liaison!, mediaId, '统计表.html'))).reply?.content;
      },
    },
    {
      name: `(c) forwarded link to a ${(page.length / 1024 / 1024).toFixed(2)} MB table page (local fixture server)`,
      who: liaison!,
      send: async () => {
        // Outside any dialog: a forwarded link is checked straight away.
        await client.sendText(liaison!, '取消');
        return (await client.post(client.linkXml(liaison!, { url: pageUrl, title: '统计表' }))).reply
          ?.content;
      },
    },
    {
      name: '(d) zip-bomb .xlsx (100 MB declared) to the supervisor’s guestbook import',
      who: supervisor,
      send: async () => {
        const mediaId = media.zipBomb;
        return (await client.post(client.fileXml(supervisor, mediaId, '留言导出.xlsx'))).reply?.content;
      },
    },
    {
      name: '(e) 1,000 unsigned 64 KB bodies (16 at a time)',
      who: '',
      send: async () => {
        const body = unsigned;
        const statuses = new Map<number, number>();
        for (let i = 0; i < 1000; i += 16) {
          const batch = await Promise.all(
            Array.from({ length: 16 }, () =>
              rawPost(`${url}?msg_signature=${'0'.repeat(40)}&timestamp=${now()}&nonce=1`, body),
            ),
          );
          for (const status of batch) statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
        return `HTTP ${[...statuses].map(([status, n]) => `${status || 'closed'}×${n}`).join(', ')}`;
      },
    },
  ];

  const saw: string[] = [];
  let ok = true;
  let peak = 0;
  // Warm up (connections, JIT) and note the bot at rest.
  await runPacedLoad('warm-up', url, prepareTextCallbacks(credentials, members, '我的任务', 1000), {
    rate: 200,
    durationS: 5,
    connections: 50,
  });
  saw.push(`bot RSS after a 5 s warm-up at 200/s: ${bot.rssMb()} MB`);
  bot.resetPeak();
  await loopDelay(bot, probe);
  for (const attack of attacks) {
    const requests = prepareTextCallbacks(credentials, members, '我的任务', 200 * 12);
    const before = attack.who ? await inboxCount(fake, attack.who) : 0;
    await loopDelay(bot, probe);
    let told: string | undefined;
    const load: Promise<LoadResult> = runPacedLoad('others', url, requests, {
      rate: 200,
      durationS: 12,
      connections: 50,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const started = Date.now();
    told = await attack.send();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const others = await load;
    const loop = await loopDelay(bot, probe);
    if (attack.who) {
      await waitFor(
        async () => (await inboxCount(fake, attack.who)) > before || told !== undefined,
        20_000,
        250,
      );
      const later = await inboxTexts(fake, attack.who, before);
      told = [told, ...later].filter(Boolean).join(' / ');
    }
    const attackPeak = bot.peakRssMb();
    peak = Math.max(peak, attackPeak);
    bot.resetPeak();
    const held = others.p99 < 50 && loop.p99 < 20 && others.errors === 0 && others.non2xx === 0;
    if (!attack.who && !told) told = '—';
    ok &&= held;
    saw.push(
      `${attack.name}: sent in ${seconds} s; others (200/s, ${others.sent} callbacks) p50 ${others.p50} ms, p99 ${others.p99} ms, errors ${others.errors + others.non2xx}; event-loop delay p99 ${loop.p99} ms (max ${loop.max}); peak RSS ${attackPeak} MB; told: ${told ?? '(nothing)'}${held ? '' : ' ✘'}`,
    );
  }
  const alive =
    bot.process.exitCode === null && bot.process.pid === pid && (await fetch(`${bot.url}/healthz`)).ok;
  const storedBytes = Number(
    (
      await dataSource
        .getRepository(StoredFile)
        .createQueryBuilder('f')
        .select('COALESCE(SUM(f.size), 0)', 'bytes')
        .getRawOne<{ bytes: string }>()
    )?.bytes ?? 0,
  );
  const quarantined = await dataSource.getRepository(InboundMessage).countBy({ status: 'quarantined' });
  peak = Math.max(peak, bot.peakRssMb());
  await bot.stop();
  pages.close();
  rmSync(probe, { force: true });
  saw.push(
    `bot peak RSS during the attacks ${peak} MB; restarted: ${alive ? 'no' : 'yes'}; stored_file bytes after: ${storedBytes}; deliveries quarantined: ${quarantined}`,
  );
  report({
    scenario: 'hostile content under 200 callbacks/s of ordinary traffic',
    tried:
      'six attacks one after another, each during 12 s of 200 我的任务 callbacks/s from 700 other liaisons',
    saw,
    ok: ok && alive && peak < 400 && storedBytes === 0,
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const credentials = generateCredentials();
  let dataSource = await resetDatabase(DATABASE_URL);
  const fake = await startFake({ port: PORTS.fake, credentials });
  try {
    if (!only.length || only.includes('kill')) await killDuringBroadcast(dataSource, credentials, fake);
    if (!only.length || only.includes('mariadb'))
      dataSource = await restartDatabaseUnderLoad(dataSource, credentials, fake);
    if (!only.length || only.includes('flaky')) await flakyApi(dataSource, credentials, fake);
    if (!only.length || only.includes('hostile')) await hostileCallbacks(dataSource, credentials, fake);
    if (!only.length || only.includes('instances')) await twoInstances(dataSource, credentials, fake);
    if (!only.length || only.includes('content')) await hostileContent(dataSource, credentials, fake);
  } finally {
    await fake.stop();
    await dataSource.destroy().catch(() => undefined);
  }
  const failed = verdicts.filter((v) => !v.ok);
  process.stdout.write(
    `\n${verdicts.length - failed.length}/${verdicts.length} scenarios held${failed.length ? `; failed: ${failed.map((f) => f.scenario).join('; ')}` : ''}\n`,
  );
  process.exitCode = failed.length ? 1 : 0;
}

await main();
