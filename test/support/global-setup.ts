// Decides once per run where the tests' databases live: MariaDB/MySQL at TEST_DATABASE_URL
// (default mysql://root@127.0.0.1:3306/duban_test, created if missing), or, when no server
// answers, SQLite in memory, said plainly so nobody mistakes it for the real thing.
import mysql2 from 'mysql2/promise';
import type { TestProject } from 'vitest/node';

export const DEFAULT_TEST_DATABASE_URL = 'mysql://root@127.0.0.1:3306/duban_test';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: { kind: 'mysql'; url: string } | { kind: 'sqlite' };
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const server = new URL(url);
  const prefix = decodeURIComponent(server.pathname.replace(/^\//, '')) || 'duban_test';
  server.pathname = '/';
  try {
    const connection = await mysql2.createConnection({ uri: server.toString(), connectTimeout: 3000 });
    // Per-file databases left behind by an interrupted run (named <prefix>_<pid>_<random>); those
    // of a run still going (another checkout testing at the same time) are left alone.
    const [rows] = await connection.query('SHOW DATABASES LIKE ?', [`${prefix}\\_%`]);
    for (const row of rows as Record<string, string>[]) {
      const name = Object.values(row)[0]!;
      const pid = Number(/_(\d+)_[0-9a-f]+$/.exec(name)?.[1]);
      if (pid && isAlive(pid)) continue;
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
    await connection.end();
    project.provide('testDatabase', {
      kind: 'mysql',
      url: `${server.toString().replace(/\/$/, '')}/${prefix}`,
    });
    process.stdout.write(
      `[duban tests] database: MySQL/MariaDB at ${server.host} (one schema per test file)\n`,
    );
  } catch (error) {
    process.stdout.write(
      `[duban tests] 无法连接 MySQL（${(error as Error).message}）：改用内存 SQLite 运行测试。\n` +
        `[duban tests] No MySQL answered at ${server.host}: running on in-memory SQLite instead.\n`,
    );
    project.provide('testDatabase', { kind: 'sqlite' });
  }
}
