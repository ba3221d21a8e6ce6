// Who may read /metrics: decided by the TCP peer address and the bearer token, never by headers a
// client writes itself (X-Forwarded-For), and never through a reverse proxy on this machine.
import { describe, expect, it } from 'vitest';
import { isLoopback, metricsAccess, sameSecret, type MetricsRequest } from '../src/metrics/access.js';
import { callbackOutcome } from '../src/metrics/callback-metrics.js';

const TOKEN = 'scrape-token-0123456789';
const from = (remoteAddress: string | undefined, extra: Partial<MetricsRequest> = {}): MetricsRequest => ({
  remoteAddress,
  authorization: undefined,
  forwarded: false,
  ...extra,
});

describe('loopback addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['fe80::1', false],
    ['127.0.0.1.evil', false],
    ['1127.0.0.1', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});

describe('without METRICS_TOKEN', () => {
  it.each([
    ['a loopback client', from('127.0.0.1'), 'allowed'],
    ['an IPv6 loopback client', from('::1'), 'allowed'],
    ['a client elsewhere', from('10.1.2.3'), 'not-local'],
    [
      'a client elsewhere claiming loopback in X-Forwarded-For',
      from('10.1.2.3', { forwarded: true }),
      'not-local',
    ],
    [
      'a local reverse proxy forwarding an outside client',
      from('127.0.0.1', { forwarded: true }),
      'not-local',
    ],
    [
      'a client elsewhere with a made-up token',
      from('10.1.2.3', { authorization: 'Bearer anything' }),
      'not-local',
    ],
    ['a socket already closed (no address)', from(undefined), 'not-local'],
  ])('%s: %s', (_case, request, expected) => {
    expect(metricsAccess(request, undefined)).toBe(expected);
  });
});

describe('with METRICS_TOKEN', () => {
  it.each([
    ['the right token from anywhere', from('10.1.2.3', { authorization: `Bearer ${TOKEN}` }), 'allowed'],
    ['the right token, lower-case scheme', from('10.1.2.3', { authorization: `bearer ${TOKEN}` }), 'allowed'],
    [
      'the right token through a proxy',
      from('127.0.0.1', { authorization: `Bearer ${TOKEN}`, forwarded: true }),
      'allowed',
    ],
    ['no token, even from loopback', from('127.0.0.1'), 'bad-token'],
    ['a wrong token', from('127.0.0.1', { authorization: 'Bearer scrape-token-0123456780' }), 'bad-token'],
    [
      'the token with something after it',
      from('127.0.0.1', { authorization: `Bearer ${TOKEN} extra` }),
      'bad-token',
    ],
    [
      'the token followed by more characters',
      from('127.0.0.1', { authorization: `Bearer ${TOKEN}x` }),
      'bad-token',
    ],
    ['an empty bearer', from('127.0.0.1', { authorization: 'Bearer ' }), 'bad-token'],
    ['Basic credentials', from('127.0.0.1', { authorization: `Basic ${TOKEN}` }), 'bad-token'],
  ])('%s: %s', (_case, request, expected) => {
    expect(metricsAccess(request, TOKEN)).toBe(expected);
  });

  it('compares secrets of any length without throwing', () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret('', TOKEN)).toBe(false);
    expect(sameSecret(TOKEN.repeat(100), TOKEN)).toBe(false);
  });
});

describe('callback outcomes', () => {
  it.each([
    ['POST', 200, '<xml>…</xml>', 'passive'],
    ['POST', 200, '', 'empty'],
    ['GET', 200, 'echo', 'verified'],
    ['POST', 400, 'rejected', 'rejected'],
    ['POST', 401, 'rejected', 'rejected'],
    ['POST', 413, 'rejected', 'rejected'],
    ['PUT', 405, 'rejected', 'rejected'],
    ['POST', 503, 'service unavailable', 'unavailable'],
    ['POST', 500, 'internal error', 'error'],
  ])('%s answered %i %j → %s', (method, status, body, expected) => {
    expect(callbackOutcome(method, status, body)).toBe(expected);
  });
});
