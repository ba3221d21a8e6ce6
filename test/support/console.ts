// Drives `duban chat` in-process through its input stream, against a test bot, reading what it
// prints. (test/chat-console.pty.test.ts drives the real command in a pseudo-terminal.)
import { PassThrough, Writable } from 'node:stream';
import { vi } from 'vitest';
import { CALLBACK_PATH } from '../../src/app.js';
import { runChatConsole } from '../../src/sandbox/chat-console.js';
import type { TestBot } from './harness.js';

export interface ConsoleDriver {
  /** Types a line and Enter. */
  type(line: string): void;
  /** Everything printed so far. */
  output(): string;
  /** Where the output ends now: pass it to waitFor to look only at what comes after. */
  mark(): number;
  /** Waits until the output after `from` matches, and returns that part. */
  waitFor(pattern: string | RegExp, from?: number): Promise<string>;
  /** Ends the input (Ctrl-D / end of a pipe). */
  end(): void;
  /** Settles when the console has finished. */
  done: Promise<void>;
}

export function openConsole(bot: TestBot, userid: string): ConsoleDriver {
  const input = new PassThrough();
  let printed = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      printed += chunk.toString('utf8');
      callback();
    },
  });
  const done = runChatConsole({
    userid,
    sandbox: {
      credentials: bot.credentials,
      callbackUrl: `${bot.url}${CALLBACK_PATH}`,
      apiBase: bot.fake.url,
    },
    input,
    output,
    terminal: false,
    clock: bot.clock,
  });
  return {
    type: (line) => input.write(`${line}\n`),
    output: () => printed,
    mark: () => printed.length,
    async waitFor(pattern, from = 0) {
      return vi.waitFor(
        () => {
          const part = printed.slice(from);
          const found = typeof pattern === 'string' ? part.includes(pattern) : pattern.test(part);
          if (!found) throw new Error(`console has not printed ${String(pattern)}; it printed:\n${part}`);
          return part;
        },
        { timeout: 15_000, interval: 20 },
      );
    },
    end: () => input.end(),
    done,
  };
}
