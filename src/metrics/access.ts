// Who may read /metrics. With METRICS_TOKEN set: only `Authorization: Bearer <token>`. Without it:
// only clients on this machine, judged by the TCP peer address (a header such as X-Forwarded-For
// is written by the client and proves nothing) — and not through a local reverse proxy either,
// which would make every outside client look local: a request carrying forwarding headers is refused.
import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'allowed' | 'bad-token' | 'not-local';

export interface MetricsRequest {
  /** The socket's remote address (`req.socket.remoteAddress`). */
  remoteAddress: string | undefined;
  authorization: string | undefined;
  /** Whether the request carries Forwarded, X-Forwarded-For or X-Real-IP. */
  forwarded: boolean;
}

/** 127.0.0.0/8, ::1, and the IPv4-mapped form of 127.0.0.0/8 that dual-stack sockets report. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** Compares in constant time (both sides hashed first, so their lengths do not show either). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function metricsAccess(request: MetricsRequest, token: string | undefined): MetricsAccess {
  if (token !== undefined) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(request.authorization ?? '');
    return match && sameSecret(match[1]!, token) ? 'allowed' : 'bad-token';
  }
  return isLoopback(request.remoteAddress) && !request.forwarded ? 'allowed' : 'not-local';
}
