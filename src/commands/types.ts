import type { Readable, Writable } from 'node:stream';
import type { DataSource } from 'typeorm';

/** What a CLI command may touch: its streams and, lazily, the database. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** Opens (and migrates) the configured database; commands that need no DB never call it. */
  openDatabase(): Promise<DataSource>;
}

export interface CliCommand {
  name: string;
  /** One line, Chinese first, shown by `duban help`. */
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}
