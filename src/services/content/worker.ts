// The content worker: a piscina worker thread that runs one parser of parsers.ts per job. It loads
// the parser's libraries, says it starts (so that the time limit counts parsing, not waiting, the
// thread's start-up or loading), then parses. Bundled on its own as dist/content-worker.mjs (bin/duban.mjs); run from the sources
// through worker-source.mjs.
import type { MessagePort } from 'node:worker_threads';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PARSERS, PRELOAD, type JobKind } from './parsers.js';

export interface WorkerJob {
  kind: JobKind;
  data: Uint8Array;
  options: unknown;
  /** Told 'started' when the parse begins. */
  started: MessagePort;
}

/**
 * Heap in use after a job past which the worker collects its garbage at once. The kept-warm worker
 * would otherwise hold a big parse's heap for as long as the bot runs (measured: +78 MB after a
 * 2 MB table page, still there 30 s later; 17 MB live after one full collection).
 */
export const COLLECT_AFTER_BYTES = 32 * 1024 * 1024;

// `gc` is V8's own full collection, made visible to a context created after the flag is set; the
// flag adds a global to new contexts and changes nothing else in the process.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export default async function runJob(job: WorkerJob): Promise<unknown> {
  const parser = PARSERS[job.kind] as (data: Buffer, options: unknown) => Promise<unknown>;
  if (!parser) throw new Error(`unknown content job kind ${String(job.kind)}`);
  await PRELOAD[job.kind]();
  job.started.postMessage('started');
  job.started.close();
  try {
    return await parser(Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), job.options);
  } finally {
    // After piscina has posted the value (a timer runs after the promise's reactions; the pool runs
    // its workers with atomics 'async' so that their event loop turns between jobs), so that the
    // value itself is garbage by then.
    setTimeout(() => {
      if (getHeapStatistics().used_heap_size > COLLECT_AFTER_BYTES) collectGarbage();
    }, 0);
  }
}
