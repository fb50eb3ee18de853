import type { FakeWeChat } from '../../simulator/wechat/index';
import {
  FAKE_WECHAT_APPID,
  FAKE_WECHAT_SECRET,
  startFakeWeChat,
} from '../../simulator/wechat/index';

describe('fake WeChat API', () => {
  let wechat: FakeWeChat;
  const onSend = jest.fn();
  beforeEach(async () => {
    onSend.mockClear();
    wechat = await startFakeWeChat({ port: 0, onSend });
  });
  afterEach(async () => {
    await wechat.close();
  });

  const session = async (code: string, overrides: Record<string, string> = {}) => {
    const query = new URLSearchParams({
      appid: FAKE_WECHAT_APPID,
      secret: FAKE_WECHAT_SECRET,
      js_code: code,
      grant_type: 'authorization_code',
      ...overrides,
    });
    const response = await fetch(`${wechat.url}/sns/jscode2session?${query.toString()}`);
    return {
      contentType: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  const token = async () => {
    const query = new URLSearchParams({
      grant_type: 'client_credential',
      appid: FAKE_WECHAT_APPID,
      secret: FAKE_WECHAT_SECRET,
    });
    const response = await fetch(`${wechat.url}/cgi-bin/token?${query.toString()}`);
    return (await response.json()) as { access_token: string; expires_in: number };
  };

  const send = async (accessToken: string, body: unknown) => {
    const response = await fetch(
      `${wechat.url}/cgi-bin/message/subscribe/send?access_token=${accessToken}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    return (await response.json()) as Record<string, unknown>;
  };

  it('listens on an ephemeral loopback port', () => {
    expect(wechat.port).toBeGreaterThan(0);
    expect(wechat.url).toBe(`http://127.0.0.1:${wechat.port}`);
  });

  it('maps demo-<name> codes to a stable openid, answering text/plain like WeChat', async () => {
    const first = await session('demo-alice');
    const second = await session('demo-alice.second');
    expect(first.contentType).toBe('text/plain');
    expect(first.body.openid).toBe(wechat.openidFor('alice'));
    expect(second.body.openid).toBe(first.body.openid);
    expect(first.body.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(typeof first.body.session_key).toBe('string');
    expect((await session('demo-bob')).body.openid).not.toBe(first.body.openid);
  });

  it('gives different openids to different apps', async () => {
    const other = await startFakeWeChat({ port: 0, appid: 'wxother', secret: 's' });
    try {
      expect(other.openidFor('alice')).not.toBe(wechat.openidFor('alice'));
    } finally {
      await other.close();
    }
  });

  it.each([
    ['an unknown code', 'abc', {}, 40029],
    ['a demo code with bad characters', 'demo-a b', {}, 40029],
    ['an empty code', '', {}, 41008],
    ['a wrong appid', 'demo-x', { appid: 'wxwrong' }, 40013],
    ['a wrong secret', 'demo-x', { secret: 'nope' }, 40125],
    ['a wrong grant type', 'demo-x', { grant_type: 'password' }, 40002],
  ])('answers %s with its errcode', async (_label, code, overrides, errcode) => {
    const { body } = await session(code, overrides);
    expect(body.errcode).toBe(errcode);
    expect(typeof body.errmsg).toBe('string');
    expect(body).not.toHaveProperty('openid');
  });

  it('refuses a code the second time (40163)', async () => {
    expect((await session('demo-carol.1')).body.openid).toBeDefined();
    expect((await session('demo-carol.1')).body).toEqual({
      errcode: 40163,
      errmsg: 'code been used',
    });
    expect((await session('demo-carol.2')).body.openid).toBeDefined();
  });

  it('injects failures such as the 45011 rate limit', async () => {
    wechat.failNext('jscode2session', 45011, undefined, 2);
    expect((await session('demo-dan.1')).body.errcode).toBe(45011);
    expect((await session('demo-dan.1')).body.errcode).toBe(45011);
    expect((await session('demo-dan.1')).body.openid).toBeDefined();
  });

  it('issues access tokens, counts calls and records subscribe messages', async () => {
    await session('demo-erin');
    const { access_token: accessToken, expires_in: expiresIn } = await token();
    expect(expiresIn).toBe(7200);
    expect(wechat.calls.token).toBe(1);
    const message = {
      touser: wechat.openidFor('erin'),
      template_id: 'tmpl',
      page: 'pages/chat/chat?account=x',
      data: { thing1: { value: 'hi' } },
      miniprogram_state: 'formal',
      lang: 'zh_CN',
    };
    expect(await send(accessToken, message)).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(wechat.sent).toEqual([{ ...message, receivedAt: expect.any(Number) }]);
    expect(onSend).toHaveBeenCalledWith(wechat.sent[0]);
  });

  it('validates subscribe messages like WeChat', async () => {
    await session('demo-fay');
    const { access_token: accessToken } = await token();
    const good = {
      touser: wechat.openidFor('fay'),
      template_id: 't',
      data: { thing1: { value: 'x' } },
    };
    expect((await send('bad-token', good)).errcode).toBe(40001);
    expect((await send(accessToken, { ...good, touser: 'o-unknown' })).errcode).toBe(40003);
    expect((await send(accessToken, { ...good, template_id: '' })).errcode).toBe(40037);
    expect((await send(accessToken, { ...good, data: {} })).errcode).toBe(47003);
    expect((await send(accessToken, { ...good, data: { thing1: { value: '' } } })).errcode).toBe(
      47003,
    );
    wechat.expireTokens();
    expect((await send(accessToken, good)).errcode).toBe(40001);
    expect(wechat.sent).toHaveLength(0);
    expect(onSend).not.toHaveBeenCalled();
    expect(wechat.calls.send).toBe(6);
  });

  it('expires tokens after their lifetime', async () => {
    const short = await startFakeWeChat({ port: 0, tokenTtlSeconds: 0 });
    try {
      const query = new URLSearchParams({
        grant_type: 'client_credential',
        appid: FAKE_WECHAT_APPID,
        secret: FAKE_WECHAT_SECRET,
      });
      const issued = (await (
        await fetch(`${short.url}/cgi-bin/token?${query.toString()}`)
      ).json()) as { access_token: string };
      const response = await fetch(
        `${short.url}/cgi-bin/message/subscribe/send?access_token=${issued.access_token}`,
        {
          method: 'POST',
          body: '{}',
        },
      );
      expect(((await response.json()) as { errcode: number }).errcode).toBe(40001);
    } finally {
      await short.close();
    }
  });

  it('answers 404 for other paths and 47001 for a non-JSON body', async () => {
    expect((await fetch(`${wechat.url}/nope`)).status).toBe(404);
    const { access_token: accessToken } = await token();
    const response = await fetch(
      `${wechat.url}/cgi-bin/message/subscribe/send?access_token=${accessToken}`,
      {
        method: 'POST',
        body: '{not json',
      },
    );
    expect(((await response.json()) as { errcode: number }).errcode).toBe(47001);
  });
});
