import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { maskPiiForLog } from '../src/services/pii/detector.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', maskText: maskPiiForLog, destination }) };
}

describe('logger', () => {
  it('never writes secrets', () => {
    const { lines, logger } = capture();
    logger.info(
      { secret: 's3cret', wecom: { token: 'tok', encodingAesKey: 'k' }, access_token: 'at' },
      'config',
    );
    const line = lines.join('');
    for (const secret of ['s3cret', '"tok"', '"k"', '"at"']) expect(line).not.toContain(secret);
    expect(line).toContain('[redacted]');
  });

  it('masks personal information in free text and in the message', () => {
    const { lines, logger } = capture();
    logger.info({ text: '联系人手机13812345678' }, '来电 13912345678');
    const line = lines.join('');
    expect(line).not.toContain('13812345678');
    expect(line).not.toContain('13912345678');
    expect(line).toContain('138****5678');
  });
});
