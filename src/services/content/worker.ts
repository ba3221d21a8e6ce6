// The content worker: a piscina worker thread that runs one parser of parsers.ts per job. It loads
// the parser's libraries, says it starts (so that the time limit counts parsing, not waiting, the
// thread's start-up or loading), then parses. Bundled on its own as dist/content-worker.mjs (bin/duban.mjs); run from the sources
// through worker-source.mjs.
import type { MessagePort } from 'node:worker_threads';
import { PARSERS, PRELOAD, type JobKind } from './parsers.js';

export interface WorkerJob {
  kind: JobKind;
  data: Uint8Array;
  options: unknown;
  /** Told 'started' when the parse begins. */
  started: MessagePort;
}

export default async function runJob(job: WorkerJob): Promise<unknown> {
  const parser = PARSERS[job.kind] as (data: Buffer, options: unknown) => Promise<unknown>;
  if (!parser) throw new Error(`unknown content job kind ${String(job.kind)}`);
  await PRELOAD[job.kind]();
  job.started.postMessage('started');
  job.started.close();
  return parser(Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength), job.options);
}
