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
};

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
