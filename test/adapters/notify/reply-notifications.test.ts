import {
  createReplyNotifications,
  requestSubscribeFromTap,
} from '../../../miniprogram/adapters/notify/index';
import type { ReplyNotificationsOptions } from '../../../miniprogram/adapters/notify/index';
import type { JsonResponse } from '../../../miniprogram/adapters/wx-request';
import type { SubscribeOutcome } from '../../../miniprogram/core/notify/index';
import { REOFFER_INTERVAL_MS } from '../../../miniprogram/core/notify/index';
import { appError, err, ok } from '../../../miniprogram/core/result';
import type { Result } from '../../../miniprogram/core/result';
import { FakeClock } from '../../fakes/fake-clock';
import { MemoryStorage } from '../../fakes/memory-storage';

const T = 'tmpl_reply';
const accepted: SubscribeOutcome = {
  kind: 'answered',
  decisions: { [T]: 'accept' },
  accepted: true,
};
const rejected: SubscribeOutcome = {
  kind: 'answered',
  decisions: { [T]: 'reject' },
  accepted: false,
};

interface Call {
  url: string;
  body: unknown;
}

function setup(overrides: Partial<ReplyNotificationsOptions> = {}) {
  const clock = new FakeClock();
  const storage = new MemoryStorage();
  const calls: Call[] = [];
  let answer: Result<JsonResponse> = ok({ status: 200, data: { quota: { [T]: 1 }, ignored: [] } });
  let outcome: SubscribeOutcome = accepted;
  const requestSubscribe = jest.fn((_ids: readonly string[]) => Promise.resolve(outcome));
  const options: ReplyNotificationsOptions = {
    loginEndpoint: 'http://127.0.0.1:9500/',
    templateIds: [T],
    timeoutMs: 5000,
    getSessionToken: () => 'token-1',
    clock,
    storage,
    post: async (url, body) => {
      calls.push({ url, body });
      return answer;
    },
    requestSubscribe,
    ...overrides,
  };
  return {
    clock,
    storage,
    calls,
    requestSubscribe,
    options,
    notifications: createReplyNotifications(options),
    answerWith(next: Result<JsonResponse>) {
      answer = next;
    },
    dialogAnswers(next: SubscribeOutcome) {
      outcome = next;
    },
  };
}

describe('createReplyNotifications', () => {
  it('offers once per interval, then stops after an acceptance the server counted', async () => {
    const s = setup();
    s.notifications.setSession('C2C@cs|1');
    expect(s.notifications.offer('queued', true)).toMatchObject({ offer: true, templateIds: [T] });
    expect(s.notifications.offer('queued', true)).toEqual({
      offer: false,
      reason: 'recently-offered',
    });

    const res = await s.notifications.subscribe();
    expect(res).toEqual(
      ok({ outcome: accepted, quota: 1, messageKey: 'entry.subscribe.accepted' }),
    );
    expect(s.calls).toEqual([
      {
        url: 'http://127.0.0.1:9500/api/subscriptions',
        body: { sessionToken: 'token-1', accepted: { [T]: 'accept' } },
      },
    ]);
    s.clock.advance(REOFFER_INTERVAL_MS);
    expect(s.notifications.offer('leaving', true)).toEqual({
      offer: false,
      reason: 'already-subscribed',
    });
  });

  it('calls WeChat synchronously from the tap (no await before the dialog)', () => {
    const s = setup();
    s.notifications.setSession('k');
    void s.notifications.subscribe();
    expect(s.requestSubscribe).toHaveBeenCalledTimes(1);
    expect(s.requestSubscribe).toHaveBeenCalledWith([T]);
  });

  it('reports a refusal and does not ask again in the session', async () => {
    const s = setup();
    s.dialogAnswers(rejected);
    s.answerWith(ok({ status: 200, data: { quota: { [T]: 0 }, ignored: [] } }));
    s.notifications.setSession('k');
    const res = await s.notifications.subscribe();
    expect(res.ok && res.value.messageKey).toBe('entry.subscribe.rejected');
    expect(s.calls[0].body).toEqual({ sessionToken: 'token-1', accepted: { [T]: 'reject' } });
    s.clock.advance(REOFFER_INTERVAL_MS);
    expect(s.notifications.offer('leaving', true)).toEqual({ offer: false, reason: 'answered' });
  });

  it('sends nothing for a closed dialog or a blocked one', async () => {
    const s = setup();
    s.notifications.setSession('k');
    s.dialogAnswers({ kind: 'cancelled' });
    expect(await s.notifications.subscribe()).toMatchObject({ ok: true, value: { quota: null } });
    s.notifications.setSession('k2');
    s.dialogAnswers({ kind: 'blocked', reason: 'main-switch-off', errCode: 20004 });
    const res = await s.notifications.subscribe();
    expect(res.ok && res.value.messageKey).toBe('entry.subscribe.blocked');
    expect(s.calls).toEqual([]);
    expect(s.notifications.offer('queued', true)).toEqual({ offer: false, reason: 'blocked' });
  });

  it('keeps an unsent report and delivers it later', async () => {
    const s = setup();
    s.notifications.setSession('k');
    s.answerWith(err(appError('network', 'offline')));
    const first = await s.notifications.subscribe();
    expect(first).toEqual(err(expect.objectContaining({ code: 'network' })));
    expect(s.storage.get('cs.notify.pending')).toEqual({ [T]: 'accept' });

    s.answerWith(ok({ status: 200, data: { quota: { [T]: 1 }, ignored: [] } }));
    // A new page instance (same storage) retries it when the chat opens.
    const again = createReplyNotifications(s.options);
    again.setSession('k');
    await again.flush();
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1].body).toEqual({ sessionToken: 'token-1', accepted: { [T]: 'accept' } });
    expect(s.storage.get('cs.notify.pending')).toBeUndefined();
    expect(again.memory()).toMatchObject({ answer: 'accepted', quota: 1 });
  });

  it('maps server refusals: session-expired is kept, a bad request is dropped', async () => {
    const s = setup();
    s.notifications.setSession('k');
    s.answerWith(ok({ status: 401, data: { error: 'session-expired' } }));
    expect(await s.notifications.subscribe()).toEqual(
      err(expect.objectContaining({ code: 'session-expired' })),
    );
    expect(s.storage.get('cs.notify.pending')).toEqual({ [T]: 'accept' });

    s.answerWith(ok({ status: 400, data: { error: 'invalid-request' } }));
    expect(await s.notifications.flush()).toEqual(
      err(expect.objectContaining({ code: 'invalid-input' })),
    );
    expect(s.storage.get('cs.notify.pending')).toBeUndefined();
  });

  it('needs a session token to report', async () => {
    const s = setup({ getSessionToken: () => undefined });
    s.notifications.setSession('k');
    expect(await s.notifications.subscribe()).toEqual(
      err(expect.objectContaining({ code: 'not-logged-in' })),
    );
    expect(s.calls).toEqual([]);
  });

  it('refuses without templates, without opening the dialog', async () => {
    const s = setup({ templateIds: [] });
    expect(await s.notifications.subscribe()).toEqual(
      err(expect.objectContaining({ code: 'not-allowed' })),
    );
    expect(s.requestSubscribe).not.toHaveBeenCalled();
    expect(s.notifications.offer('queued', true)).toEqual({ offer: false, reason: 'no-templates' });
  });

  it('remembers each session across page instances, and a spent notification re-opens the offer', async () => {
    const s = setup();
    s.notifications.setSession('C2C@cs|1');
    await s.notifications.subscribe();
    const reopened = createReplyNotifications(s.options);
    reopened.setSession('C2C@cs|1');
    expect(reopened.memory()).toMatchObject({ answer: 'accepted', quota: 1 });
    reopened.notificationOpened();
    expect(reopened.offer('queued', true).offer).toBe(true);

    reopened.setSession('C2C@cs|2');
    expect(reopened.memory()).toMatchObject({ sessionKey: 'C2C@cs|2', answer: null, quota: null });
  });

  it('wouldOffer answers like offer without remembering a prompt', () => {
    const s = setup();
    s.notifications.setSession('k');
    expect(s.notifications.wouldOffer('queued', true)).toBe(true);
    expect(s.notifications.wouldOffer('queued', true)).toBe(true);
    expect(s.notifications.memory().offeredAt).toBe(0);
    expect(s.notifications.wouldOffer('leaving', false)).toBe(false);
  });

  it('a new service session may ask again after a refusal', async () => {
    const s = setup();
    s.dialogAnswers(rejected);
    s.answerWith(ok({ status: 200, data: { quota: { [T]: 0 }, ignored: [] } }));
    s.notifications.setSession('k');
    await s.notifications.subscribe();
    expect(s.notifications.wouldOffer('queued', true)).toBe(false);
    s.notifications.newServiceSession();
    expect(s.notifications.wouldOffer('queued', true)).toBe(true);
    expect(s.notifications.memory()).toMatchObject({ sessionKey: 'k', answer: null, quota: 0 });
  });

  it('tells the page as soon as WeChat answers, before the report', async () => {
    const s = setup();
    let release: (r: Result<JsonResponse>) => void = () => undefined;
    s.options.post = () => new Promise((resolve) => (release = resolve));
    const n = createReplyNotifications(s.options);
    n.setSession('k');
    const answered = jest.fn();
    const done = n.subscribe(answered);
    await Promise.resolve();
    await Promise.resolve();
    expect(answered).toHaveBeenCalledWith(accepted);
    release(ok({ status: 200, data: { quota: { [T]: 1 }, ignored: [] } }));
    expect(await done).toMatchObject({ ok: true, value: { quota: 1 } });
  });

  it('dismissal silences the prompt except when leaving', () => {
    const s = setup();
    s.notifications.setSession('k');
    s.notifications.offer('queued', true);
    s.notifications.dismiss('queued');
    s.clock.advance(REOFFER_INTERVAL_MS);
    expect(s.notifications.offer('no-agent', true)).toEqual({ offer: false, reason: 'dismissed' });
    expect(s.notifications.offer('leaving', true).offer).toBe(true);
  });

  it('warns when the server does not send our template', async () => {
    const warn = jest.fn();
    const s = setup({ logger: { debug: jest.fn(), info: jest.fn(), warn, error: jest.fn() } });
    s.answerWith(ok({ status: 200, data: { quota: {}, ignored: [T] } }));
    s.notifications.setSession('k');
    const res = await s.notifications.subscribe();
    expect(res).toMatchObject({ ok: true, value: { quota: null } });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('does not send'), [T]);
  });
});

describe('requestSubscribeFromTap', () => {
  const g = globalThis as unknown as { wx?: unknown };
  afterEach(() => {
    delete g.wx;
  });

  it('calls wx.requestSubscribeMessage at once and maps its answer', async () => {
    const requestSubscribeMessage = jest.fn(
      (o: { tmplIds: string[]; success: (r: unknown) => void }) =>
        o.success({ errMsg: 'requestSubscribeMessage:ok', [T]: 'accept' }),
    );
    g.wx = { requestSubscribeMessage };
    const pending = requestSubscribeFromTap([T]);
    expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: [T] }));
    expect(await pending).toEqual(accepted);
  });

  it('maps a failure, and a missing API', async () => {
    g.wx = {
      requestSubscribeMessage: (o: { fail: (e: unknown) => void }) =>
        o.fail({ errCode: 20004, errMsg: 'requestSubscribeMessage:fail main switch' }),
    };
    expect(await requestSubscribeFromTap([T])).toEqual({
      kind: 'blocked',
      reason: 'main-switch-off',
      errCode: 20004,
    });
    g.wx = {};
    expect(await requestSubscribeFromTap([T])).toMatchObject({ kind: 'failed' });
  });
});
