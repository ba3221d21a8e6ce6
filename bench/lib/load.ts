// The load generators, posting pre-encrypted, unique WeCom callbacks (each a fresh MsgId, signed as
// WeCom signs them): an open-loop paced one for fixed rates and autocannon for saturation.
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
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

/**
 * Fixed-rate load, open loop: request i is due at start + i/rate and is sent then whatever the
 * server is doing, the way independent WeCom deliveries arrive. Latency is counted from the due
 * time, so a slow server or a late generator shows in the figures (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: it lets each connection send its whole per-second quota back
 * to back at the top of every second, so 200/s arrives as bursts and the latencies measure the
 * queue of the burst, not the server.
 */
export async function runPacedLoad(
  label: string,
  url: string,
  requests: PreparedRequest[],
  options: { rate: number; durationS: number; connections: number },
): Promise<LoadResult> {
  const total = Math.round(options.rate * options.durationS);
  if (total > requests.length) throw new Error(`${label}: needs ${total} prepared requests`);
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  const send = (prepared: PreparedRequest, due: number) =>
    new Promise<void>((resolve) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: prepared.path,
          method: 'POST',
          agent,
          timeout: 10_000,
          headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(prepared.body) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(performance.now() - due);
            if ((response.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        errors++;
        resolve();
      });
      request.end(prepared.body);
    });
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out now; the timer only decides how often we look.
      while (sent < total && start + (sent * 1000) / options.rate <= now) {
        inFlight.push(send(requests[sent]!, start + (sent * 1000) / options.rate));
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    label,
    targetRate: options.rate,
    sent,
    durationS: options.durationS,
    rps: Math.round(sent / Math.max(elapsedS, options.durationS)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    non2xx,
  };
}

/** As many requests as `connections` keep-alive connections get answered (closed loop). */
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
