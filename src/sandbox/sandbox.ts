// Sandbox mode (no WECOM_SECRET): the bot talks to the built-in fake WeCom API with generated
// dev credentials that are kept in data/sandbox.json, so restarts (and the chat console) share them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WeComCredentials } from '../config.js';
import type { Clock } from '../clock.js';
import { FakeWeCom } from './fake-wecom.js';
import type { RunningUnitSites } from './unit-sites/server.js';

export interface SandboxFile {
  credentials: WeComCredentials;
  /** Where the bot's callback listens and where the fake API listens (for `duban chat`). */
  callbackUrl?: string;
  apiBase?: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

/** A valid EncodingAESKey: 43 characters that decode (with "=") to 32 bytes. */
export function generateEncodingAesKey(): string {
  return randomBytes(32)
    .toString('base64')
    .slice(0, 43)
    .replace(/[+/]/g, () => randomAlphanumeric(1));
}

export function generateCredentials(): WeComCredentials {
  let encodingAesKey = generateEncodingAesKey();
  while (Buffer.from(`${encodingAesKey}=`, 'base64').length !== 32) encodingAesKey = generateEncodingAesKey();
  return {
    corpId: `wwsandbox${randomAlphanumeric(9).toLowerCase()}`,
    agentId: 1000002,
    secret: randomAlphanumeric(43),
    token: randomAlphanumeric(32),
    encodingAesKey,
  };
}

export function sandboxFilePath(dataDir: string): string {
  return join(dataDir, 'sandbox.json');
}

export function readSandboxFile(dataDir: string): SandboxFile | undefined {
  const path = sandboxFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as SandboxFile;
}

export function writeSandboxFile(dataDir: string, file: SandboxFile): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(sandboxFilePath(dataDir), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

export interface RunningSandbox {
  credentials: WeComCredentials;
  apiBase: string;
  fake: FakeWeCom;
  /** The demo directory's fictional unit sites, once the directory is there. */
  unitSites?: RunningUnitSites;
  close(): Promise<void>;
}

/** Loads or creates the dev credentials and starts the fake WeCom API on `port` (0 = any). */
export async function startSandbox(dataDir: string, port: number, clock?: Clock): Promise<RunningSandbox> {
  const existing = readSandboxFile(dataDir);
  const credentials = existing?.credentials ?? generateCredentials();
  const fake = new FakeWeCom({
    corpId: credentials.corpId,
    agents: [{ agentId: credentials.agentId, secret: credentials.secret }],
    members: 'any',
    robotKeys: 'any',
    clock,
  });
  const apiBase = await fake.listen(port);
  writeSandboxFile(dataDir, { ...existing, credentials, apiBase });
  const running: RunningSandbox = {
    credentials,
    apiBase,
    fake,
    close: async () => {
      await running.unitSites?.close();
      await fake.close();
    },
  };
  return running;
}
