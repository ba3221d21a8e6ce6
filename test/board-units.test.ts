// The board's small parts: HTML escaping, the signed cookies, the OAuth URL and the return path, and
// the configuration that chooses where members sign in.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, markup, trusted } from '../src/board/html.js';
import { authorizeUrl, safeNext } from '../src/board/oauth.js';
import {
  CookieSigner,
  SESSION_TTL_MS,
  clearCookieHeader,
  cookieFrom,
  deriveSessionKey,
  readSession,
  readState,
  sameState,
  sessionValue,
  setCookieHeader,
  stateValue,
} from '../src/board/session.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/data-source.js';
import { silentLogger } from '../src/logger.js';
import { createRuntime } from '../src/runtime.js';

describe('escaping', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["O'Brien & Co", 'O&#39;Brien &amp; Co'],
    ['&lt;', '&amp;lt;'],
    ['张店区', '张店区'],
  ])('escapeHtml(%j)', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('markup escapes every value, joins arrays, drops null/undefined/false, and keeps its own markup', () => {
    const name = '<b>x</b>';
    const inner = markup`<i>${name}</i>`;
    expect(markup`<p title="${'"'}">${name}${[name, inner]}${null}${undefined}${false}${0}</p>`.value).toBe(
      '<p title="&quot;">&lt;b&gt;x&lt;/b&gt;&lt;b&gt;x&lt;/b&gt;<i>&lt;b&gt;x&lt;/b&gt;</i>0</p>',
    );
    expect(markup`${trusted('<br>')}`.value).toBe('<br>');
  });

  it('jsonForScript cannot close its script block and stays valid JSON', () => {
    const value = { name: '</script><script>alert(1)</script>', note: 'a&b <!-- \u2028\u2029' };
    const text = jsonForScript(value).value;
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('signed cookies', () => {
  const signer = new CookieSigner(deriveSessionKey('a-secret-that-is-long-enough-for-tests'));
  const now = new Date('2026-02-14T02:00:00Z');

  const expires = new Date(now.getTime() + SESSION_TTL_MS);

  it('a session cookie reads back (its token) until it expires, eight hours later', () => {
    const value = sessionValue(signer, 'token-1', expires);
    expect(readSession(signer, value, now)).toEqual({ token: 'token-1', expiresAt: expires.getTime() });
    expect(readSession(signer, value, new Date(expires.getTime() - 1))?.token).toBe('token-1');
    expect(readSession(signer, value, expires)).toBeUndefined();
  });

  it('refuses a changed payload, a changed signature, another key, and a state cookie used as a session', () => {
    const value = sessionValue(signer, 'token-2', expires);
    const [body, mac] = value.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ t: 'token-3', e: now.getTime() + 1000 })).toString(
      'base64url',
    );
    expect(readSession(signer, `${other}.${mac}`, now)).toBeUndefined();
    expect(readSession(signer, `${body}.${mac.slice(0, -2)}AA`, now)).toBeUndefined();
    expect(readSession(signer, `${body}.`, now)).toBeUndefined();
    expect(readSession(signer, body, now)).toBeUndefined();
    expect(readSession(signer, undefined, now)).toBeUndefined();
    const stranger = new CookieSigner(deriveSessionKey('another-secret-that-is-long-enough'));
    expect(readSession(stranger, value, now)).toBeUndefined();
    const state = stateValue(signer, { state: 'abc', next: '/board' }, now);
    expect(readSession(signer, state, now)).toBeUndefined();
    expect(readState(signer, state, now)).toEqual({ state: 'abc', next: '/board' });
    expect(readState(signer, value, now)).toBeUndefined();
  });

  it('the OAuth state lives ten minutes', () => {
    const state = stateValue(signer, { state: 'abc', next: '/board/unit/3' }, now);
    expect(readState(signer, state, new Date(now.getTime() + 10 * 60_000 - 1))).toBeDefined();
    expect(readState(signer, state, new Date(now.getTime() + 10 * 60_000))).toBeUndefined();
    expect(sameState('abc', 'abc')).toBe(true);
    expect(sameState('abc', 'abd')).toBe(false);
    expect(sameState('abc', 'abcd')).toBe(false);
  });

  it('derives the same key from the same secret, and different keys from different ones', () => {
    expect(deriveSessionKey('x'.repeat(40))).toEqual(deriveSessionKey('x'.repeat(40)));
    expect(deriveSessionKey('x'.repeat(40))).not.toEqual(deriveSessionKey('y'.repeat(40)));
    expect(deriveSessionKey('x'.repeat(40))).toHaveLength(32);
  });

  it('writes and reads cookie headers', () => {
    expect(setCookieHeader('a', 'v.1', { maxAgeSeconds: 60, secure: false })).toBe(
      'a=v.1; Path=/board; Max-Age=60; HttpOnly; SameSite=Lax',
    );
    expect(clearCookieHeader('a', true)).toBe('a=; Path=/board; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
    expect(cookieFrom('x=1; duban_board=abc.def; y=2', 'duban_board')).toBe('abc.def');
    expect(cookieFrom('duban_board_state=s', 'duban_board')).toBeUndefined();
    expect(cookieFrom(undefined, 'duban_board')).toBeUndefined();
  });
});

describe('OAuth', () => {
  it('builds WeCom’s documented authorize URL', () => {
    expect(
      authorizeUrl({
        oauthBase: 'https://open.weixin.qq.com',
        corpId: 'ww1234567890abcdef',
        agentId: 1000002,
        redirectUri: 'https://bot.example.gov.cn/board/oauth',
        state: '0123456789abcdef0123456789abcdef',
      }),
    ).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww1234567890abcdef' +
        '&redirect_uri=https%3A%2F%2Fbot.example.gov.cn%2Fboard%2Foauth&response_type=code&scope=snsapi_base' +
        '&state=0123456789abcdef0123456789abcdef&agentid=1000002#wechat_redirect',
    );
  });

  it.each([
    ['/board', '/board'],
    ['/board/unit/12', '/board/unit/12'],
    ['/board/export/progress.xlsx?unit=3', '/board/export/progress.xlsx?unit=3'],
    ['/board/oauth', '/board'],
    ['//evil.example/board', '/board'],
    ['https://evil.example/board', '/board'],
    ['/board/..//evil.example', '/board'],
    ['/board\\evil', '/board'],
    ['/board/../wecom/callback', '/board'],
    ['/boardx', '/board'],
    ['/wecom/callback', '/board'],
    [undefined, '/board'],
  ])('safeNext(%j) is %j', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});

describe('configuration', () => {
  const LIVE = {
    WECOM_CORP_ID: 'ww123',
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 's3cret',
    WECOM_TOKEN: 'tok',
    WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    SESSION_SECRET: 'a-board-key-of-its-own-0123456789abcdef',
    PUBLIC_BASE_URL: 'https://bot.example.gov.cn',
  };

  it('signs in at open.weixin.qq.com by default; SESSION_SECRET is optional in the sandbox but not short', () => {
    expect(loadConfig({})).toMatchObject({
      oauthBase: 'https://open.weixin.qq.com',
      sessionSecret: undefined,
    });
    expect(
      loadConfig({ WECOM_OAUTH_BASE: 'https://oauth.example/', SESSION_SECRET: 'k'.repeat(32) }),
    ).toMatchObject({ oauthBase: 'https://oauth.example', sessionSecret: 'k'.repeat(32) });
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ WECOM_OAUTH_BASE: 'not a url' })).toThrow(/WECOM_OAUTH_BASE/);
  });

  it.each([
    ['live', LIVE, 'https://open.weixin.qq.com/connect/oauth2/authorize?appid=ww123&'],
    ['sandbox', {}, 'http://fake.local:3001/connect/oauth2/authorize?appid=wwsandbox&'],
  ])('in %s mode the board sends members to the right sign-in', async (_mode, env, expected) => {
    const dataSource = await openDatabase({ kind: 'sqlite', path: ':memory:' });
    try {
      const runtime = createRuntime({
        config: loadConfig(env),
        dataSource,
        credentials:
          env === LIVE
            ? loadConfig(LIVE).wecom!
            : { corpId: 'wwsandbox', agentId: 1000002, secret: 'x', token: 't', encodingAesKey: 'k' },
        apiBase: 'http://fake.local:3001',
        logger: silentLogger,
      });
      const response = await request(runtime.app.callback()).get('/board');
      expect(response.status).toBe(302);
      expect(response.headers.location).toContain(expected);
    } finally {
      await dataSource.destroy();
    }
  });
});
