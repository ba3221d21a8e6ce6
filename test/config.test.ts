import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import {
  checkServerVersion,
  configuredDatabaseTarget,
  resolveDatabaseTarget,
} from '../src/db/data-source.js';

const LIVE = {
  WECOM_CORP_ID: 'ww123',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 's3cret',
  WECOM_TOKEN: 'tok',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  SESSION_SECRET: 'a-board-key-of-its-own-0123456789abcdef',
  PUBLIC_BASE_URL: 'https://bot.example.gov.cn',
};

/** The message of the ConfigError that `env` gives. */
function refusal(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('config', () => {
  it('defaults to sandbox mode on SQLite', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      mode: 'sandbox',
      port: 3000,
      databaseUrl: undefined,
      callbackMaxSkewSeconds: 300,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('is live when a secret is set', () => {
    const config = loadConfig(LIVE);
    expect(config.mode).toBe('live');
    expect(config.wecom).toEqual({
      corpId: 'ww123',
      agentId: 1000002,
      secret: 's3cret',
      token: 'tok',
      encodingAesKey: LIVE.WECOM_ENCODING_AES_KEY,
    });
  });

  it('lists every missing or malformed variable at once', () => {
    try {
      loadConfig({
        WECOM_SECRET: 'x',
        WECOM_ENCODING_AES_KEY: 'short',
        PORT: 'abc',
        DATABASE_URL: 'postgres://x',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of [
        'PORT',
        'DATABASE_URL',
        'WECOM_ENCODING_AES_KEY',
        'WECOM_CORP_ID',
        'WECOM_AGENT_ID',
        'WECOM_TOKEN',
      ]) {
        expect(message).toContain(name);
      }
      expect(message).toContain('配置有误');
      expect(message).toContain('Invalid configuration');
    }
  });

  it.each([
    ['PORT', 'abc', 'PORT: 必须是 0–65535 之间的整数 / must be an integer from 0 to 65535'],
    ['PORT', '70000', 'PORT: 必须是 0–65535 之间的整数 / must be an integer from 0 to 65535'],
    ['OUTBOX_LEASE_S', '1.5', 'OUTBOX_LEASE_S: 必须是 5–3600 之间的整数 / must be an integer from 5 to 3600'],
    ['CALLBACK_MAX_SKEW_S', '0', 'CALLBACK_MAX_SKEW_S: 必须是 1–86400 之间的整数'],
    ['WECOM_API_BASE', 'qyapi', 'WECOM_API_BASE: 必须是完整的网址，如 https://… / must be a full URL'],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL: 必须是 fatal、error、warn、info、debug、trace、silent 之一 / must be one of',
    ],
    [
      'PUBLIC_BASE_URL',
      'duban.example',
      'PUBLIC_BASE_URL: 必须以 http(s):// 开头 / must start with http(s)://',
    ],
    [
      'METRICS_TOKEN',
      'short',
      'METRICS_TOKEN: 至少 16 个字符，只用字母、数字和符号（不含空格） / at least 16',
    ],
    ['METRICS_TOKEN', 'a token with spaces inside', 'METRICS_TOKEN: 至少 16 个字符'],
    ['METRICS_TOKEN', '口令口令口令口令口令口令口令口令', 'METRICS_TOKEN: 至少 16 个字符'],
  ])('says what is wrong with %s=%s in Chinese and English', (name, value, expected) => {
    expect(() => loadConfig({ [name]: value })).toThrow(expected);
  });

  it('takes METRICS_TOKEN as given, and leaves /metrics to loopback clients without it', () => {
    expect(loadConfig({ METRICS_TOKEN: ' scrape-token-0123456789 ' }).metricsToken).toBe(
      'scrape-token-0123456789',
    );
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
  });
});

describe('live mode refuses unsafe settings', () => {
  const { SESSION_SECRET: _s, PUBLIC_BASE_URL: _p, ...BARE_LIVE } = LIVE;

  it.each([
    [
      'no SESSION_SECRET (the board key would be derived from the app secret)',
      { ...BARE_LIVE, PUBLIC_BASE_URL: LIVE.PUBLIC_BASE_URL },
      'SESSION_SECRET: 正式模式（配置了 WECOM_SECRET）必填，至少 32 个字符的随机值 / required in live mode',
    ],
    [
      'a short SESSION_SECRET',
      { ...LIVE, SESSION_SECRET: 'short' },
      'SESSION_SECRET: 至少 32 个字符 / at least 32 characters',
    ],
    [
      'the app secret as SESSION_SECRET',
      { ...LIVE, WECOM_SECRET: 'x'.repeat(40), SESSION_SECRET: 'x'.repeat(40) },
      'SESSION_SECRET: 不能由企业微信的 Secret、Token 或 EncodingAESKey 构成',
    ],
    [
      'SESSION_SECRET made from the AES key',
      { ...LIVE, SESSION_SECRET: `board-${LIVE.WECOM_ENCODING_AES_KEY}` },
      'SESSION_SECRET: 不能由企业微信的 Secret、Token 或 EncodingAESKey 构成',
    ],
    [
      'no PUBLIC_BASE_URL (the sign-in would trust the request Host)',
      { ...BARE_LIVE, SESSION_SECRET: LIVE.SESSION_SECRET },
      'PUBLIC_BASE_URL: 正式模式（配置了 WECOM_SECRET）必填（进度看板的登录回调地址） / required in live mode',
    ],
    [
      'production over plain http',
      { ...LIVE, NODE_ENV: 'production', PUBLIC_BASE_URL: 'http://bot.example.gov.cn' },
      'PUBLIC_BASE_URL: 生产环境须使用 https:// / production needs https://',
    ],
    [
      'production without live credentials (a sandbox on the production database)',
      { NODE_ENV: 'production', DATABASE_URL: 'mysql://duban:pw@db:3306/duban' },
      'WECOM_SECRET: 生产环境（NODE_ENV=production）须配置企业微信应用凭据，不能以沙箱模式运行',
    ],
  ])('%s', (_name, env, expected) => {
    const message = refusal(env);
    expect(message).toContain('配置有误，无法启动 / Invalid configuration, not starting:');
    expect(message).toContain(expected);
  });

  it('names every unsafe setting at once', () => {
    const message = refusal({ ...BARE_LIVE, NODE_ENV: 'production' });
    expect(message).toContain('SESSION_SECRET:');
    expect(message).toContain('PUBLIC_BASE_URL:');
  });

  it('starts with its own key and address, in production too', () => {
    expect(loadConfig({ ...LIVE, NODE_ENV: 'production' })).toMatchObject({
      mode: 'live',
      production: true,
      sessionSecret: LIVE.SESSION_SECRET,
      publicBaseUrl: LIVE.PUBLIC_BASE_URL,
    });
  });

  it('lets the sandbox run without either (its key comes from its generated secret)', () => {
    expect(loadConfig({})).toMatchObject({ mode: 'sandbox', sessionSecret: undefined });
  });
});

describe('TRUST_PROXY, FETCH_ALLOW, AUDIT_RETENTION_DAYS', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    ['0', 0],
    ['false', 0],
    ['1', 1],
    ['true', 1],
    ['YES', 1],
    ['2', 2],
  ])('TRUST_PROXY=%j trusts %i proxies', (value, hops) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(hops);
  });

  it('refuses a TRUST_PROXY that is not a count', () => {
    expect(refusal({ TRUST_PROXY: 'nginx' })).toContain(
      'TRUST_PROXY: 必须是 0–5 之间的整数 / must be an integer from 0 to 5',
    );
  });

  it('reads FETCH_ALLOW as hosts, addresses and CIDR ranges', () => {
    expect(
      loadConfig({ FETCH_ALLOW: '10.12.0.0/16, zwfw.ZIBO.gov.cn，127.0.0.1 fd00::/8' }).fetchAllow,
    ).toEqual(['10.12.0.0/16', 'zwfw.zibo.gov.cn', '127.0.0.1', 'fd00::/8']);
    expect(loadConfig({}).fetchAllow).toEqual([]);
  });

  it.each(['10.0.0.0/33', 'http://10.1.2.3/', 'a_b.example', '10.0.0.0/8,*.example'])(
    'refuses FETCH_ALLOW=%s',
    (value) => {
      expect(refusal({ FETCH_ALLOW: value })).toContain(
        'FETCH_ALLOW: 必须是主机名、IP 地址或 CIDR 网段，以逗号分隔 / must be host names, addresses or CIDR ranges',
      );
    },
  );

  it('keeps audit rows a year by default and never less than 180 days', () => {
    expect(loadConfig({}).auditRetentionDays).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '180' }).auditRetentionDays).toBe(180);
    expect(refusal({ AUDIT_RETENTION_DAYS: '90' })).toContain(
      'AUDIT_RETENTION_DAYS: 必须是 180–3650 之间的整数',
    );
  });
});

describe('database', () => {
  it('refuses the embedded SQLite in production, with a clear message', () => {
    const base = { databaseUrl: undefined, dataDir: 'data' };
    expect(() => configuredDatabaseTarget({ ...base, production: true })).toThrow(
      'DATABASE_URL: 生产环境（NODE_ENV=production）须使用 MySQL/MariaDB',
    );
    expect(configuredDatabaseTarget({ ...base, production: false }).kind).toBe('sqlite');
    expect(
      configuredDatabaseTarget({
        databaseUrl: 'mysql://root@db:3306/duban',
        dataDir: 'data',
        production: true,
      }),
    ).toEqual({ kind: 'mysql', url: 'mysql://root@db:3306/duban' });
  });

  it.each([
    ['10.11.19-MariaDB-0+deb12u1', true],
    ['10.6.0-MariaDB', true],
    ['10.5.22-MariaDB', false],
    ['8.0.36', true],
    ['8.0.0', false],
    ['5.7.44-log', false],
  ])('%s supported: %s', (version, ok) => {
    expect(checkServerVersion(version) === undefined).toBe(ok);
  });

  it('resolves targets', () => {
    expect(resolveDatabaseTarget(undefined, '/tmp/d')).toEqual({
      kind: 'sqlite',
      path: '/tmp/d/duban.sqlite',
    });
    expect(resolveDatabaseTarget('mariadb://u:p@h:3306/db', 'data')).toEqual({
      kind: 'mysql',
      url: 'mysql://u:p@h:3306/db',
    });
    expect(resolveDatabaseTarget('sqlite::memory:', 'data')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });
});
