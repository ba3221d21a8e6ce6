// The log never carries personal information or secrets: hostile errors are logged through the real
// logger (with the project's PII detector) and the written lines are read back.
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { createLogger, createScrubber } from '../src/logger.js';
import { maskPiiForLog } from '../src/services/pii/detector.js';

const ID = '110101199003074514';
const MOBILE = '13812345678';
const CARD = '6222021234567890128';
const APP_SECRET = 'app-secret-Zx81kq0PLm';
const ACCESS_TOKEN = 'aT0kEn_'.padEnd(120, 'x9');

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({
    level: 'info',
    maskText: maskPiiForLog,
    secrets: [APP_SECRET],
    destination,
  });
  return { logger, output: () => lines.join('') };
}

function expectClean(output: string): void {
  for (const raw of [ID, MOBILE, CARD, APP_SECRET, ACCESS_TOKEN, 'db-pass-123', 'oauth-code-xyz']) {
    expect(output, raw).not.toContain(raw);
  }
}

describe('logger', () => {
  it('never writes secrets', () => {
    const { logger, output } = capture();
    logger.info(
      {
        secret: 's3cret',
        wecom: { token: 'tok', encodingAesKey: 'k' },
        access_token: 'at',
        headers: { cookie: 'duban_board=abc', authorization: 'Bearer x' },
        sessionSecret: 'x'.repeat(32),
      },
      'config',
    );
    const line = output();
    for (const secret of ['s3cret', '"tok"', '"k"', '"at"', 'duban_board=abc', 'Bearer x', 'x'.repeat(32)])
      expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });

  it('masks personal information in free text and in the message', () => {
    const { logger, output } = capture();
    logger.info(
      { text: '联系人手机13812345678', nested: { deeper: [{ note: `身份证${ID}` }] } },
      `来电 ${MOBILE}`,
    );
    expectClean(output());
    expect(output()).toContain('138****5678');
  });

  it('masks a TypeORM QueryFailedError: message, query parameters, driver error', () => {
    const { logger, output } = capture();
    const driverError = Object.assign(new Error(`Duplicate entry '${ID}' for key 'IDX_person_mobile'`), {
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlMessage: `Duplicate entry '${ID}' for key 'IDX_person_mobile'`,
      sql: `INSERT INTO person (name, mobile) VALUES ('张三', '${MOBILE}')`,
    });
    const error = new QueryFailedError(
      'INSERT INTO `person`(`name`, `mobile`, `note`) VALUES (?, ?, ?)',
      ['张三', MOBILE, `卡号 ${CARD}`, ACCESS_TOKEN],
      driverError,
    );
    logger.error({ err: error, inboundId: 7 }, 'handler failed');
    const line = output();
    expectClean(line);
    const parsed = JSON.parse(line) as { err: Record<string, unknown>; inboundId: number };
    expect(parsed.inboundId).toBe(7);
    expect(parsed.err.type).toBe('QueryFailedError');
    expect(parsed.err.code).toBe('ER_DUP_ENTRY');
    expect(parsed.err.parameters).toEqual([
      '张三',
      '138****5678',
      expect.stringContaining('卡号'),
      '[redacted]',
    ]);
    expect(String(parsed.err.message)).toContain('Duplicate entry');
  });

  it('masks nested causes, aggregated errors and an error logged on its own', () => {
    const { logger, output } = capture();
    const inner = new Error(`upstream said: mobile ${MOBILE}`);
    const middle = new Error('media download failed', { cause: inner });
    const outer = new AggregateError([middle, new Error(`卡 ${CARD}`)], `task reply of ${ID} failed`);
    logger.error(outer);
    logger.warn({ err: new Error('wrapped', { cause: { detail: `身份证 ${ID}` } }) }, 'warn');
    const text = output();
    expectClean(text);
    expect(text).toContain('media download failed');
    expect(text).toContain('"cause"');
  });

  it('takes credentials out of URLs and connection strings, and the configured secrets out of anything', () => {
    const { logger, output } = capture();
    logger.warn(
      {
        url: `https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=${APP_SECRET}`,
        robot: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx',
        redirect: '/board/oauth?code=oauth-code-xyz&state=abc',
        database: 'mysql://duban:db-pass-123@db:3306/duban',
      },
      `token request failed for ${APP_SECRET}`,
    );
    const text = output();
    expectClean(text);
    expect(text).not.toContain('693a91f6');
    expect(text).toContain('mysql://duban:[redacted]@db:3306/duban');
  });

  it('survives cycles and binary data', () => {
    const scrub = createScrubber({ maskText: maskPiiForLog });
    const looped: Record<string, unknown> = { name: ID };
    looped.self = looped;
    expect(scrub({ looped, data: Buffer.alloc(4) })).toEqual({
      looped: { name: maskPiiForLog(ID), self: '[circular]' },
      data: '[4 bytes]',
    });
  });

  it('scrubs the bindings of a child logger', () => {
    const { logger, output } = capture();
    logger.child({ from: MOBILE, token: 'child-token-value' }).info('hello');
    expectClean(output());
    expect(output()).not.toContain('child-token-value');
  });
});
