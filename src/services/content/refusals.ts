// Why a piece of member-supplied content was not read: outcomes, not words (the words are in
// views.ts). Shared by the content service, the handlers and the CLI.
import type { ContentKind } from './limits.js';
import type { JobFailure } from './pool.js';
import type { ZipVerdict } from './zip-check.js';

export type ContentRefusal =
  | { reason: 'too-large'; kind: ContentKind; limitBytes: number }
  | { reason: 'zip'; verdict: Exclude<ZipVerdict, { ok: true }> }
  | JobFailure;

export type Parsed<T> = { ok: true; value: T } | { ok: false; refusal: ContentRefusal };

/**
 * A worker was killed over a limit or died: the delivery that sent the content is quarantined
 * (admins see it) rather than simply answered, since trying it again would do the same.
 */
export function killedWorker(refusal: ContentRefusal): boolean {
  return refusal.reason === 'time' || refusal.reason === 'memory' || refusal.reason === 'crashed';
}
