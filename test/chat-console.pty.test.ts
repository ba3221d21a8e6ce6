// `npx duban chat` in a real pseudo-terminal (node-pty), where the bugs of a terminal live: the
// kernel's line editor cut lines at 4095 bytes (~1,365 Chinese characters) and /quit left the
// process running. Here the console edits lines itself, pastes arrive whole, and /quit, Ctrl-D
// and Ctrl-C end the process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty, { type IPty } from '@lydell/node-pty';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CALLBACK_PATH } from '../src/app.js';
import { writeSandboxFile } from '../src/sandbox/sandbox.js';
import { startTestBot, type TestBot } from './support/harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'duban-pty-'));
let bot: TestBot;
const received: string[] = [];

beforeAll(async () => {
  // The console signs callbacks with the machine's clock, as in `npm start`.
  bot = await startTestBot({ now: new Date().toISOString() });
  await bot.addUnit('张店区', 'district');
  await bot.addPerson('zd1', { name: '张一', role: 'liaison', unit: '张店区' });
  bot.runtime.outbox.start(100);
  // What the bot received, as decrypted (the stored body is dropped once a delivery is handled).
  const receive = bot.runtime.inbound.receive.bind(bot.runtime.inbound);
  vi.spyOn(bot.runtime.inbound, 'receive').mockImplementation((xml, inbound) => {
    if (inbound.type === 'text' && inbound.fromUser === 'zd1') received.push(inbound.content);
    return receive(xml, inbound);
  });
  writeSandboxFile(dataDir, {
    credentials: bot.credentials,
    callbackUrl: `${bot.url}${CALLBACK_PATH}`,
    apiBase: bot.fake.url,
  });
});

afterAll(async () => {
  await bot.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Terminal {
  pty: IPty;
  screen(): string;
  waitFor(text: string): Promise<void>;
  exit: Promise<{ exitCode: number; signal?: number }>;
}

/** `node bin/duban.mjs chat --as zd1` in an 80×24 terminal, on the Node running the tests. */
function openTerminal(): Terminal {
  const term = pty.spawn(process.execPath, ['bin/duban.mjs', 'chat', '--as', 'zd1'], {
    cwd: root,
    cols: 80,
    rows: 24,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  });
  let printed = '';
  term.onData((data) => {
    printed += data;
  });
  const exit = new Promise<{ exitCode: number; signal?: number }>((resolve) => term.onExit(resolve));
  return {
    pty: term,
    screen: () => printed,
    waitFor: (text) =>
      vi.waitFor(
        () => {
          if (!printed.includes(text)) throw new Error(`the terminal does not show ${text}:\n${printed}`);
        },
        { timeout: 20_000, interval: 50 },
      ),
    exit,
  };
}

async function lastInboundText(): Promise<string> {
  return received.at(-1) ?? '';
}

describe('duban chat in a terminal', () => {
  it('sends a line far past the 4095-byte terminal limit whole, and a bracketed paste as one message', async () => {
    const term = openTerminal();
    try {
      await term.waitFor('zd1> ');
      // 2,000 Chinese characters: 6,000 bytes, where the kernel's line editor kept 4,095.
      const long = `检查${'首页栏目错别字已全部更正'.repeat(166)}完`;
      term.pty.write(`${long}\r`);
      await vi.waitFor(async () => expect(await lastInboundText()).toBe(long), { timeout: 20_000 });

      // A paste of three lines, as a terminal with bracketed paste delivers it, then Enter.
      term.pty.write('\x1b[200~第一行\r第二行\r第三行\x1b[201~');
      term.pty.write('\r');
      await vi.waitFor(async () => expect(await lastInboundText()).toBe('第一行\n第二行\n第三行'), {
        timeout: 20_000,
      });

      term.pty.write('/quit\r');
      expect(await term.exit).toMatchObject({ exitCode: 0 });
    } finally {
      term.pty.kill();
    }
  });

  it.each([
    ['Ctrl-D', '\x04'],
    ['Ctrl-C', '\x03'],
  ])('ends on %s, leaving the terminal as it found it', async (_key, sequence) => {
    const term = openTerminal();
    try {
      await term.waitFor('zd1> ');
      term.pty.write(sequence);
      expect(await term.exit).toMatchObject({ exitCode: 0 });
      // Bracketed paste switched on at start is switched off again.
      expect(term.screen()).toContain('\x1b[?2004h');
      expect(term.screen()).toContain('\x1b[?2004l');
    } finally {
      term.pty.kill();
    }
  });
});
