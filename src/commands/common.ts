// What the `duban` commands share: exit codes, printing, the usage message, the file named on the
// command line, and the actor recorded for changes made from the command line.
import { open, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import type { CliIO } from './types.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `import`, `import-messages`: the file was refused by a content limit (size, zip check, parse). */
export const EXIT_LIMIT = 3;

export function writeLine(stream: Writable, text: string): void {
  stream.write(`${text}\n`);
}

/** `用法：npx duban <usage>` and any explanation lines on stderr; returns the exit code for it. */
export function writeUsage(io: CliIO, usage: string, ...details: string[]): number {
  writeLine(io.stderr, `用法：npx duban ${usage}`);
  for (const line of details) writeLine(io.stderr, line);
  return EXIT_USAGE;
}

/** The file's bytes, or null after saying on stderr why it could not be read. */
export async function readArgumentFile(io: CliIO, path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    writeLine(io.stderr, code === 'ENOENT' ? `找不到文件 ${path}` : `无法读取文件 ${path}：${String(error)}`);
    return null;
  }
}

/**
 * A file named on the command line, read only when it is within `maxBytes` (the same caps as for
 * files sent to the bot): 'too-large' without reading it, or null after saying why it is unreadable.
 */
export async function readCappedFile(
  io: CliIO,
  path: string,
  maxBytes: number,
): Promise<Buffer | 'too-large' | null> {
  try {
    const handle = await open(path, 'r');
    try {
      if ((await handle.stat()).size > maxBytes) return 'too-large';
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    writeLine(io.stderr, code === 'ENOENT' ? `找不到文件 ${path}` : `无法读取文件 ${path}：${String(error)}`);
    return null;
  }
}

/** Who made a change from the command line (audit actor, calendar_year.imported_by). */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
