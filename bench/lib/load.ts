// The load generator: autocannon posting pre-encrypted, unique WeCom callbacks (each a fresh MsgId,
// signed as WeCom signs them) at a fixed rate or as fast as the server answers.
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import type { WeComCredentials } from '../../src/config.js';
import { encryptMessage } from '../../src/bot/crypto.js';
import { buildXml } from '../../src/bot/xml.js';
import { newMsgId } from '../../src/sandbox/callback-client.js';

export interface PreparedRequest {
  path: string;
  body: string;
}

/** `count` distinct text callbacks from `userids` in turn, timestamped now. */
export function prepareTextCallbacks(
  credentials: WeComCredentials,
  userids: string[],
  content: string,
  count: number,
): PreparedRequest[] {
  const requests: PreparedRequest[] = [];
  const timestamp = String(Math.floor(Date.now() / 1000));
  for (let i = 0; i < count; i++) {
    const xml = buildXml({
      ToUserName: credentials.corpId,
      FromUserName: userids[i % userids.length]!,
      CreateTime: Number(timestamp),
      MsgType: 'text',
      Content: content,
      MsgId: newMsgId(),
      AgentID: credentials.agentId,
    });
    const nonce = String(randomBytes(4).readUInt32BE(0));
    const envelope = encryptMessage(credentials, xml, timestamp, nonce);
    requests.push({
      path: `/wecom/callback?msg_signature=${envelope.signature}&timestamp=${timestamp}&nonce=${nonce}`,
      body: buildXml({
        ToUserName: credentials.corpId,
        AgentID: String(credentials.agentId),
        Encrypt: envelope.encrypt,
      }),
    });
  }
  return requests;
}

export interface LoadResult {
  label: string;
  targetRate: number | 'max';
  sent: number;
  durationS: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}

export async function runLoad(
  label: string,
  url: string,
  requests: PreparedRequest[],
  options: { rate?: number; durationS: number; connections: number },
): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  // The returned instance is both an event emitter (per-response timings) and a promise.
  const instance = autocannon({
    url,
    method: 'POST',
    connections: options.connections,
    duration: options.durationS,
    overallRate: options.rate,
    headers: { 'content-type': 'text/xml' },
    requests: [
      {
        setupRequest: (request) => {
          const prepared = requests[next++ % requests.length]!;
          return { ...request, path: prepared.path, body: prepared.body };
        },
      },
    ],
  }) as unknown as EventEmitter & Promise<autocannon.Result>;
  const emitter: EventEmitter = instance;
  emitter.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  if (next > requests.length) throw new Error(`${label}: ran out of prepared requests (${requests.length})`);
  latencies.sort((a, b) => a - b);
  return {
    label,
    targetRate: options.rate ?? 'max',
    sent: result.requests.total,
    durationS: options.durationS,
    rps: Math.round(result.requests.total / options.durationS),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
