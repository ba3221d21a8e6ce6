// A faithful local fake of the WeCom server API (the parts duban uses), for tests and for the
// no-credentials sandbox. It behaves as the documentation says WeCom does, including the
// unfriendly parts: tokens expire, the per-member limit drops messages silently, response codes
// work once, identical requests are suppressed under enable_duplicate_check.
import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { systemClock, type Clock } from '../clock.js';
import { markup, type SafeHtml } from '../board/html.js';
import { httpServer } from '../http.js';

export interface FakeWeComOptions {
  corpId: string;
  agents: { agentId: number; secret: string }[];
  /** 'any' treats every well-formed userid as a member (the sandbox); a list is exact (tests). */
  members?: 'any' | { userid: string; name: string }[];
  robotKeys?: 'any' | string[];
  tokenTtlSeconds?: number;
  perMemberPerMinute?: number;
  perMemberPerHour?: number;
  robotPerMinute?: number;
  clock?: Clock;
}

export interface Delivery {
  seq: number;
  userid: string;
  msgid: string;
  msgtype: string;
  /** The message fields as sent (text, markdown, template_card, file …). */
  body: Record<string, unknown>;
  at: Date;
  /** For interactive cards: set when the card was updated (button greyed or card replaced). */
  replaceName?: string;
  replacedCard?: Record<string, unknown>;
  /** The sequence number of the last update, so that a long-poll after `seq` sees it. */
  updatedSeq?: number;
  truncated?: boolean;
}

export type Fault =
  | { kind: 'errcode'; errcode: number; errmsg?: string }
  | { kind: 'http'; status: number }
  | { kind: 'delay'; ms: number };

interface FaultRule {
  fault: Fault;
  remaining: number;
  path?: string;
}

interface OAuthCode {
  userid: string;
  used: boolean;
  expiresAt: number;
}

interface CardCode {
  msgid: string;
  userids: Set<string>;
  used: boolean;
  expiresAt: number;
}

const USERID = /^[A-Za-z0-9_.@-]{1,64}$/;
const TASK_ID = /^[A-Za-z0-9_@-]{1,128}$/;
const CARD_CODE_TTL_MS = 72 * 3_600_000;
/** WeCom: an OAuth code is valid for five minutes and for one use. */
const OAUTH_CODE_TTL_MS = 5 * 60_000;
const OAUTH_SCOPES = ['snsapi_base', 'snsapi_privateinfo'];

/** A JSON field as text: strings and numbers as themselves, anything else as ''. */
function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function ok(extra: Record<string, unknown> = {}) {
  return { errcode: 0, errmsg: 'ok', ...extra };
}

function err(errcode: number, errmsg: string) {
  return { errcode, errmsg };
}

/** Deterministic JSON (sorted keys), for WeCom's "identical request" duplicate check. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export class FakeWeCom {
  readonly app = new Koa();
  private server: Server | undefined;
  private readonly clock: Clock;
  private readonly tokens = new Map<string, { agentId: number; expiresAt: number }>();
  private readonly members: Map<string, string> | 'any';
  private readonly robotKeys: Set<string> | 'any';
  private readonly faults: FaultRule[] = [];
  private randomFaults: { rate: number; faults: Fault[]; random: () => number } | undefined;
  private readonly duplicateCheck = new Map<string, { at: number; msgid: string }>();
  private readonly memberSends = new Map<string, number[]>();
  private readonly robotSends = new Map<string, number[]>();
  private readonly cardCodes = new Map<string, CardCode>();
  private readonly oauthCodes = new Map<string, OAuthCode>();
  /** Who is signed in to WeCom in "the browser" (tests); unset, the sandbox asks on a page. */
  private browserUser: string | undefined;
  private readonly taskIds = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private seq = 0;

  readonly deliveries: Delivery[] = [];
  /** Messages WeCom accepted but did not deliver because of the per-member limit. */
  readonly dropped: { userid: string; msgid: string; at: Date; seq: number }[] = [];
  /** Requests suppressed by the duplicate check. */
  readonly suppressed: { msgid: string; at: Date }[] = [];
  readonly robotMessages: { key: string; body: Record<string, unknown>; at: Date }[] = [];
  readonly media = new Map<
    string,
    { data: Buffer; fileName: string; contentType: string; createdAt: number }
  >();
  readonly menus = new Map<number, Record<string, unknown>>();
  /** Every API call and how it ended (`http` for an injected HTTP failure). */
  readonly calls: { path: string; errcode: number; http?: number; at: Date }[] = [];
  tokenFetches = 0;
  /** Where it listens, once `listen` has run. */
  url: string | undefined;

  constructor(private readonly options: FakeWeComOptions) {
    this.clock = options.clock ?? systemClock;
    this.members =
      options.members === undefined || options.members === 'any'
        ? 'any'
        : new Map(options.members.map((m) => [m.userid.toLowerCase(), m.name]));
    this.robotKeys =
      options.robotKeys === undefined || options.robotKeys === 'any' ? 'any' : new Set(options.robotKeys);
    this.app.use(async (ctx) => {
      const handler = this.routes[ctx.path];
      if (!handler) {
        ctx.status = 404;
        ctx.body = err(-1, 'not found');
        return;
      }
      const fault = this.nextFault(ctx.path);
      if (fault?.kind === 'delay') {
        // A slow answer, not a lost request: the request has arrived whole and is carried out
        // after the delay even if the caller has stopped waiting (as a slow WeCom would).
        if (
          ctx.method === 'POST' &&
          ctx.path.startsWith('/cgi-bin/') &&
          ctx.path !== '/cgi-bin/media/upload'
        ) {
          ctx.state.body = await getRawBody(ctx.req, { limit: '2mb', encoding: 'utf8' }).catch(
            () => undefined,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
      }
      if (fault?.kind === 'http') {
        ctx.status = fault.status;
        ctx.body = 'fault injected';
        this.calls.push({ path: ctx.path, errcode: 0, http: fault.status, at: this.clock.now() });
        return;
      }
      if (fault?.kind === 'errcode') {
        ctx.body = err(fault.errcode, fault.errmsg ?? 'fault injected');
        this.calls.push({ path: ctx.path, errcode: fault.errcode, at: this.clock.now() });
        return;
      }
      await handler(ctx);
      const body = ctx.body as { errcode?: number } | undefined;
      if (ctx.path.startsWith('/cgi-bin/')) {
        this.calls.push({ path: ctx.path, errcode: body?.errcode ?? 0, at: this.clock.now() });
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Control (tests and the sandbox console)

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = httpServer(this.app);
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  addMember(userid: string, name = userid): void {
    if (this.members === 'any') return;
    this.members.set(userid.toLowerCase(), name);
  }

  removeMember(userid: string): void {
    if (this.members !== 'any') this.members.delete(userid.toLowerCase());
  }

  /**
   * Who the OAuth authorize page treats as signed in to WeCom, as if the page were opened inside
   * WeCom by that member; undefined shows the sandbox's "who are you" page instead.
   */
  setBrowserUser(userid: string | undefined): void {
    this.browserUser = userid;
  }

  /** Ends every OAuth code now (a test of "expired after five minutes" without waiting). */
  expireOAuthCodes(): void {
    for (const code of this.oauthCodes.values()) code.expiresAt = 0;
  }

  /** The next `count` calls (optionally only to `path`) fail with this fault. */
  failNext(count: number, fault: Fault, path?: string): void {
    this.faults.push({ fault, remaining: count, path });
  }

  /** Each call fails with probability `rate`, with one of the given faults (chaos runs). */
  failRandomly(rate: number, faults: Fault[], random: () => number = Math.random): void {
    this.randomFaults = rate > 0 ? { rate, faults, random } : undefined;
  }

  /** Ends every token now, as WeCom may do early "for operational reasons". */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  inbox(userid: string): Delivery[] {
    return this.deliveries.filter((d) => d.userid.toLowerCase() === userid.toLowerCase());
  }

  /**
   * Delivery figures for fault runs: how many messages each member received per content, and
   * what the limits and the duplicate check held back.
   */
  stats(afterSeq = 0): {
    seq: number;
    deliveries: number;
    duplicates: number;
    dropped: number;
    suppressed: number;
    robotMessages: number;
    calls: Record<string, number>;
    maxPerMemberPerMinute: number;
  } {
    const seen = new Map<string, number>();
    const perMinute = new Map<string, number>();
    const window = this.deliveries.filter((delivery) => delivery.seq > afterSeq);
    for (const delivery of window) {
      const key = `${delivery.userid}\u0000${canonical(delivery.body)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const minute = `${delivery.userid}\u0000${Math.floor(delivery.at.getTime() / 60_000)}`;
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    const calls: Record<string, number> = {};
    for (const call of this.calls) {
      const key = `${call.path} ${call.http ? `http${call.http}` : call.errcode}`;
      calls[key] = (calls[key] ?? 0) + 1;
    }
    return {
      seq: this.seq,
      deliveries: window.length,
      duplicates: [...seen.values()].reduce((sum, n) => sum + (n - 1), 0),
      dropped: this.dropped.filter((d) => d.seq > afterSeq).length,
      suppressed: this.suppressed.length,
      robotMessages: this.robotMessages.length,
      calls,
      maxPerMemberPerMinute: Math.max(0, ...perMinute.values()),
    };
  }

  /** Simulates a member clicking a card button: the response code WeCom would put in the callback. */
  click(
    userid: string,
    msgid: string,
    key: string,
  ): { taskId: string; cardType: string; responseCode: string } {
    const delivery = this.deliveries.find(
      (d) => d.msgid === msgid && d.userid.toLowerCase() === userid.toLowerCase(),
    );
    const card = delivery?.body.template_card as
      { task_id?: string; card_type?: string; button_list?: { key: string }[] } | undefined;
    if (!delivery || !card) throw new Error('no such card for this member');
    if (!card.button_list?.some((button) => button.key === key)) throw new Error('no such button');
    if (delivery.replaceName || delivery.replacedCard)
      throw new Error('this card has been updated and is no longer clickable');
    const responseCode = this.newCardCode(msgid, [userid]);
    return { taskId: card.task_id ?? '', cardType: card.card_type ?? '', responseCode };
  }

  /**
   * Waits until a delivery with seq > after exists for the member, or one updated since (or the
   * timeout passes).
   */
  async waitForInbox(userid: string, after: number, timeoutMs: number): Promise<Delivery[]> {
    const pending = () => this.inbox(userid).filter((d) => d.seq > after || (d.updatedSeq ?? 0) > after);
    if (pending().length || timeoutMs <= 0) return pending();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      const wake = () => {
        this.waiters.delete(wake);
        done();
      };
      this.waiters.add(wake);
    });
    return pending();
  }

  private nextFault(path: string): Fault | undefined {
    const rule = this.faults.find(
      (candidate) => candidate.remaining > 0 && (!candidate.path || candidate.path === path),
    );
    if (rule) {
      rule.remaining--;
      return rule.fault;
    }
    if (this.randomFaults && path.startsWith('/cgi-bin/') && path !== '/cgi-bin/gettoken') {
      const { rate, faults, random } = this.randomFaults;
      if (random() < rate) return faults[Math.floor(random() * faults.length)];
    }
    return undefined;
  }

  private isMember(userid: string): boolean {
    if (!USERID.test(userid)) return false;
    return this.members === 'any' || this.members.has(userid.toLowerCase());
  }

  private newCardCode(msgid: string, userids: string[]): string {
    const code = randomBytes(24).toString('base64url');
    this.cardCodes.set(code, {
      msgid,
      userids: new Set(userids.map((u) => u.toLowerCase())),
      used: false,
      expiresAt: this.clock.now().getTime() + CARD_CODE_TTL_MS,
    });
    return code;
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  // ---------------------------------------------------------------------------------------------
  // The API

  /** Checks access_token: 41001 missing, 40014 unknown, 42001 expired. */
  private agentFor(ctx: Koa.Context): { agentId: number } | { error: ReturnType<typeof err> } {
    const token = ctx.query.access_token;
    if (typeof token !== 'string' || token === '') return { error: err(41001, 'access_token missing') };
    const entry = this.tokens.get(token);
    if (!entry) return { error: err(40014, 'invalid access_token') };
    if (entry.expiresAt <= this.clock.now().getTime()) return { error: err(42001, 'access_token expired') };
    return { agentId: entry.agentId };
  }

  private async json(ctx: Koa.Context): Promise<Record<string, unknown> | undefined> {
    try {
      const buffered = (ctx.state as { body?: string }).body;
      const text = buffered ?? (await getRawBody(ctx.req, { limit: '2mb', encoding: 'utf8' }));
      const value = JSON.parse(text) as unknown;
      return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  private readonly routes: Record<string, (ctx: Koa.Context) => Promise<void>> = {
    '/cgi-bin/gettoken': async (ctx) => {
      this.tokenFetches++;
      if (ctx.query.corpid !== this.options.corpId) {
        ctx.body = err(40013, 'invalid corpid');
        return;
      }
      const agent = this.options.agents.find((a) => a.secret === ctx.query.corpsecret);
      if (!agent) {
        ctx.body = err(40001, 'invalid credential, access_token is invalid or not latest');
        return;
      }
      const token = randomBytes(48).toString('base64url');
      const ttl = this.options.tokenTtlSeconds ?? 7200;
      this.tokens.set(token, { agentId: agent.agentId, expiresAt: this.clock.now().getTime() + ttl * 1000 });
      ctx.body = ok({ access_token: token, expires_in: ttl });
    },

    '/cgi-bin/message/send': async (ctx) => {
      const auth = this.agentFor(ctx);
      if ('error' in auth) {
        ctx.body = auth.error;
        return;
      }
      const body = await this.json(ctx);
      if (!body) {
        ctx.body = err(47001, 'data format error');
        return;
      }
      ctx.body = this.send(auth.agentId, body);
    },

    '/cgi-bin/message/update_template_card': async (ctx) => {
      const auth = this.agentFor(ctx);
      if ('error' in auth) {
        ctx.body = auth.error;
        return;
      }
      const body = await this.json(ctx);
      ctx.body = body ? this.updateCard(auth.agentId, body) : err(47001, 'data format error');
    },

    '/cgi-bin/media/upload': async (ctx) => {
      const auth = this.agentFor(ctx);
      if ('error' in auth) {
        ctx.body = auth.error;
        return;
      }
      const raw = await getRawBody(ctx.req, { limit: '25mb' });
      let file: File | undefined;
      try {
        const form = await new Request('http://fake/upload', {
          method: 'POST',
          headers: { 'content-type': ctx.get('content-type') },
          body: raw,
        }).formData();
        const media = form.get('media');
        file = typeof media === 'object' && media !== null ? media : undefined;
      } catch {
        file = undefined;
      }
      if (!file) {
        ctx.body = err(41005, 'media data missing');
        return;
      }
      const data = Buffer.from(await file.arrayBuffer());
      if (data.length <= 5) {
        ctx.body = err(40005, 'invalid file size');
        return;
      }
      if (data.length > 20 * 1024 * 1024) {
        ctx.body = err(40006, 'invalid file size');
        return;
      }
      const mediaId = this.storeMedia(data, file.name, file.type || 'application/octet-stream');
      ctx.body = ok({
        type: ctx.query.type,
        media_id: mediaId,
        created_at: String(Math.floor(this.clock.now().getTime() / 1000)),
      });
    },

    '/cgi-bin/media/get': async (ctx) => {
      const auth = this.agentFor(ctx);
      if ('error' in auth) {
        ctx.body = auth.error;
        return;
      }
      const media = this.media.get(String(ctx.query.media_id ?? ''));
      if (!media || this.clock.now().getTime() - media.createdAt > 3 * 86_400_000) {
        ctx.body = err(40007, 'invalid media_id');
        return;
      }
      ctx.set('Content-Type', media.contentType);
      ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(media.fileName)}`);
      ctx.body = media.data;
    },

    '/cgi-bin/menu/create': async (ctx) => {
      const auth = this.agentFor(ctx);
      if ('error' in auth) {
        ctx.body = auth.error;
        return;
      }
      if (Number(ctx.query.agentid) !== auth.agentId) {
        ctx.body = err(301002, 'not allow operate another agent with this accesstoken');
        return;
      }
      const body = await this.json(ctx);
      const problem = body ? validateMenu(body) : 'data format error';
      if (problem) {
        ctx.body = err(40054, problem);
        return;
      }
      this.menus.set(auth.agentId, body!);
      ctx.body = ok();
    },

    '/cgi-bin/user/get': async (ctx) => {
      const auth = this.agentFor(ctx);
      if ('error' in auth) {
        ctx.body = auth.error;
        return;
      }
      const userid = String(ctx.query.userid ?? '');
      if (!this.isMember(userid)) {
        ctx.body = err(60111, 'invalid string value `userid`');
        return;
      }
      const name = this.members === 'any' ? userid : (this.members.get(userid.toLowerCase()) ?? userid);
      ctx.body = ok({ userid, name, department: [1], status: 1 });
    },

    // WeCom's web sign-in (doc 91022): WeCom knows who is signed in to its client and sends the
    // browser back to redirect_uri with a one-time code and the caller's state.
    '/connect/oauth2/authorize': async (ctx) => {
      const query = (name: string) => {
        const value = ctx.query[name];
        return typeof value === 'string' ? value : '';
      };
      const redirectUri = query('redirect_uri');
      let problem: string | undefined;
      if (query('appid') !== this.options.corpId) problem = 'appid 错误（invalid corpid）';
      else if (!/^https?:\/\//.test(redirectUri)) problem = 'redirect_uri 参数错误';
      else if (query('response_type') !== 'code') problem = 'response_type 必须为 code';
      else if (!OAUTH_SCOPES.includes(query('scope'))) problem = 'scope 参数错误';
      else if (query('state').length > 128 || /[^A-Za-z0-9]/.test(query('state')))
        problem = 'state 参数错误（a-zA-Z0-9，不超过128字节）';
      if (problem) {
        ctx.status = 400;
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = oauthPage('无法打开', markup`<p>${problem}</p>`);
        return;
      }
      const chosen = this.browserUser ?? (query('sandbox_userid').trim() || undefined);
      if (!chosen) {
        // The sandbox has no WeCom client that knows who you are: ask, keeping the parameters.
        const hidden = ['appid', 'redirect_uri', 'response_type', 'scope', 'state', 'agentid'].map(
          (name) => markup`<input type="hidden" name="${name}" value="${query(name)}" />`,
        );
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = oauthPage(
          '模拟企业微信登录',
          markup`<form method="get" action="/connect/oauth2/authorize">
            ${hidden}
            <p>沙箱没有企业微信客户端，请输入您要扮演的成员账号（userid）：</p>
            <p>
              <input name="sandbox_userid" autofocus required pattern="[A-Za-z0-9_.@\\-]{1,64}" />
              <button type="submit">登录</button>
            </p>
          </form>`,
        );
        return;
      }
      const code = randomBytes(24).toString('hex');
      this.oauthCodes.set(code, {
        userid: chosen,
        used: false,
        expiresAt: this.clock.now().getTime() + OAUTH_CODE_TTL_MS,
      });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      target.searchParams.set('state', query('state'));
      ctx.redirect(target.toString());
    },

    '/cgi-bin/auth/getuserinfo': async (ctx) => {
      const auth = this.agentFor(ctx);
      if ('error' in auth) {
        ctx.body = auth.error;
        return;
      }
      const entry = this.oauthCodes.get(String(ctx.query.code ?? ''));
      if (!entry || entry.used || entry.expiresAt <= this.clock.now().getTime()) {
        ctx.body = err(40029, 'invalid code');
        return;
      }
      entry.used = true;
      // Members get their userid; anyone else (signed in to WeChat, not to this corp) an openid.
      ctx.body = this.isMember(entry.userid)
        ? ok({ userid: entry.userid })
        : ok({ openid: `o${createHash('sha1').update(entry.userid).digest('hex').slice(0, 27)}` });
    },

    '/cgi-bin/webhook/send': async (ctx) => {
      const key = String(ctx.query.key ?? '');
      if (!key || (this.robotKeys !== 'any' && !this.robotKeys.has(key))) {
        ctx.body = err(93000, 'invalid webhook url');
        return;
      }
      const body = await this.json(ctx);
      if (!body || typeof body.msgtype !== 'string') {
        ctx.body = err(40008, 'invalid message type');
        return;
      }
      const now = this.clock.now().getTime();
      const recent = (this.robotSends.get(key) ?? []).filter((t) => t > now - 60_000);
      if (recent.length >= (this.options.robotPerMinute ?? 20)) {
        ctx.body = err(45009, 'api freq out of limit');
        return;
      }
      const content = (body.markdown ?? body.text) as { content?: string } | undefined;
      const limit = body.msgtype === 'text' ? 2048 : 4096;
      if (content?.content !== undefined && Buffer.byteLength(content.content, 'utf8') > limit) {
        ctx.body = err(45002, 'content size out of limit');
        return;
      }
      this.robotSends.set(key, [...recent, now]);
      this.robotMessages.push({ key, body, at: this.clock.now() });
      ctx.body = ok();
    },

    // Sandbox-only helpers for the chat console (not part of WeCom's API).
    '/sandbox/inbox': async (ctx) => {
      const userid = String(ctx.query.userid ?? '');
      const after = Number(ctx.query.after ?? 0);
      const wait = Math.min(Number(ctx.query.wait ?? 0), 30_000);
      ctx.body = { deliveries: await this.waitForInbox(userid, after, wait) };
    },
    '/sandbox/media': async (ctx) => {
      if (ctx.method === 'GET') {
        const media = this.media.get(String(ctx.query.media_id ?? ''));
        if (!media) {
          ctx.status = 404;
          return;
        }
        ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(media.fileName)}`);
        ctx.type = media.contentType;
        ctx.body = media.data;
        return;
      }
      const data = await getRawBody(ctx.req, { limit: '20mb' });
      const fileName = String(ctx.query.fileName ?? 'file');
      ctx.body = {
        media_id: this.storeMedia(
          data,
          fileName,
          String(ctx.query.contentType ?? 'application/octet-stream'),
        ),
      };
    },
    '/sandbox/stats': async (ctx) => {
      ctx.body = this.stats(Number(ctx.query.afterSeq ?? 0));
    },
    '/sandbox/faults': async (ctx) => {
      // For fault runs driven from another process: {count, fault, path} or {rate, faults}.
      const body = (await this.json(ctx)) as
        { count?: number; fault?: Fault; path?: string; rate?: number; faults?: Fault[] } | undefined;
      if (body?.rate !== undefined) this.failRandomly(body.rate, body.faults ?? []);
      else if (body?.fault && body.count) this.failNext(body.count, body.fault, body.path);
      else {
        ctx.status = 400;
        ctx.body = { error: 'expected {count, fault[, path]} or {rate, faults}' };
        return;
      }
      ctx.body = { ok: true };
    },
    '/sandbox/click': async (ctx) => {
      const body = await this.json(ctx);
      try {
        ctx.body = this.click(str(body?.userid), str(body?.msgid), str(body?.key));
      } catch (error) {
        ctx.status = 400;
        ctx.body = { error: (error as Error).message };
      }
    },
    '/sandbox/passive-update': async (ctx) => {
      const body = await this.json(ctx);
      ctx.body = {
        updated: this.applyPassiveUpdate(str(body?.userid), str(body?.msgid), str(body?.replaceName)),
      };
    },
  };

  /**
   * A passive update_button reply to a click (doc 90241) greys the clicked card for that member, as
   * WeCom does when it receives the reply; the chat console reports the replies it receives here.
   */
  applyPassiveUpdate(userid: string, msgid: string, replaceName: string): boolean {
    const delivery = this.deliveries.find(
      (d) => d.msgid === msgid && d.userid.toLowerCase() === userid.toLowerCase(),
    );
    if (!delivery || !replaceName) return false;
    delivery.replaceName = replaceName;
    delivery.updatedSeq = ++this.seq;
    this.notify();
    return true;
  }

  /** Stores a file as if a member had sent it (WeCom keeps media 3 days); returns its media_id. */
  storeMedia(data: Buffer, fileName: string, contentType = 'application/octet-stream'): string {
    const mediaId = `media_${randomBytes(16).toString('hex')}`;
    this.media.set(mediaId, { data, fileName, contentType, createdAt: this.clock.now().getTime() });
    return mediaId;
  }

  private send(agentId: number, body: Record<string, unknown>): Record<string, unknown> {
    if (Number(body.agentid) !== agentId)
      return err(301002, 'not allow operate another agent with this accesstoken');
    const touser = typeof body.touser === 'string' ? body.touser : '';
    const requested = touser === '' ? [] : touser.split('|');
    if (requested.length === 0) return err(82001, 'All touser & toparty & totag invalid');
    if (requested.length > 1000) return err(40032, 'invalid size of userid list');
    const msgtype = str(body.msgtype);
    const content = body[msgtype] as Record<string, unknown> | undefined;
    const problem = this.validateMessage(msgtype, content);
    if (problem) return problem;

    const now = this.clock.now().getTime();
    if (Number(body.enable_duplicate_check) === 1) {
      const interval = Math.min(Number(body.duplicate_check_interval ?? 1800), 4 * 3600) * 1000;
      const key = createHash('sha1').update(canonical(body)).digest('hex');
      const seen = this.duplicateCheck.get(key);
      if (seen && now - seen.at < interval) {
        this.suppressed.push({ msgid: seen.msgid, at: this.clock.now() });
        return ok({ invaliduser: '', msgid: seen.msgid });
      }
    }
    const taskId = msgtype === 'template_card' ? str((content as { task_id?: unknown }).task_id) : '';
    // task_id must be unique per app (a re-send is caught by the duplicate check above first).
    if (taskId && this.taskIds.has(taskId)) return err(40058, 'task_id already used');
    const valid = requested.filter((userid) => this.isMember(userid));
    const invalid = requested.filter((userid) => !this.isMember(userid));
    if (valid.length === 0) return err(81013, 'user & party & tag all invalid');

    const msgid = randomBytes(16).toString('base64url');
    if (Number(body.enable_duplicate_check) === 1) {
      this.duplicateCheck.set(createHash('sha1').update(canonical(body)).digest('hex'), { at: now, msgid });
    }
    const card =
      msgtype === 'template_card' ? (content as { card_type?: string; task_id?: string }) : undefined;
    let responseCode: string | undefined;
    if (
      card &&
      ['button_interaction', 'vote_interaction', 'multiple_interaction'].includes(card.card_type ?? '')
    ) {
      responseCode = this.newCardCode(msgid, valid);
      if (card.task_id) this.taskIds.add(card.task_id);
    }
    let truncated = false;
    if (msgtype === 'text') {
      const text = str(content?.content);
      if (Buffer.byteLength(text, 'utf8') > 2048) {
        truncated = true;
        content!.content = Buffer.from(text, 'utf8').subarray(0, 2048).toString('utf8');
      }
    }
    for (const userid of valid) {
      const sends = (this.memberSends.get(userid.toLowerCase()) ?? []).filter((t) => t > now - 3_600_000);
      const lastMinute = sends.filter((t) => t > now - 60_000).length;
      if (
        lastMinute >= (this.options.perMemberPerMinute ?? 30) ||
        sends.length >= (this.options.perMemberPerHour ?? 1000)
      ) {
        // WeCom's documented behaviour: the excess is dropped and the call still succeeds.
        this.dropped.push({ userid, msgid, at: this.clock.now(), seq: this.seq });
        continue;
      }
      this.memberSends.set(userid.toLowerCase(), [...sends, now]);
      this.deliveries.push({
        seq: ++this.seq,
        userid,
        msgid,
        msgtype,
        body: { [msgtype]: structuredClone(content) },
        at: this.clock.now(),
        truncated,
      });
    }
    this.notify();
    return ok({
      invaliduser: invalid.map((u) => u.toLowerCase()).join('|'),
      msgid,
      ...(responseCode ? { response_code: responseCode } : {}),
    });
  }

  private validateMessage(
    msgtype: string,
    content: Record<string, unknown> | undefined,
  ): Record<string, unknown> | undefined {
    if (!['text', 'markdown', 'template_card', 'file', 'image', 'textcard', 'news'].includes(msgtype)) {
      return err(40008, 'invalid message type');
    }
    if (!content || typeof content !== 'object') return err(40008, 'invalid message type');
    if (msgtype === 'text' || msgtype === 'markdown') {
      const text = content.content;
      if (typeof text !== 'string' || text === '') return err(44004, 'empty content');
      if (msgtype === 'markdown' && Buffer.byteLength(text, 'utf8') > 2048)
        return err(45002, 'content size out of limit');
    }
    if (msgtype === 'file' || msgtype === 'image') {
      const mediaId = str(content.media_id);
      if (!this.media.has(mediaId)) return err(40007, 'invalid media_id');
    }
    if (msgtype === 'template_card') return validateCard(content);
    return undefined;
  }

  private updateCard(agentId: number, body: Record<string, unknown>): Record<string, unknown> {
    if (Number(body.agentid) !== agentId)
      return err(301002, 'not allow operate another agent with this accesstoken');
    const code = this.cardCodes.get(str(body.response_code));
    if (!code || code.used || code.expiresAt <= this.clock.now().getTime()) {
      return err(40058, 'invalid response_code (used, expired or unknown)');
    }
    const userids = Array.isArray(body.userids) ? (body.userids as string[]) : [];
    const button = body.button as { replace_name?: string } | undefined;
    const card = body.template_card as Record<string, unknown> | undefined;
    if (!button?.replace_name && !card) return err(40058, 'button or template_card required');
    if (card) {
      const problem = validateCard(card);
      if (problem) return problem;
    }
    code.used = true;
    for (const delivery of this.deliveries) {
      if (delivery.msgid !== code.msgid) continue;
      if (userids.length && !userids.map((u) => u.toLowerCase()).includes(delivery.userid.toLowerCase()))
        continue;
      if (button?.replace_name) delivery.replaceName = button.replace_name;
      if (card) delivery.replacedCard = card;
      delivery.updatedSeq = ++this.seq;
    }
    this.notify();
    return ok({ invaliduser: '' });
  }
}

/** A small page of the fake's OAuth screens (escaped like every page of ours). */
function oauthPage(title: string, body: SafeHtml): string {
  return markup`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="data:," />
        <title>${title}</title>
      </head>
      <body style="font:16px/1.6 sans-serif;margin:24px">
        <h1 style="font-size:20px">${title}</h1>
        ${body}
      </body>
    </html>`.value;
}

/** The card rules of doc 90236 that a mistake on our side would trip. */
function validateCard(card: Record<string, unknown>): Record<string, unknown> | undefined {
  const type = str(card.card_type);
  if (
    ![
      'text_notice',
      'news_notice',
      'button_interaction',
      'vote_interaction',
      'multiple_interaction',
    ].includes(type)
  ) {
    return err(40008, 'invalid card_type');
  }
  const title = card.main_title as { title?: string } | undefined;
  if (!title?.title) return err(40058, 'main_title.title required');
  if (type === 'text_notice' && !card.card_action) return err(42045, 'Template_Card.card_action invalid');
  if (type === 'button_interaction') {
    const taskId = str(card.task_id);
    if (!TASK_ID.test(taskId)) return err(40058, 'invalid task_id');
    const buttons = card.button_list as { key?: string; text?: string }[] | undefined;
    if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > 6)
      return err(40058, 'invalid button_list');
    const keys = new Set<string>();
    for (const button of buttons) {
      if (
        !button.text ||
        !button.key ||
        Buffer.byteLength(button.key, 'utf8') > 1024 ||
        keys.has(button.key)
      ) {
        return err(40058, 'invalid button key');
      }
      keys.add(button.key);
    }
  }
  return undefined;
}

/** Menu limits (doc 90231): 1–3 buttons, 1–5 sub-buttons, names ≤ 16/40 bytes, keys ≤ 128 bytes. */
function validateMenu(menu: Record<string, unknown>): string | undefined {
  const buttons = menu.button as Record<string, unknown>[] | undefined;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3)
    return 'button must have 1-3 entries';
  for (const button of buttons) {
    if (Buffer.byteLength(str(button.name), 'utf8') > 16) return 'button name too long';
    const subs = button.sub_button as Record<string, unknown>[] | undefined;
    const items = Array.isArray(subs) ? subs : [button];
    if (Array.isArray(subs) && (subs.length < 1 || subs.length > 5))
      return 'sub_button must have 1-5 entries';
    for (const item of items) {
      if (Array.isArray(subs) && Buffer.byteLength(str(item.name), 'utf8') > 40)
        return 'sub_button name too long';
      if (item.type === 'click' && (!item.key || Buffer.byteLength(str(item.key), 'utf8') > 128))
        return 'invalid key';
      if (item.type === 'view' && !/^https?:\/\//.test(str(item.url))) return 'invalid url';
    }
  }
  return undefined;
}
