// The fake WeCom's web sign-in, as WeCom documents it (doc 91022/91023): authorize sends the browser
// back with a code and the state; auth/getuserinfo trades a code once, within five minutes, for the
// member's userid (an openid for anyone else); the sandbox asks who you are when nobody is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { FakeWeCom } from '../src/sandbox/fake-wecom.js';

const clock = new ManualClock('2026-02-14T02:00:00Z');
const fake = new FakeWeCom({
  corpId: 'wwcorp',
  agents: [{ agentId: 1000002, secret: 's3cret' }],
  members: [{ userid: 'sup', name: '李督办' }],
  clock,
});
let base: string;
let token: string;

beforeAll(async () => {
  base = await fake.listen();
  const response = (await (
    await fetch(`${base}/cgi-bin/gettoken?corpid=wwcorp&corpsecret=s3cret`)
  ).json()) as {
    access_token: string;
  };
  token = response.access_token;
});

afterAll(async () => {
  await fake.close();
});

const REDIRECT = 'https://bot.example.gov.cn/board/oauth';

function authorize(params: Record<string, string> = {}): Promise<Response> {
  const query = new URLSearchParams({
    appid: 'wwcorp',
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'snsapi_base',
    state: 'abc123',
    agentid: '1000002',
    ...params,
  });
  return fetch(`${base}/connect/oauth2/authorize?${query.toString()}`, { redirect: 'manual' });
}

async function codeFor(userid: string): Promise<string> {
  fake.setBrowserUser(userid);
  const response = await authorize();
  const location = new URL(response.headers.get('location')!);
  return location.searchParams.get('code')!;
}

const userInfo = async (code: string, accessToken = token) =>
  (await (
    await fetch(`${base}/cgi-bin/auth/getuserinfo?access_token=${accessToken}&code=${code}`)
  ).json()) as Record<string, unknown>;

describe('authorize', () => {
  it('sends the signed-in member back to redirect_uri with a code and the state', async () => {
    fake.setBrowserUser('sup');
    const response = await authorize();
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('abc123');
    expect(location.searchParams.get('code')).toMatch(/^[0-9a-f]{48}$/);
  });

  it.each([
    [{ appid: 'other' }, 'appid'],
    [{ redirect_uri: 'javascript:alert(1)' }, 'redirect_uri'],
    [{ response_type: 'token' }, 'response_type'],
    [{ scope: 'snsapi_userinfo' }, 'scope'],
    [{ state: 'a-b' }, 'state'],
  ])('refuses %j', async (params, word) => {
    fake.setBrowserUser('sup');
    const response = await authorize(params);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(word);
  });

  it('in the sandbox, with nobody set, asks who you are and keeps the parameters (escaped)', async () => {
    fake.setBrowserUser(undefined);
    const odd = `${REDIRECT}?x="><script>alert(1)</script>`;
    const page = await authorize({ redirect_uri: odd });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('name="sandbox_userid"');
    expect(body).toContain('value="https://bot.example.gov.cn/board/oauth?x=&quot;&gt;&lt;script&gt;');
    expect(body).not.toContain('<script>alert(1)');
    const chosen = await authorize({ sandbox_userid: 'sup' });
    expect(chosen.status).toBe(302);
    const code = new URL(chosen.headers.get('location')!).searchParams.get('code')!;
    expect(await userInfo(code)).toMatchObject({ errcode: 0, userid: 'sup' });
  });
});

describe('auth/getuserinfo', () => {
  it('trades a code once for the userid; a reused code is 40029', async () => {
    const code = await codeFor('sup');
    expect(await userInfo(code)).toEqual({ errcode: 0, errmsg: 'ok', userid: 'sup' });
    expect(await userInfo(code)).toEqual({ errcode: 40029, errmsg: 'invalid code' });
    expect(await userInfo('no-such-code')).toMatchObject({ errcode: 40029 });
  });

  it('lets a code expire after five minutes', async () => {
    const fresh = await codeFor('sup');
    const stale = await codeFor('sup');
    clock.advance(5 * 60_000 - 1);
    expect(await userInfo(fresh)).toMatchObject({ errcode: 0 });
    clock.advance(1);
    expect(await userInfo(stale)).toMatchObject({ errcode: 40029 });
  });

  it('gives an openid, not a userid, to someone outside the corp', async () => {
    const result = await userInfo(await codeFor('outsider'));
    expect(result.errcode).toBe(0);
    expect(result.openid).toMatch(/^o\w{27}$/);
    expect(result.userid).toBeUndefined();
  });

  it('needs an access token', async () => {
    const code = await codeFor('sup');
    expect(await userInfo(code, '')).toMatchObject({ errcode: 41001 });
    expect(await userInfo(code, 'wrong')).toMatchObject({ errcode: 40014 });
    // A refused call does not spend the code.
    expect(await userInfo(code)).toMatchObject({ errcode: 0, userid: 'sup' });
  });
});
