// WeCom web sign-in (OAuth2, snsapi_base; doc 91022/91023): the browser is sent to WeCom's authorize
// URL, WeCom sends it back to redirect_uri with a one-time `code` and our `state`, and the server
// trades the code for the member's userid with auth/getuserinfo.
import { randomBytes } from 'node:crypto';

export const OAUTH_CALLBACK_PATH = '/board/oauth';

export interface AuthorizeParams {
  oauthBase: string;
  corpId: string;
  agentId: number;
  redirectUri: string;
  state: string;
}

/** `https://open.weixin.qq.com/connect/oauth2/authorize?appid=…&redirect_uri=…&…#wechat_redirect` */
export function authorizeUrl(params: AuthorizeParams): string {
  const query = [
    `appid=${encodeURIComponent(params.corpId)}`,
    `redirect_uri=${encodeURIComponent(params.redirectUri)}`,
    'response_type=code',
    'scope=snsapi_base',
    `state=${encodeURIComponent(params.state)}`,
    `agentid=${params.agentId}`,
  ].join('&');
  return `${params.oauthBase}/connect/oauth2/authorize?${query}#wechat_redirect`;
}

/** WeCom passes state through if it is at most 128 bytes of [a-zA-Z0-9]: 32 hex characters. */
export function newState(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Where to go after signing in: a board path the member asked for, or the board itself. Anything
 * else (another site, `//host`, a backslash trick) is replaced, so the sign-in is no open redirect.
 */
export function safeNext(path: string | undefined): string {
  if (!path || !/^\/board(?:\/[A-Za-z0-9/._-]*)?(?:\?[A-Za-z0-9=&._-]*)?$/.test(path)) return '/board';
  if (path.includes('//') || path.includes('..') || path.startsWith(OAUTH_CALLBACK_PATH)) return '/board';
  return path;
}
