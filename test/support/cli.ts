// Runs a `duban` command in-process against a test database, capturing what it prints.
import { Readable, Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { commands } from '../../src/commands/index.js';
import type { CliCommand, CliIO } from '../../src/commands/types.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

// A Writable calls write() synchronously, so the text is complete as soon as the command returns.
function capture(): { stream: Writable; read: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, read: () => text };
}

/** Runs `command` with `args`; `db` is what openDatabase gives (null: the command must not ask). */
export async function runCommand(
  command: CliCommand,
  db: DataSource | null,
  args: string[],
  stdin = '',
): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const io: CliIO = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(stdin === '' ? [] : [Buffer.from(stdin, 'utf8')]),
    openDatabase: async () => {
      if (!db) throw new Error(`${command.name} needs no database`);
      return db;
    },
  };
  const code = await command.run(args, io);
  return { code, out: stdout.read(), err: stderr.read() };
}

/** Runs the registered command `name`. */
export async function runCli(db: DataSource, name: string, ...args: string[]): Promise<CliRun> {
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) throw new Error(`command ${name} is not registered`);
  return runCommand(command, db, args);
}
