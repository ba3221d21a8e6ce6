// The progress board's HTTP routes (mounted by createRuntime through createApp's `routes`):
//   GET /board                         the overview (supervisors, admins) or the own unit (liaisons)
//   GET /board/unit/<id>               a top-level unit's open items with their history
//   GET /board/export/progress.xlsx    导出进度 (?unit=<id> for one unit), same builder as in chat
//   GET /board/export/cases/<id>.xlsx  导出案例 for a case call, same builder as in chat
//   GET /board/oauth                   WeCom's redirect back with ?code&state
//   POST /board/logout                 ends every session of the member (a POST: the Lax session
//                                      cookie is not sent with another site's form, so no
//                                      other site can sign a member out)
//   GET /board/static/echarts.min.js   the chart library
// Without a session, a page redirects to WeCom's sign-in; links in chat therefore carry no secret.
import { promisify } from 'node:util';
import { brotliCompress, gzip } from 'node:zlib';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { WeComApi } from '../bot/api-client.js';
import { WeComApiError } from '../bot/api-errors.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { isMysql } from '../db/data-source.js';
import { CaseCall } from '../entities/case-call.js';
import { NO_UNIT_TEXT } from '../services/shared/permissions.js';
import { writeAudit, type AuditEntry } from '../services/shared/audit.js';
import { endBoardSessions, findBoardSession, startBoardSession } from '../services/shared/board-sessions.js';
import type { CalendarProvider } from '../services/calendar/provider.js';
import { buildCaseExport } from '../services/cases/export.js';
import { XLSX_CONTENT_TYPE } from '../db/files.js';
import { OTHER_UNIT_TEXT, can, canSeeUnit } from '../services/shared/permissions.js';
import { buildProgressExport } from '../services/progress/export.js';
import { BOARD_SCRIPT_HASH } from './client.js';
import { boardOverview, unitPage } from './data.js';
import { siteReport } from '../services/patrol/store.js';
import { OAUTH_CALLBACK_PATH, authorizeUrl, newState, safeNext } from './oauth.js';
import { ECHARTS_PATH, noticePage, overviewPage, sitePageHtml, unitPageHtml } from './pages.js';
import type { CookieSigner } from './session.js';
import {
  SESSION_COOKIE,
  SESSION_TTL_MS,
  STATE_COOKIE,
  STATE_TTL_MS,
  clearCookieHeader,
  cookieFrom,
  readSession,
  readState,
  sameState,
  sessionValue,
  setCookieHeader,
  stateValue,
} from './session.js';
import { echartsVersion, loadEcharts, serveAsset } from './static.js';
import { lookupViewer, type BoardViewer } from './viewer.js';

export const BOARD_PATH = '/board';

export interface BoardDeps {
  dataSource: DataSource;
  config: Readonly<Config>;
  api: WeComApi;
  corpId: string;
  agentId: number;
  /** WeCom's OAuth host (open.weixin.qq.com), or the fake's in sandbox mode and tests. */
  oauthBase: string;
  signer: CookieSigner;
  calendar: CalendarProvider;
  clock: Clock;
  logger: Logger;
}

const LOGOUT_PATH = '/board/logout';

/** The Content-Security-Policy of every board page: our own scripts and the one inline script. */
export const BOARD_CSP = [
  "default-src 'none'",
  `script-src 'self' ${BOARD_SCRIPT_HASH}`,
  // ECharts positions its tooltip with style attributes; no script can run from a style.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const UNKNOWN_USER_TEXT =
  '您不在督办助手的通讯录中，无法查看进度看板。如需开通，请联系市大数据局电子政务科。';
export const INACTIVE_USER_TEXT = '您的账号已停用，无法查看进度看板。如有疑问，请联系市大数据局电子政务科。';
export const NOT_MEMBER_TEXT = '进度看板仅限本单位企业微信成员查看，请在企业微信中打开。';
export const EXPIRED_SIGN_IN_TEXT = '登录已失效，请从企业微信重新打开进度看板。';
export const EXPORT_ONLY_TEXT = '导出仅限督办人员使用。';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

type Handler = (ctx: Koa.Context, viewer: BoardViewer) => Promise<void>;

export function boardRoutes(deps: BoardDeps): (ctx: Koa.Context, next: Koa.Next) => Promise<void> {
  const version = echartsVersion();
  const secure = (ctx: Koa.Context) => ctx.secure || Boolean(deps.config.publicBaseUrl?.startsWith('https:'));

  const audit = (entry: AuditEntry) => writeAudit(deps.dataSource.manager, deps.clock.now(), entry);

  async function page(ctx: Koa.Context, status: number, body: string): Promise<void> {
    ctx.status = status;
    securityHeaders(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Vary', 'Accept-Encoding');
    ctx.type = 'text/html; charset=utf-8';
    const data = Buffer.from(body, 'utf8');
    const encoding = data.length > 1024 ? ctx.acceptsEncodings('br', 'gzip', 'identity') : 'identity';
    if (encoding === 'br') {
      ctx.set('Content-Encoding', 'br');
      ctx.body = await brotli(data);
    } else if (encoding === 'gzip') {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = await gzipAsync(data);
    } else {
      ctx.body = data;
    }
  }

  const notice = (ctx: Koa.Context, status: number, title: string, message: string, retry = false) =>
    page(ctx, status, noticePage(title, message, retry ? { href: BOARD_PATH, text: '重新登录' } : undefined));

  /**
   * Where WeCom sends the browser back: PUBLIC_BASE_URL, which a live bot always has (the
   * configuration refuses to start without it). Only the sandbox, whose fake WeCom runs on this
   * machine, falls back to the address the request came to.
   */
  function redirectBase(ctx: Koa.Context): string {
    if (deps.config.publicBaseUrl) return deps.config.publicBaseUrl;
    if (deps.config.mode !== 'sandbox') throw new Error('PUBLIC_BASE_URL is required in live mode');
    return `${ctx.protocol}://${ctx.host}`;
  }

  /** To WeCom's sign-in, remembering (in a signed, short-lived cookie) the state and the page asked for. */
  function signIn(ctx: Koa.Context): void {
    const state = newState();
    const next = safeNext(ctx.querystring ? `${ctx.path}?${ctx.querystring}` : ctx.path);
    const now = deps.clock.now();
    ctx.append(
      'Set-Cookie',
      setCookieHeader(STATE_COOKIE, stateValue(deps.signer, { state, next }, now), {
        maxAgeSeconds: STATE_TTL_MS / 1000,
        secure: secure(ctx),
      }),
    );
    const base = redirectBase(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(
      authorizeUrl({
        oauthBase: deps.oauthBase,
        corpId: deps.corpId,
        agentId: deps.agentId,
        redirectUri: `${base}${OAUTH_CALLBACK_PATH}`,
        state,
      }),
    );
  }

  async function oauthCallback(ctx: Koa.Context): Promise<void> {
    const now = deps.clock.now();
    const cookie = readState(deps.signer, cookieFrom(ctx.get('Cookie'), STATE_COOKIE), now);
    ctx.append('Set-Cookie', clearCookieHeader(STATE_COOKIE, secure(ctx)));
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    if (!cookie || !sameState(state, cookie.state) || !code) {
      await notice(ctx, 400, '登录失败', EXPIRED_SIGN_IN_TEXT, true);
      return;
    }
    let identity: { userid?: string; openid?: string };
    try {
      identity = await deps.api.getUserInfoByCode(code);
    } catch (error) {
      if (error instanceof WeComApiError && error.errcode === 40029) {
        await notice(ctx, 400, '登录失败', EXPIRED_SIGN_IN_TEXT, true);
        return;
      }
      deps.logger.warn({ err: error }, 'board sign-in: auth/getuserinfo failed');
      await notice(ctx, 502, '暂时无法登录', '暂时无法连接企业微信，请稍后再试。', true);
      return;
    }
    if (!identity.userid) {
      await notice(ctx, 403, '无法查看', NOT_MEMBER_TEXT);
      return;
    }
    const lookup = await lookupViewer(deps.dataSource.manager, identity.userid);
    if (lookup.kind !== 'ok') {
      await audit({
        actor: identity.userid,
        action: 'board.sign-in',
        target: 'board',
        result: 'denied',
        detail: lookup.kind === 'unknown' ? '不在通讯录' : '账号已停用',
      });
      await notice(ctx, 403, '无法查看', lookup.kind === 'unknown' ? UNKNOWN_USER_TEXT : INACTIVE_USER_TEXT);
      return;
    }
    await audit({ actor: lookup.viewer.userid, action: 'board.sign-in', target: 'board' });
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    const token = await startBoardSession(deps.dataSource.manager, lookup.viewer, expiresAt);
    ctx.append(
      'Set-Cookie',
      setCookieHeader(SESSION_COOKIE, sessionValue(deps.signer, token, expiresAt), {
        maxAgeSeconds: SESSION_TTL_MS / 1000,
        secure: secure(ctx),
      }),
    );
    ctx.set('Cache-Control', 'no-store');
    // Leaves the one-time code out of the address bar (and out of any Referer).
    ctx.redirect(cookie.next);
  }

  /** The live server-side session the request's cookie names, if any. */
  async function currentSession(ctx: Koa.Context, now: Date) {
    const cookie = readSession(deps.signer, cookieFrom(ctx.get('Cookie'), SESSION_COOKIE), now);
    return cookie ? findBoardSession(deps.dataSource.manager, cookie.token, now) : undefined;
  }

  /**
   * Runs `handler` for a signed-in, active member whose role is still the one they signed in with;
   * otherwise signs in again or refuses, ending the member's sessions where they no longer hold.
   */
  async function withViewer(ctx: Koa.Context, handler: Handler): Promise<void> {
    const now = deps.clock.now();
    const session = await currentSession(ctx, now);
    if (!session) {
      signIn(ctx);
      return;
    }
    const lookup = await lookupViewer(deps.dataSource.manager, session.userid);
    if (lookup.kind !== 'ok') {
      await endBoardSessions(deps.dataSource.manager, session.userid);
      await audit({
        actor: session.userid,
        action: 'board.view',
        target: 'board',
        result: 'denied',
        detail: lookup.kind === 'unknown' ? '不在通讯录，会话已结束' : '账号已停用，会话已结束',
      });
      ctx.append('Set-Cookie', clearCookieHeader(SESSION_COOKIE, secure(ctx)));
      await notice(ctx, 403, '无法查看', lookup.kind === 'unknown' ? UNKNOWN_USER_TEXT : INACTIVE_USER_TEXT);
      return;
    }
    if (lookup.viewer.role !== session.role) {
      // The role changed since sign-in: what this session may see was decided for the old role.
      await endBoardSessions(deps.dataSource.manager, session.userid);
      await audit({
        actor: session.userid,
        action: 'board.session-end',
        target: 'board',
        detail: '角色已变更，会话已结束',
      });
      ctx.append('Set-Cookie', clearCookieHeader(SESSION_COOKIE, secure(ctx)));
      signIn(ctx);
      return;
    }
    await handler(ctx, lookup.viewer);
  }

  /** Ends every session of the member (all browsers, every copy of the cookie). */
  async function logout(ctx: Koa.Context): Promise<void> {
    const session = await currentSession(ctx, deps.clock.now());
    if (session) {
      const ended = await endBoardSessions(deps.dataSource.manager, session.userid);
      await audit({
        actor: session.userid,
        action: 'board.sign-out',
        target: 'board',
        detail: `${ended} 个会话`,
      });
    }
    ctx.append('Set-Cookie', clearCookieHeader(SESSION_COOKIE, secure(ctx)));
    await notice(ctx, 200, '已退出', '您已退出进度看板（所有设备上的登录均已结束）。', false);
  }

  // One transaction per page, so that every number on it comes from the same snapshot: on MySQL
  // (whose sessions run READ COMMITTED) a REPEATABLE READ one, which for plain reads takes no lock;
  // SQLite's transactions are serializable already.
  const read = <T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> =>
    isMysql(deps.dataSource)
      ? deps.dataSource.transaction('REPEATABLE READ', fn)
      : deps.dataSource.transaction(fn);

  async function showUnit(ctx: Koa.Context, viewer: BoardViewer, unitId: number): Promise<void> {
    if (!canSeeUnit(viewer, unitId)) {
      await audit({
        actor: viewer.userid,
        action: 'board.view',
        target: `unit:${unitId}`,
        result: 'denied',
        detail: '非本单位',
      });
      await notice(ctx, 403, '无法查看', OTHER_UNIT_TEXT, false);
      return;
    }
    const now = deps.clock.now();
    const calendar = await deps.calendar.get();
    const found = await read((tx) => unitPage(tx, { now, calendar, unitId }));
    if (!found) {
      await notice(ctx, 404, '没有这个单位', '没有找到这个单位，请返回看板重新选择。');
      return;
    }
    const seesAll = can(viewer.role, 'see-all-units');
    await page(
      ctx,
      200,
      unitPageHtml(found, viewer, now, { back: seesAll, exportLink: can(viewer.role, 'export') }),
    );
  }

  async function showSite(ctx: Koa.Context, viewer: BoardViewer, websiteId: number): Promise<void> {
    const now = deps.clock.now();
    const report = await read((tx) => siteReport(tx, websiteId, now));
    if (!report) {
      await notice(ctx, 404, '没有这个网站', '没有找到这个网站，请返回看板重新选择。');
      return;
    }
    if (!canSeeUnit(viewer, report.topUnitId)) {
      await audit({
        actor: viewer.userid,
        action: 'board.view',
        target: `site:${websiteId}`,
        result: 'denied',
        detail: '非本单位',
      });
      await notice(ctx, 403, '无法查看', OTHER_UNIT_TEXT, false);
      return;
    }
    await page(ctx, 200, sitePageHtml(report, viewer, now));
  }

  const board: Handler = async (ctx, viewer) => {
    if (!can(viewer.role, 'see-all-units')) {
      if (!viewer.topUnit) {
        await notice(ctx, 403, '无法查看', NO_UNIT_TEXT);
        return;
      }
      await showUnit(ctx, viewer, viewer.topUnit.id);
      return;
    }
    const now = deps.clock.now();
    const calendar = await deps.calendar.get();
    const overview = await read((tx) => boardOverview(tx, { now, calendar }));
    await page(ctx, 200, overviewPage(overview, viewer, version));
  };

  async function download(ctx: Koa.Context, fileName: string, data: Buffer): Promise<void> {
    securityHeaders(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.set(
      'Content-Disposition',
      `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    );
    ctx.type = XLSX_CONTENT_TYPE;
    ctx.body = data;
  }

  const exportProgress: Handler = async (ctx, viewer) => {
    if (!can(viewer.role, 'export')) {
      await audit({ actor: viewer.userid, action: 'progress.export', target: 'board', result: 'denied' });
      await notice(ctx, 403, '无法导出', EXPORT_ONLY_TEXT);
      return;
    }
    const unit =
      typeof ctx.query.unit === 'string' && /^\d{1,9}$/.test(ctx.query.unit)
        ? Number(ctx.query.unit)
        : undefined;
    const now = deps.clock.now();
    const calendar = await deps.calendar.get();
    const built = await read((tx) =>
      buildProgressExport(tx, { now, calendar, topUnitIds: unit === undefined ? undefined : [unit] }),
    );
    await audit({
      actor: viewer.userid,
      action: 'progress.export',
      target: unit === undefined ? 'board' : `board:unit:${unit}`,
      detail: `${built.taskCount} 项任务，${built.unitCount} 个单位`,
    });
    await download(ctx, built.fileName, built.data);
  };

  const exportCases =
    (callId: number): Handler =>
    async (ctx, viewer) => {
      if (!can(viewer.role, 'export')) {
        await audit({ actor: viewer.userid, action: 'case-call.export', target: 'board', result: 'denied' });
        await notice(ctx, 403, '无法导出', EXPORT_ONLY_TEXT);
        return;
      }
      const now = deps.clock.now();
      const built = await read(async (tx) => {
        const call = await tx.getRepository(CaseCall).findOneBy({ id: callId });
        return call ? buildCaseExport(tx, call, now) : undefined;
      });
      if (!built) {
        await notice(ctx, 404, '没有这个征集', '没有找到这个案例征集。');
        return;
      }
      await audit({
        actor: viewer.userid,
        action: 'case-call.export',
        target: `board:call:${callId}`,
        detail: `${built.caseCount} 个案例`,
      });
      await download(ctx, built.fileName, built.data);
    };

  return async (ctx, next) => {
    const path = ctx.path;
    if (path !== BOARD_PATH && !path.startsWith(`${BOARD_PATH}/`)) {
      await next();
      return;
    }
    if (path === LOGOUT_PATH) {
      if (ctx.method === 'POST') await logout(ctx);
      else {
        ctx.status = 405;
        ctx.set('Allow', 'POST');
      }
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    if (path === ECHARTS_PATH) {
      await serveAsset(ctx, await loadEcharts(), 'application/javascript; charset=utf-8');
      return;
    }
    if (path === OAUTH_CALLBACK_PATH) {
      await oauthCallback(ctx);
      return;
    }
    if (path === BOARD_PATH || path === `${BOARD_PATH}/`) {
      await withViewer(ctx, board);
      return;
    }
    const unit = /^\/board\/unit\/(\d{1,9})$/.exec(path);
    if (unit) {
      await withViewer(ctx, (c, viewer) => showUnit(c, viewer, Number(unit[1])));
      return;
    }
    const site = /^\/board\/site\/(\d{1,9})$/.exec(path);
    if (site) {
      await withViewer(ctx, (c, viewer) => showSite(c, viewer, Number(site[1])));
      return;
    }
    if (path === '/board/export/progress.xlsx') {
      await withViewer(ctx, exportProgress);
      return;
    }
    const cases = /^\/board\/export\/cases\/(\d{1,9})\.xlsx$/.exec(path);
    if (cases) {
      await withViewer(ctx, exportCases(Number(cases[1])));
      return;
    }
    await notice(ctx, 404, '页面不存在', '没有这个页面。', false);
  };
}

function securityHeaders(ctx: Koa.Context): void {
  ctx.set('Content-Security-Policy', BOARD_CSP);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Frame-Options', 'DENY');
}
