#!/usr/bin/env node
// Entry for `npx duban …` and `npm start`. It runs one bundled file, dist/cli.mjs, built by esbuild
// from src/ (about 0.1 s) whenever a source file is newer than it, together with the content worker
// dist/content-worker.mjs (the threads that parse members' files; src/services/content/pool.ts
// finds it beside cli.mjs): a fresh clone needs only
// `npm install`, and nothing goes stale. Compiled JavaScript instead of transpiling on the fly (tsx)
// keeps ~80 MB of resident memory out of the bot (tsx's loader runs in a thread of its own). Where
// dist/ cannot be written (a read-only installation), it runs the sources through tsx instead.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli.mjs');
const worker = join(root, 'dist', 'content-worker.mjs');

/** The newest modification time among the sources and the files that shape the build. */
function newestSource(dir = join(root, 'src')) {
  let newest = Math.max(
    statSync(join(root, 'package.json')).mtimeMs,
    statSync(join(root, 'tsconfig.json')).mtimeMs,
  );
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else newest = Math.max(newest, statSync(child).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

async function ensureBundle() {
  if (existsSync(bundle) && existsSync(worker)) {
    const newest = newestSource();
    if (statSync(bundle).mtimeMs >= newest && statSync(worker).mtimeMs >= newest) return;
  }
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: {
      cli: join(root, 'src', 'cli.ts'),
      'content-worker': join(root, 'src', 'services', 'content', 'worker.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    outdir: join(root, 'dist'),
    outExtension: { '.js': '.mjs' },
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(dirname(bundle), { recursive: true });
  // Written beside and renamed into place: a second process starting meanwhile never reads half.
  // The worker goes first, so that a cli.mjs that is in place always finds its worker.
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path.includes('cli.mjs')) - Number(b.path.includes('cli.mjs')),
  );
  for (const file of files) {
    const temporary = join(dirname(file.path), `.${basename(file.path)}.${process.pid}`);
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

let built = false;
try {
  await ensureBundle();
  built = true;
} catch (error) {
  process.stderr.write(
    `无法构建 dist/，改用 tsx 直接运行 / could not build dist/, running through tsx: ${error.message}\n`,
  );
}
if (built) {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli.ts')).href);
}
