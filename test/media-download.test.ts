// Media downloads stop reading at their byte cap: a file larger than the cap is refused without
// being read (or held) whole, whether the server declares its length or streams it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeComApi } from '../src/bot/api-client.js';
import type { TokenProvider } from '../src/bot/token-provider.js';
import { silentLogger } from '../src/logger.js';

const CHUNK = 64 * 1024;
const TOTAL = 10 * 1024 * 1024;
let server: Server;
let api: WeComApi;
/** Bytes the server managed to write of the streamed file before the client hung up. */
let written = 0;
let finished: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const declared = url.searchParams.get('media_id') === 'declared';
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-disposition': "attachment; filename*=UTF-8''big.bin",
      ...(declared ? { 'content-length': String(TOTAL) } : {}),
    });
    written = 0;
    finished = new Promise((resolve) => {
      const pump = () => {
        while (written < TOTAL) {
          if (response.destroyed) return resolve();
          written += CHUNK;
          if (!response.write(Buffer.alloc(CHUNK, 0x41))) return response.once('drain', pump);
        }
        response.end();
        resolve();
      };
      response.on('close', () => resolve());
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = new WeComApi({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    corpId: 'ww1',
    secret: 's',
    agentId: 1,
    logger: silentLogger,
  });
  api.useTokenProvider({
    get: async () => 'token',
    invalidate: async () => undefined,
  } as unknown as TokenProvider);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('getMedia with a byte cap', () => {
  it('refuses a file whose declared length is over the cap without reading it', async () => {
    expect(await api.getMedia('declared', 1024 * 1024)).toEqual({
      ok: false,
      tooLarge: true,
      limitBytes: 1024 * 1024,
      fileName: 'big.bin',
    });
  });

  it('stops reading a streamed file at the cap', async () => {
    const outcome = await api.getMedia('streamed', 1024 * 1024);
    expect(outcome).toMatchObject({ ok: false, tooLarge: true });
    await finished;
    // The server could not push the whole 10 MB: the client stopped reading and hung up.
    expect(written).toBeLessThan(TOTAL);
  });

  it('reads a file within the cap', async () => {
    const outcome = await api.getMedia('streamed', TOTAL);
    expect(outcome.ok && outcome.file.data.length).toBe(TOTAL);
  });
});
