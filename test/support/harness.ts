// The bot as WeCom sees it: a real HTTP server, encrypted callbacks from a WeCom-side client, the
// fake WeCom API as the outside world and a real database. Time is a ManualClock shared by all.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_PATH } from '../../src/app.js';
import type { DispatcherOptions } from '../../src/bot/outbox.js';
import { ManualClock } from '../../src/clock.js';
import { bumpUnitVersion } from '../../src/db/unit-version.js';
import { httpServer } from '../../src/http.js';
import { loadConfig, type WeComCredentials } from '../../src/config.js';
import { Person, type Role } from '../../src/entities/person.js';
import { Unit, type UnitKind } from '../../src/entities/unit.js';
import type { Router } from '../../src/handlers/router.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { WeComCallbackClient } from '../../src/sandbox/callback-client.js';
import { FakeWeCom } from '../../src/sandbox/fake-wecom.js';
import { generateCredentials } from '../../src/sandbox/sandbox.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestBotOptions {
  now?: string;
  router?: Router;
  outbox?: DispatcherOptions;
  /** Reuse a database (a restart, or a second instance). */
  database?: TestDatabase;
  fake?: FakeWeCom;
  credentials?: WeComCredentials;
  clock?: ManualClock;
  apiTimeoutMs?: number;
  env?: Record<string, string>;
  /** Content pool limits (small ones to hit them quickly). */
  content?: RuntimeOptions['content'];
}

export interface TestBot {
  clock: ManualClock;
  fake: FakeWeCom;
  runtime: Runtime;
  database: TestDatabase;
  credentials: WeComCredentials;
  url: string;
  client: WeComCallbackClient;
  addUnit(name: string, kind?: UnitKind, parentName?: string): Promise<Unit>;
  addPerson(
    userid: string,
    options?: { name?: string; role?: Role; unit?: string; active?: boolean },
  ): Promise<Person>;
  /** Runs the outbox until nothing is due now. */
  flush(): Promise<void>;
  inbox(userid: string): ReturnType<FakeWeCom['inbox']>;
  /** Text and markdown contents delivered to a member, in order. */
  texts(userid: string): string[];
  /** Stops the HTTP server and runtime (and the database and fake unless shared). */
  close(options?: { keepDatabase?: boolean; keepFake?: boolean }): Promise<void>;
}

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const clock = options.clock ?? new ManualClock(options.now ?? '2026-03-20T01:00:00Z');
  const credentials = options.credentials ?? generateCredentials();
  const database = options.database ?? (await createTestDatabase());
  const fake =
    options.fake ??
    new FakeWeCom({
      corpId: credentials.corpId,
      agents: [{ agentId: credentials.agentId, secret: credentials.secret }],
      members: [],
      robotKeys: 'any',
      clock,
    });
  const apiBase = fake.url ?? (await fake.listen());
  // The per-member rate limit is off unless a test turns it on: scripted dialogs send faster than
  // any person, on a clock that does not move by itself.
  const config = loadConfig({
    DATA_DIR: 'data/test',
    LOG_LEVEL: 'silent',
    MEMBER_RATE_PER_MINUTE: '0',
    ...options.env,
  });
  const runtime = createRuntime({
    config,
    dataSource: database.dataSource,
    credentials,
    apiBase,
    logger: silentLogger,
    clock,
    router: options.router,
    outbox: { random: () => 0.5, ...options.outbox },
    apiTimeoutMs: options.apiTimeoutMs,
    content: options.content,
  });
  const server: Server = httpServer(runtime.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new WeComCallbackClient({ ...credentials, url: `${url}${CALLBACK_PATH}`, clock });
  const dataSource = database.dataSource;

  const bot: TestBot = {
    clock,
    fake,
    runtime,
    database,
    credentials,
    url,
    client,
    async addUnit(name, kind = 'department', parentName) {
      const units = dataSource.getRepository(Unit);
      const existing = await units.findOneBy({ name });
      if (existing) return existing;
      const parent = parentName ? await units.findOneByOrFail({ name: parentName }) : null;
      const unit = await units.save(units.create({ name, kind, parentId: parent?.id ?? null, active: true }));
      // As the directory import does: cached unit trees are read again.
      await bumpUnitVersion(dataSource.manager);
      return unit;
    },
    async addPerson(userid, personOptions = {}) {
      const unit = personOptions.unit ? await bot.addUnit(personOptions.unit) : null;
      fake.addMember(userid, personOptions.name ?? userid);
      const people = dataSource.getRepository(Person);
      return people.save(
        people.create({
          userid,
          name: personOptions.name ?? userid,
          role: personOptions.role ?? 'liaison',
          unitId: unit?.id ?? null,
          mobile: null,
          active: personOptions.active ?? true,
        }),
      );
    },
    async flush() {
      await runtime.outbox.drain();
    },
    inbox: (userid) => fake.inbox(userid),
    texts: (userid) =>
      fake.inbox(userid).map((delivery) => {
        const body = delivery.body[delivery.msgtype] as { content?: string } | undefined;
        return body?.content ?? `[${delivery.msgtype}]`;
      }),
    async close(closeOptions = {}) {
      await runtime.outbox.stop();
      await runtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!closeOptions.keepFake && !options.fake) await fake.close();
      if (!closeOptions.keepDatabase && !options.database) await database.drop();
    },
  };
  return bot;
}
