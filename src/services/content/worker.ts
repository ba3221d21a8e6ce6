// The content worker: a piscina worker thread that runs one parser of parsers.ts per job. It says
// when it starts (so that the time limit counts parsing, not waiting or the thread's start-up),
// then parses. Bundled on its own as dist/content-worker.mjs (bin/duban.mjs); run from the sources
// through worker-source.mjs.
import type { MessagePort } from 'node:worker_threads';
import { PARSERS, type JobKind } from './parsers.js';

export interface WorkerJob {
  kind: JobKind;
  data: Uint8Array;
  options: unknown;
  /** Told 'started' when the parse begins. */
  started: MessagePort;
}

export default async function runJob(job: WorkerJob): Promise<unknown> {
  job.started.postMessage('started');
  job.started.close();
  const parser = PARSERS[job.kind] as (data: Buffer, options: unknown) => Promise<unknown>;
  if (!parser) throw new Error(`unknown content job kind ${String(job.kind)}`);
  return parser(Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), job.options);
}
