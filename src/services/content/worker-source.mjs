// The content worker when the bot runs from its TypeScript sources (vitest, tsx): a worker thread
// does not inherit the parent's TypeScript loader, so the worker module is loaded through tsx here.
// The bundled bot (dist/cli.mjs) uses dist/content-worker.mjs instead (see pool.ts).
import { tsImport } from 'tsx/esm/api';

const worker = await tsImport('./worker.ts', import.meta.url);

export default worker.default;
