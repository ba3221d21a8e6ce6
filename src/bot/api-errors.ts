// How the outbound side classifies WeCom failures (codes from doc 90313, see wecom-api.md §2).

export class WeComApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly path: string,
  ) {
    super(`WeCom ${path} errcode ${errcode}: ${errmsg}`);
    this.name = 'WeComApiError';
  }
}

/** The request did not produce a WeCom answer: HTTP error status, timeout or network failure. */
export class WeComTransportError extends Error {
  constructor(
    readonly kind: 'http' | 'timeout' | 'network',
    readonly path: string,
    readonly status?: number,
  ) {
    super(`WeCom ${path} ${kind}${status ? ` ${status}` : ''}`);
    this.name = 'WeComTransportError';
  }
}

/** The access token is invalid or expired: refresh once and retry once. */
export const TOKEN_ERRCODES = new Set([40014, 42001]);
/** The deployment is misconfigured (secret, trusted IP, permissions, agent): retrying cannot help. */
export const CONFIG_ERRCODES = new Set([40001, 40013, 40056, 48002, 60020, 301002]);
/** Busy or rate-limited: back off and try again later. */
export const RETRYABLE_ERRCODES = new Set([-1, 45009, 45033]);
/** Every recipient is invalid or outside the app's visibility scope. */
export const ALL_RECIPIENTS_INVALID = 81013;

export type FailureClass = 'retry' | 'config' | 'permanent';

export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof WeComTransportError) {
    if (error.kind === 'http' && error.status !== undefined && error.status < 500) return 'permanent';
    return 'retry';
  }
  if (error instanceof WeComApiError) {
    if (RETRYABLE_ERRCODES.has(error.errcode) || TOKEN_ERRCODES.has(error.errcode)) return 'retry';
    if (CONFIG_ERRCODES.has(error.errcode)) return 'config';
    return 'permanent';
  }
  return 'retry';
}
