// Runs a `duban` command in-process against a test database, capturing what it prints.
import { Readable, Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { commands } from '../../src/commands/index.js';
import type { CliIO } from '../../src/commands/types.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

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

export async function runCli(db: DataSource, name: string, ...args: string[]): Promise<CliRun> {
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) throw new Error(`command ${name} is not registered`);
  const stdout = capture();
  const stderr = capture();
  const io: CliIO = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([]),
    openDatabase: async () => db,
  };
  const code = await command.run(args, io);
  return { code, out: stdout.read(), err: stderr.read() };
}
