// ECharts, served from our own route (nothing on the board comes from the internet): read once from
// node_modules, compressed once (brotli and gzip, off the event loop) and cached by browsers for a
// year; the page asks for it with `?v=<version>`, so an upgrade is fetched anew.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type Koa from 'koa';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export interface StaticAsset {
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
  etag: string;
}

const require = createRequire(import.meta.url);

/** The installed ECharts version (for the cache-busting query). */
export function echartsVersion(): string {
  return (require('echarts/package.json') as { version: string }).version;
}

export function echartsPath(): string {
  // The package's main entry is dist/echarts.js; the minified build sits next to it.
  return join(dirname(require.resolve('echarts')), 'echarts.min.js');
}

let echarts: Promise<StaticAsset> | undefined;

export function loadEcharts(): Promise<StaticAsset> {
  echarts ??= loadAsset(echartsPath()).catch((error: unknown) => {
    echarts = undefined;
    throw error;
  });
  return echarts;
}

async function loadAsset(path: string): Promise<StaticAsset> {
  const identity = await readFile(path);
  const [br, gz] = await Promise.all([
    brotli(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 9,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    gzipAsync(identity, { level: 9 }),
  ]);
  const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  return { identity, br, gzip: gz, etag };
}

export async function serveAsset(ctx: Koa.Context, asset: StaticAsset, type: string): Promise<void> {
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.set('ETag', asset.etag);
  ctx.set('Vary', 'Accept-Encoding');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.type = type;
  if (ctx.get('If-None-Match') === asset.etag) {
    ctx.status = 304;
    return;
  }
  const encoding = ctx.acceptsEncodings('br', 'gzip', 'identity');
  if (encoding === 'br' || encoding === 'gzip') {
    ctx.set('Content-Encoding', encoding);
    ctx.body = encoding === 'br' ? asset.br : asset.gzip;
  } else {
    ctx.body = asset.identity;
  }
}
