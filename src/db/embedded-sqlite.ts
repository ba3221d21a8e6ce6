// The engine behind the embedded SQLite fallback (sandbox, tests without MySQL). Node ≥ 22.16 and
// 24 ship SQLite as `node:sqlite`: nothing to compile or download, and no native addon tied to one
// Node ABI. TypeORM 1.x has no driver of its own for it, but its better-sqlite3 driver takes the
// module it drives as an option (`driver`), and uses only a few calls of it: the adapter below
// offers those calls over node:sqlite. Node 20 has no node:sqlite, so there the optional
// better-sqlite3 package serves (built at install only on such a Node; see
// scripts/build-sqlite.mjs). README "Node versions and the embedded SQLite" says why.
import { createRequire } from 'node:module';

/** The part of node:sqlite's StatementSync the adapter uses (Node 20's types have no node:sqlite). */
interface NodeStatement {
  columns(): unknown[];
  all(...parameters: unknown[]): Record<string, unknown>[];
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
}

interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  close(): void;
}

interface NodeSqlite {
  DatabaseSync: new (
    path: string,
    options: { readOnly?: boolean; timeout?: number; enableForeignKeyConstraints?: boolean },
  ) => NodeDatabase;
  StatementSync: { prototype: object };
}

export type EmbeddedSqliteEngine = 'node:sqlite' | 'better-sqlite3';

/** The module TypeORM's better-sqlite3 driver is given: a constructor of database connections. */
export interface EmbeddedSqlite {
  engine: EmbeddedSqliteEngine;
  driver: unknown;
}

export class EmbeddedSqliteUnavailableError extends Error {
  override name = 'EmbeddedSqliteUnavailableError';
}

/** node:sqlite when this Node has it with `StatementSync.columns()` (22.16+, 24), else undefined. */
export function loadNodeSqlite(): NodeSqlite | undefined {
  // process.getBuiltinModule answers undefined for a module this Node lacks (Node 20, or 22
  // before node:sqlite left its flag), instead of throwing as require does.
  const sqlite = process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
  if (!sqlite || typeof (sqlite.StatementSync.prototype as { columns?: unknown }).columns !== 'function')
    return undefined;
  return sqlite;
}

/** What better-sqlite3's `new Database(path, options)` returns, as far as TypeORM uses it. */
class NodeSqliteConnection {
  private readonly db: NodeDatabase;

  constructor(
    sqlite: NodeSqlite,
    path: string,
    options: { readonly?: boolean; fileMustExist?: boolean; timeout?: number } = {},
  ) {
    // better-sqlite3's default wait for a lock held by another process (`duban seed-demo` beside
    // `npm start`) is 5 s; TypeORM passes it as `timeout`.
    this.db = named(
      () =>
        new sqlite.DatabaseSync(path, {
          readOnly: options.readonly ?? false,
          timeout: options.timeout ?? 5000,
        }),
    );
  }

  prepare(sql: string): NodeSqliteStatement {
    return new NodeSqliteStatement(named(() => this.db.prepare(sql)));
  }

  /** better-sqlite3's `db.pragma('foreign_keys = ON')`: runs `PRAGMA …` and returns its rows. */
  pragma(source: string): Record<string, unknown>[] {
    return this.prepare(`PRAGMA ${source}`).all();
  }

  close(): void {
    this.db.close();
  }
}

/**
 * SQLite's result codes by number (https://sqlite.org/rescode.html), as better-sqlite3 names them
 * in `error.code`: node:sqlite gives only the number (`errcode`), and our error checks
 * (src/db/errors.ts: a duplicate key is not a failure) read the name.
 */
const RESULT_CODES = new Map<number, string>([
  [1, 'SQLITE_ERROR'],
  [5, 'SQLITE_BUSY'],
  [6, 'SQLITE_LOCKED'],
  [8, 'SQLITE_READONLY'],
  [13, 'SQLITE_FULL'],
  [19, 'SQLITE_CONSTRAINT'],
  [275, 'SQLITE_CONSTRAINT_CHECK'],
  [787, 'SQLITE_CONSTRAINT_FOREIGNKEY'],
  [1299, 'SQLITE_CONSTRAINT_NOTNULL'],
  [1555, 'SQLITE_CONSTRAINT_PRIMARYKEY'],
  [2067, 'SQLITE_CONSTRAINT_UNIQUE'],
]);

/** Runs a node:sqlite call, giving its error better-sqlite3's `code` (the name of the result code). */
function named<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const e = error as { code?: string; errcode?: number };
    if (typeof e.errcode === 'number') e.code = RESULT_CODES.get(e.errcode) ?? `SQLITE_${e.errcode}`;
    throw error;
  }
}

class NodeSqliteStatement {
  /** better-sqlite3's `reader`: whether the statement returns rows (SELECT, PRAGMA, … RETURNING). */
  readonly reader: boolean;

  constructor(private readonly statement: NodeStatement) {
    this.reader = statement.columns().length > 0;
  }

  all(...parameters: unknown[]): Record<string, unknown>[] {
    return named(() => this.statement.all(...parameters)).map(plainRow);
  }

  run(...parameters: unknown[]): { changes: number; lastInsertRowid: number } {
    const result = named(() => this.statement.run(...parameters));
    return { changes: Number(result.changes), lastInsertRowid: Number(result.lastInsertRowid) };
  }
}

/**
 * A row as better-sqlite3 gives it: a plain object (node:sqlite's rows have no prototype) whose
 * BLOBs are Buffers (node:sqlite gives Uint8Arrays, on which Buffer's toString/equals do not work).
 */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    plain[key] =
      value instanceof Uint8Array && !Buffer.isBuffer(value)
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        : value;
  }
  return plain;
}

/** A better-sqlite3-shaped constructor over node:sqlite, for TypeORM's `driver` option. */
export function nodeSqliteDriver(sqlite: NodeSqlite): unknown {
  return class extends NodeSqliteConnection {
    constructor(path: string, options?: { readonly?: boolean; timeout?: number }) {
      super(sqlite, path, options);
    }
  };
}

const require = createRequire(import.meta.url);

/**
 * The engine for the embedded SQLite: node:sqlite where Node has it, otherwise the better-sqlite3
 * addon. `prefer` forces one (tests of both engines on one Node).
 */
export function embeddedSqlite(prefer?: EmbeddedSqliteEngine): EmbeddedSqlite {
  const sqlite = prefer === 'better-sqlite3' ? undefined : loadNodeSqlite();
  if (sqlite) return { engine: 'node:sqlite', driver: nodeSqliteDriver(sqlite) };
  if (prefer === 'node:sqlite') {
    throw new EmbeddedSqliteUnavailableError(`node:sqlite is not available on Node ${process.version}`);
  }
  try {
    const driver: unknown = require('better-sqlite3');
    // Loading the module does not load its addon; opening a database does: fail here, clearly.
    const Database = driver as new (path: string) => { close(): void };
    new Database(':memory:').close();
    return { engine: 'better-sqlite3', driver };
  } catch (error) {
    throw new EmbeddedSqliteUnavailableError(
      `内置 SQLite 不可用：Node ${process.version} 没有 node:sqlite，better-sqlite3 也无法加载（${(error as Error).message.split('\n')[0]}）。` +
        '请改用 Node 22/24，或运行 npm run build:sqlite 编译 better-sqlite3，或设置 DATABASE_URL=mysql://… / ' +
        `The embedded SQLite is unavailable: Node ${process.version} has no node:sqlite and better-sqlite3 does not load. ` +
        'Use Node 22 or 24, run `npm run build:sqlite`, or set DATABASE_URL=mysql://…',
    );
  }
}
