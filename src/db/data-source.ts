import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import mysql2 from 'mysql2';
import mysql2promise from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ConfigError, type Config } from '../config.js';
import { entities } from '../entities/index.js';
import { batchStatements } from './batch.js';
import { embeddedSqlite } from './embedded-sqlite.js';
import { migrations } from '../entities/migrations/index.js';
import { SnakeNamingStrategy } from './naming.js';

export type DatabaseTarget = { kind: 'mysql'; url: string } | { kind: 'sqlite'; path: string };

/** What the MySQL-protocol server says it is; TypeORM needs to know MariaDB from MySQL. */
export interface ServerInfo {
  version: string;
  flavour: 'mysql' | 'mariadb';
}

export class DatabaseVersionError extends Error {
  override name = 'DatabaseVersionError';
}

/**
 * The configured database. In production only MySQL: the embedded SQLite's schema follows the
 * entities (`synchronize`), which must never touch a production store.
 */
export function configuredDatabaseTarget(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'production'>,
): DatabaseTarget {
  const target = resolveDatabaseTarget(config.databaseUrl, config.dataDir);
  if (target.kind === 'sqlite' && config.production) {
    throw new ConfigError([
      'DATABASE_URL: 生产环境（NODE_ENV=production）须使用 MySQL/MariaDB（mysql://…），内置 SQLite 仅供试用 / production needs MySQL or MariaDB (mysql://…); the embedded SQLite is for trying the bot out',
    ]);
  }
  return target;
}

/** mysql:// or mariadb:// → MySQL; sqlite:<path> or nothing → the embedded SQLite file. */
export function resolveDatabaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (!databaseUrl) return { kind: 'sqlite', path: resolve(dataDir, 'duban.sqlite') };
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  return { kind: 'mysql', url: databaseUrl.replace(/^mariadb:/, 'mysql:') };
}

/**
 * mysql2 with every pooled connection set up for this workload:
 * - UTC, so that column defaults such as CURRENT_TIMESTAMP agree with the UTC instants the driver
 *   writes (timezone 'Z');
 * - statements held back and sent with the next one (src/db/batch.ts);
 * - READ COMMITTED: under InnoDB's default REPEATABLE READ, the outbox claim's locking read takes
 *   next-key (gap) locks on the index range it scans, which blocks every callback transaction that
 *   inserts an outbox row into that range until the claim commits. Nothing here relies on
 *   repeatable reads; row locks (FOR UPDATE, SKIP LOCKED) and unique keys do the coordinating.
 */
const tunedMysql2 = {
  ...mysql2,
  createPool(options: mysql2.PoolOptions) {
    // Held statements ride in front of the next one (src/db/batch.ts): multi-statement packets.
    const pool = mysql2.createPool({ ...options, multipleStatements: true });
    pool.on('connection', (connection) => {
      connection.query("SET time_zone = '+00:00'");
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      batchStatements(connection);
    });
    return pool;
  },
};

export function dataSourceOptions(target: DatabaseTarget, server?: ServerInfo): DataSourceOptions {
  const common = { entities, namingStrategy: new SnakeNamingStrategy(), logging: false as const };
  if (target.kind === 'sqlite') {
    // SQLite is the no-setup fallback for trying the bot out; its schema follows the entities.
    // TypeORM's better-sqlite3 driver runs it, over node:sqlite where Node has it.
    return {
      ...common,
      type: 'better-sqlite3',
      driver: embeddedSqlite().driver,
      database: target.path,
      synchronize: true,
      enableWAL: true,
    };
  }
  return {
    ...common,
    type: server?.flavour ?? 'mysql',
    driver: tunedMysql2,
    url: target.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    // trace: false — mysql2 otherwise captures a stack trace for every query (5% of the bot's CPU
    // under load); a failing query's error still says what failed.
    extra: { connectionLimit: 20, trace: false },
  };
}

/** MySQL ≥ 8.0.1 or MariaDB ≥ 10.6: the versions with SELECT … FOR UPDATE SKIP LOCKED. */
export function checkServerVersion(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return undefined;
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  const mariadb = /mariadb/i.test(version);
  const ok = mariadb
    ? major > 10 || (major === 10 && minor >= 6)
    : major > 8 || (major === 8 && (minor > 0 || patch >= 1));
  if (ok) return undefined;
  return (
    `数据库版本过低（${version}）：需要 MySQL ≥ 8.0.1 或 MariaDB ≥ 10.6（需要 SKIP LOCKED）。` +
    ` / Database ${version} is too old: MySQL >= 8.0.1 or MariaDB >= 10.6 is required (SKIP LOCKED).`
  );
}

/**
 * Connects without a database, refuses servers without SKIP LOCKED, and creates the database named
 * in the URL when it is missing (needs the CREATE privilege; harmless when it exists).
 */
export async function prepareMysqlServer(url: string): Promise<ServerInfo> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$-]+$/.test(name)) throw new Error(`数据库名不合法：${name}`);
  parsed.pathname = '/';
  const connection = await mysql2promise.createConnection({ uri: parsed.toString() });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS v');
    const version = String((rows as { v: string }[])[0]?.v ?? '');
    const problem = checkServerVersion(version);
    if (problem) throw new DatabaseVersionError(problem);
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return { version, flavour: /mariadb/i.test(version) ? 'mariadb' : 'mysql' };
  } finally {
    await connection.end();
  }
}

/** Connects, checks the server version and brings the schema up to date. */
export async function openDatabase(target: DatabaseTarget): Promise<DataSource> {
  if (target.kind === 'sqlite' && target.path !== ':memory:')
    mkdirSync(dirname(target.path), { recursive: true });
  const server = target.kind === 'mysql' ? await prepareMysqlServer(target.url) : undefined;
  const dataSource = new DataSource(dataSourceOptions(target, server));
  await dataSource.initialize();
  try {
    if (target.kind === 'mysql') await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** MySQL or MariaDB (as opposed to the SQLite fallback). */
export function isMysql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}
