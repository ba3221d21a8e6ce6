// The WeCom server API client. The base URL is configurable so that tests and the sandbox point
// it at the local fake; nothing here knows which one it talks to.
import type { Logger } from 'pino';
import type { MediaDownload, MediaFile } from '../messages/inbound.js';
import { countApiCall } from '../metrics/metrics.js';
import { CONFIG_ERRCODES, TOKEN_ERRCODES, WeComApiError, WeComTransportError } from './api-errors.js';
import type { TokenProvider } from './token-provider.js';

export interface SendResult {
  errcode: number;
  errmsg: string;
  msgid?: string;
  invaliduser?: string;
  invalidparty?: string;
  invalidtag?: string;
  unlicenseduser?: string;
  response_code?: string;
}

export type { MediaDownload, MediaFile };

export interface WeComApiOptions {
  baseUrl: string;
  corpId: string;
  secret: string;
  agentId: number;
  logger: Logger;
  timeoutMs?: number;
}

type Query = Record<string, string | number | undefined>;

export class WeComApi {
  private tokens: TokenProvider | undefined;
  readonly agentId: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WeComApiOptions) {
    this.agentId = options.agentId;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** The token provider is attached after construction because it calls back into `fetchToken`. */
  useTokenProvider(tokens: TokenProvider): void {
    this.tokens = tokens;
  }

  /** GET /cgi-bin/gettoken (doc 91039). */
  async fetchToken(): Promise<{ token: string; expiresInSeconds: number }> {
    const body = await this.request('GET', '/cgi-bin/gettoken', {
      query: { corpid: this.options.corpId, corpsecret: this.options.secret },
    });
    const json = this.checked('/cgi-bin/gettoken', body) as { access_token: string; expires_in: number };
    return { token: json.access_token, expiresInSeconds: json.expires_in };
  }

  sendMessage(body: Record<string, unknown>): Promise<SendResult> {
    return this.call<SendResult>('POST', '/cgi-bin/message/send', { json: body });
  }

  updateTemplateCard(body: Record<string, unknown>): Promise<SendResult> {
    return this.call<SendResult>('POST', '/cgi-bin/message/update_template_card', { json: body });
  }

  async uploadMedia(type: 'file' | 'image', file: MediaFile): Promise<string> {
    const result = await this.call<{ media_id: string }>('POST', '/cgi-bin/media/upload', {
      query: { type },
      form: () => {
        const form = new FormData();
        form.append(
          'media',
          new Blob([new Uint8Array(file.data)], { type: file.contentType }),
          file.fileName,
        );
        return form;
      },
    });
    return result.media_id;
  }

  /**
   * GET /cgi-bin/media/get: the bytes of a file or image a member sent (valid 3 days), read as a
   * stream that stops at `maxBytes`: a larger file is refused without being held in memory.
   */
  async getMedia(mediaId: string, maxBytes: number): Promise<MediaDownload> {
    return this.withToken((token) =>
      this.fetchRaw('GET', '/cgi-bin/media/get', {
        query: { access_token: token, media_id: mediaId },
        maxBytes,
      }),
    );
  }

  createMenu(menu: Record<string, unknown>): Promise<unknown> {
    return this.call('POST', '/cgi-bin/menu/create', { query: { agentid: this.agentId }, json: menu });
  }

  getUser(userid: string): Promise<{ userid: string; name: string; department?: number[] }> {
    return this.call('GET', '/cgi-bin/user/get', { query: { userid } });
  }

  /** OAuth2 code → userid (doc 91023, auth/getuserinfo). */
  getUserInfoByCode(code: string): Promise<{ userid?: string; openid?: string }> {
    return this.call('GET', '/cgi-bin/auth/getuserinfo', { query: { code } });
  }

  /** Group robot webhook (doc 99110): the key is the credential, no access token. */
  async robotSend(key: string, body: Record<string, unknown>): Promise<void> {
    const response = await this.request('POST', '/cgi-bin/webhook/send', { query: { key }, json: body });
    this.checked('/cgi-bin/webhook/send', response);
  }

  /** A token-authenticated call; on 40014/42001 the token is refreshed once and the call retried once. */
  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    init: { query?: Query; json?: unknown; form?: () => FormData } = {},
  ): Promise<T> {
    return this.withToken(async (token) => {
      const body = await this.request(method, path, {
        ...init,
        query: { ...init.query, access_token: token },
      });
      return this.checked(path, body) as T;
    });
  }

  private async withToken<T>(fn: (token: string) => Promise<T>): Promise<T> {
    if (!this.tokens) throw new Error('WeComApi has no token provider');
    const token = await this.tokens.get();
    try {
      return await fn(token);
    } catch (error) {
      if (!(error instanceof WeComApiError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
      this.options.logger.warn(
        { errcode: error.errcode, path: error.path },
        'access token rejected; refreshing once',
      );
      await this.tokens.invalidate(token);
      return fn(await this.tokens.get());
    }
  }

  private checked(path: string, body: unknown): Record<string, unknown> {
    const json = body as { errcode?: number; errmsg?: string } & Record<string, unknown>;
    if (typeof json !== 'object' || json === null) throw new WeComTransportError('http', path, 200);
    countApiCall(path, json.errcode ?? 0);
    if (json.errcode && json.errcode !== 0) {
      const error = new WeComApiError(json.errcode, json.errmsg ?? '', path);
      if (CONFIG_ERRCODES.has(json.errcode)) {
        this.options.logger.error(
          { errcode: json.errcode, errmsg: json.errmsg, path },
          'WeCom configuration error',
        );
      }
      throw error;
    }
    return json;
  }

  private url(path: string, query: Query = {}): string {
    const url = new URL(path, `${this.options.baseUrl}/`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async send(
    method: string,
    path: string,
    init: { query?: Query; json?: unknown; form?: () => FormData; maxBytes?: number },
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    let body: string | FormData | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(init.json);
    } else if (init.form) {
      body = init.form();
    }
    let response: Response;
    try {
      response = await fetch(this.url(path, init.query), {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      const kind = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
      countApiCall(path, kind);
      throw new WeComTransportError(kind, path);
    }
    if (!response.ok) {
      countApiCall(path, `http_${response.status}`);
      await response.body?.cancel();
      throw new WeComTransportError('http', path, response.status);
    }
    return response;
  }

  private async request(
    method: string,
    path: string,
    init: { query?: Query; json?: unknown; form?: () => FormData },
  ): Promise<unknown> {
    const response = await this.send(method, path, init);
    try {
      return await response.json();
    } catch {
      throw new WeComTransportError('http', path, response.status);
    }
  }

  private async fetchRaw(
    method: string,
    path: string,
    init: { query?: Query; maxBytes: number },
  ): Promise<MediaDownload> {
    const response = await this.send(method, path, init);
    const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
    const fileName = fileNameFrom(response.headers.get('content-disposition'));
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > init.maxBytes) {
      await response.body?.cancel();
      return { ok: false, tooLarge: true, limitBytes: init.maxBytes, fileName };
    }
    const data = await readCapped(response, init.maxBytes);
    if (!data) return { ok: false, tooLarge: true, limitBytes: init.maxBytes, fileName };
    // Errors come back as JSON; a file comes back as bytes with Content-Disposition.
    if (/json|text\/plain/.test(contentType) && !response.headers.get('content-disposition')) {
      this.checked(path, JSON.parse(data.toString('utf8')));
    } else countApiCall(path, 0);
    return { ok: true, file: { data, fileName, contentType } };
  }
}

/** The body, or null once more than `maxBytes` arrived (the rest is never read). */
async function readCapped(response: Response, maxBytes: number): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function fileNameFrom(disposition: string | null): string {
  if (!disposition) return 'file';
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) return decodeURIComponent(star[1].replace(/"/g, ''));
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? 'file';
}
