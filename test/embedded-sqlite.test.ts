// The embedded SQLite through each engine this Node can load: node:sqlite (Node 22.16+, 24) and the
// better-sqlite3 addon (built for one Node ABI; CI's Node 20 run has it, its Node 24 run has not).
// Both must look alike to TypeORM and to our code: rows, dates, BLOBs, errors, transactions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { dataSourceOptions } from '../src/db/data-source.js';
import {
  embeddedSqlite,
  EmbeddedSqliteUnavailableError,
  loadNodeSqlite,
  type EmbeddedSqliteEngine,
} from '../src/db/embedded-sqlite.js';
import { isDuplicateKeyError } from '../src/db/errors.js';
import { Lease } from '../src/entities/lease.js';
import { StoredFileChunk } from '../src/entities/stored-file.js';

function available(engine: EmbeddedSqliteEngine): boolean {
  try {
    embeddedSqlite(engine);
    return true;
  } catch (error) {
    if (error instanceof EmbeddedSqliteUnavailableError) return false;
    throw error;
  }
}

const ENGINES = (['node:sqlite', 'better-sqlite3'] as const).filter(available);
const dir = mkdtempSync(join(tmpdir(), 'duban-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(engine: EmbeddedSqliteEngine, path: string): Promise<DataSource> {
  const dataSource = new DataSource({
    ...dataSourceOptions({ kind: 'sqlite', path }),
    driver: embeddedSqlite(engine).driver,
  });
  return dataSource.initialize();
}

describe('the embedded SQLite engine', () => {
  const major = Number(process.versions.node.split('.')[0]);

  it('is node:sqlite from Node 24 on, and better-sqlite3 on Node 20, which has no node:sqlite', () => {
    if (major >= 24) expect(embeddedSqlite().engine).toBe('node:sqlite');
    if (major === 20) {
      expect(loadNodeSqlite()).toBeUndefined();
      expect(() => embeddedSqlite('node:sqlite')).toThrow(EmbeddedSqliteUnavailableError);
      expect(embeddedSqlite().engine).toBe('better-sqlite3');
    }
    expect(ENGINES.length).toBeGreaterThan(0);
  });

  describe.each(ENGINES)('through %s', (engine) => {
    it('creates the whole schema, and keeps dates and BLOBs as the code wrote them', async () => {
      const dataSource = await open(engine, join(dir, `${engine.replace(':', '-')}-a.sqlite`));
      try {
        const until = new Date('2026-11-27T01:02:03.456Z');
        await dataSource.getRepository(Lease).insert({ name: 'x', owner: 'me', until });
        const lease = await dataSource.getRepository(Lease).findOneByOrFail({ name: 'x' });
        expect(lease.until).toEqual(until);
        // A Date bound as a query parameter compares as an instant.
        const later = await dataSource
          .getRepository(Lease)
          .createQueryBuilder('l')
          .where('l.until < :t', { t: new Date('2026-11-27T01:02:04Z') })
          .getCount();
        expect(later).toBe(1);

        const bytes = Buffer.from([0, 1, 2, 250, 255]);
        await dataSource.getRepository(StoredFileChunk).insert({ fileId: 1, seq: 0, data: bytes });
        const chunk = await dataSource.getRepository(StoredFileChunk).findOneByOrFail({ fileId: 1 });
        expect(Buffer.isBuffer(chunk.data)).toBe(true);
        expect(chunk.data.toString('base64')).toBe(bytes.toString('base64'));
      } finally {
        await dataSource.destroy();
      }
    });

    it('reports a duplicate key as one, and rolls a failed transaction back whole', async () => {
      const dataSource = await open(engine, join(dir, `${engine.replace(':', '-')}-b.sqlite`));
      try {
        const leases = dataSource.getRepository(Lease);
        await leases.insert({ name: 'claim' });
        const duplicate = await leases.insert({ name: 'claim' }).catch((error: unknown) => error);
        expect(isDuplicateKeyError(duplicate)).toBe(true);

        await expect(
          dataSource.transaction(async (manager) => {
            await manager.getRepository(Lease).insert({ name: 'inside' });
            throw new Error('handler failed');
          }),
        ).rejects.toThrow('handler failed');
        expect(await leases.countBy({ name: 'inside' })).toBe(0);

        // INSERT … OR IGNORE (orIgnore) affects nothing the second time, without an error.
        const again = await leases
          .createQueryBuilder()
          .insert()
          .values({ name: 'claim' })
          .orIgnore()
          .execute();
        expect(again.raw).toBeDefined();
        expect(await leases.count()).toBe(1);
      } finally {
        await dataSource.destroy();
      }
    });

    it('lets a second process-like connection read what the first committed (WAL)', async () => {
      const path = join(dir, `${engine.replace(':', '-')}-c.sqlite`);
      const first = await open(engine, path);
      const second = await open(engine, path);
      try {
        await first.getRepository(Lease).insert({ name: 'shared', owner: 'first' });
        expect(await second.getRepository(Lease).findOneBy({ name: 'shared' })).toMatchObject({
          owner: 'first',
        });
      } finally {
        await first.destroy();
        await second.destroy();
      }
    });
  });
});
