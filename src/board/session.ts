// The board's cookies: a signed session (a random token naming a server-side session record, see
// src/services/shared/board-sessions.ts, and its expiry) and the OAuth state that binds
// a sign-in to the browser that started it. Both are HMAC-SHA256 signed with a key derived by HKDF
// from SESSION_SECRET, or, when that is unset, from the app secret (WECOM_SECRET, or the sandbox's
// generated one): the key never leaves the server, all instances of a deployment derive the same
// one, and a label ("purpose") in the MAC keeps one kind of cookie from passing for the other.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'duban_board';
export const STATE_COOKIE = 'duban_board_state';
/** Cookies are sent to the board's paths only (never with the WeCom callback). */
export const COOKIE_PATH = '/board';
export const SESSION_TTL_MS = 8 * 3_600_000;
/** A sign-in must come back from WeCom within this time. */
export const STATE_TTL_MS = 10 * 60_000;

export type CookiePurpose = 'session' | 'oauth-state';

/** The 32-byte signing key: HKDF-SHA256 over the configured secret (or the app secret). */
export function deriveSessionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'duban-board', 'board-cookie-signing-v1', 32));
}

export class CookieSigner {
  constructor(private readonly key: Buffer) {}

  sign(purpose: CookiePurpose, payload: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.mac(purpose, body)}`;
  }

  /** The payload when the signature is right, else undefined (tampered, truncated, other purpose). */
  verify(purpose: CookiePurpose, value: string | undefined): Record<string, unknown> | undefined {
    if (!value) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(purpose, body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(purpose: CookiePurpose, body: string): string {
    return createHmac('sha256', this.key).update(`${purpose}.${body}`).digest('base64url');
  }
}

/**
 * What the session cookie says: the token of a server-side session record and when it expires. The
 * cookie alone signs nobody in: the record must still exist (logout, deactivation and a change of
 * role delete it).
 */
export interface SessionCookie {
  token: string;
  expiresAt: number;
}

export function sessionValue(signer: CookieSigner, token: string, expiresAt: Date): string {
  return signer.sign('session', { t: token, e: expiresAt.getTime() });
}

export function readSession(
  signer: CookieSigner,
  value: string | undefined,
  now: Date,
): SessionCookie | undefined {
  const payload = signer.verify('session', value);
  if (!payload || typeof payload.t !== 'string' || typeof payload.e !== 'number') return undefined;
  if (payload.e <= now.getTime()) return undefined;
  return { token: payload.t, expiresAt: payload.e };
}

export interface OAuthState {
  state: string;
  /** The board page to return to after the sign-in. */
  next: string;
}

export function stateValue(signer: CookieSigner, state: OAuthState, now: Date): string {
  return signer.sign('oauth-state', { s: state.state, n: state.next, e: now.getTime() + STATE_TTL_MS });
}

export function readState(
  signer: CookieSigner,
  value: string | undefined,
  now: Date,
): OAuthState | undefined {
  const payload = signer.verify('oauth-state', value);
  if (!payload || typeof payload.s !== 'string' || typeof payload.n !== 'string') return undefined;
  if (typeof payload.e !== 'number' || payload.e <= now.getTime()) return undefined;
  return { state: payload.s, next: payload.n };
}

/** Constant-time comparison of the state WeCom sent back with the one in the cookie. */
export function sameState(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

// ---------------------------------------------------------------------------------------------------
// Cookie headers (written by hand: koa's cookie helper refuses Secure cookies on a plain connection,
// which is what the bot sees behind a TLS-terminating proxy that does not say so)

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

export function setCookieHeader(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    `Path=${COOKIE_PATH}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearCookieHeader(name: string, secure: boolean): string {
  return setCookieHeader(name, '', { maxAgeSeconds: 0, secure });
}

/** The named cookie's value from a Cookie header (the first, i.e. most specific path, wins). */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
