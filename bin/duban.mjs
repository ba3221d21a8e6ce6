#!/usr/bin/env node
// Entry for `npx duban …` and `npm start`: runs the TypeScript sources through tsx, so a fresh
// clone needs only `npm install` (no build step, nothing stale to forget to rebuild).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(pathToFileURL(join(root, 'src', 'cli.ts')).href);
