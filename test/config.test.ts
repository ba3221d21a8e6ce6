import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { checkServerVersion, resolveDatabaseTarget } from '../src/db/data-source.js';

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
});

describe('database', () => {
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
