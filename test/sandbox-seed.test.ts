// The sandbox seeds the demo directory on an empty database (and only then), and `npm start`
// prints userids to chat as.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { AuditLog } from '../src/entities/audit-log.js';
import { MediaAccount } from '../src/entities/media-account.js';
import { Person } from '../src/entities/person.js';
import { Unit } from '../src/entities/unit.js';
import { silentLogger } from '../src/logger.js';
import { serve } from '../src/main.js';
import { Website } from '../src/entities/website.js';
import { sampleUserLines, seedDemoIfEmpty } from '../src/services/directory/demo.js';
import { createTestDatabase, type TestDatabase } from './support/db.js';

describe('seedDemoIfEmpty', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('seeds an empty database once, audited as system, and names a liaison, a supervisor and the admin', async () => {
    const db = database.dataSource;
    const clock = new ManualClock('2026-03-20T01:00:00Z');
    const first = await seedDemoIfEmpty(db, silentLogger, clock);
    expect(first).toEqual({
      seeded: true,
      sampleUserids: [
        { role: 'liaison', userid: 'demo_gaoqing', unitName: '高青县' },
        { role: 'supervisor', userid: 'demo_duban1', unitName: '市大数据局' },
        { role: 'admin', userid: 'demo_admin', unitName: '市大数据局' },
      ],
    });
    expect(await db.getRepository(MediaAccount).count()).toBe(660);
    const summary = await db.getRepository(AuditLog).findOneByOrFail({ action: 'directory.seed-demo' });
    expect(summary).toMatchObject({ actor: 'system', at: clock.now() });

    const auditRows = await db.getRepository(AuditLog).count();
    const second = await seedDemoIfEmpty(db, silentLogger, clock);
    expect(second.seeded).toBe(false);
    expect(second.sampleUserids).toEqual(first.sampleUserids);
    expect(await db.getRepository(AuditLog).count()).toBe(auditRows);
    expect(sampleUserLines(first)).toEqual([
      '已载入演示通讯录（虚构数据）。可以这样对话：',
      '  npx duban chat --as demo_gaoqing  （联络员，高青县）',
      '  npx duban chat --as demo_duban1   （督办员，市大数据局）',
      '  npx duban chat --as demo_admin    （管理员，市大数据局）',
    ]);
  });

  it('leaves a database with any directory alone', async () => {
    const other = await createTestDatabase();
    try {
      const units = other.dataSource.getRepository(Unit);
      const unit = await units.save(
        units.create({ name: '市水利局', kind: 'department', parentId: null, active: true }),
      );
      await other.dataSource.getRepository(Person).insert({
        userid: 'realone',
        name: '真人',
        unitId: unit.id,
        role: 'liaison',
        mobile: null,
        active: true,
      });
      const result = await seedDemoIfEmpty(other.dataSource, silentLogger);
      expect(result).toEqual({
        seeded: false,
        sampleUserids: [{ role: 'liaison', userid: 'realone', unitName: '市水利局' }],
      });
      expect(await units.count()).toBe(1);
    } finally {
      await other.drop();
    }
  });
});

describe('npm start in sandbox mode', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'duban-sandbox-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('seeds the empty database and prints userids to chat as in the banner', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    let bot: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      bot = await serve({
        PORT: '0',
        HOST: '127.0.0.1',
        SANDBOX_API_PORT: '0',
        DATA_DIR: dir,
        DATABASE_URL: `sqlite:${join(dir, 'duban.sqlite')}`,
        LOG_LEVEL: 'silent',
      });
    } finally {
      spy.mockRestore();
    }
    try {
      const banner = printed.join('');
      expect(banner).toContain('沙箱模式');
      expect(banner).toContain('已载入演示通讯录（虚构数据）。可以这样对话：');
      expect(banner).toContain('npx duban chat --as demo_gaoqing');
      expect(banner).toContain('npx duban chat --as demo_duban1');
      expect(banner).toContain('npx duban chat --as demo_admin');
      expect(await bot.runtime.dataSource.getRepository(Unit).count()).toBe(58);
      // The fictional websites answer on local ports, and the directory points at them.
      const sites = await bot.runtime.dataSource.getRepository(Website).find();
      expect(sites.length).toBeGreaterThan(10);
      for (const site of sites) expect(site.homeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const gaoqing = sites.find((site) => site.name.includes('高青县'))!;
      expect(await (await fetch(gaoqing.homeUrl!)).text()).toContain('高青县召开政务公开工作推进会');
    } finally {
      await bot.stop();
    }
  });
});
