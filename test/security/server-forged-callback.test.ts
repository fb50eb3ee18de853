/**
 * Issue: Tencent signs only `RequestTime`, so a captured callback URL could be replayed with any
 * body for 10 minutes. Now a callback is a hint: the message is confirmed with `admin_getroammsg`
 * and the notification is built from the confirmed copy; an unconfirmed one sends nothing and logs
 * one warning without its content; the signature window defaults to 60 s.
 */
import type { LiveServer } from './support/live-server';
import { startLiveServer, waitFor } from './support/live-server';

const ATTACKER_TEXT = '账户异常，请点击链接验证';

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(() => live.close());

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

async function postCallback(url: string, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      SendMsgResult: 0,
      OnlineOnlyFlag: 0,
      ...body,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('forged callbacks with a valid signature', () => {
  it('sends nothing for a message the Chat service does not hold, and warns once without content', async () => {
    const user = await live.awaySubscribedUser('forged');
    const now = Math.floor(Date.now() / 1000);
    const before = live.logs.length;
    const status = await postCallback(live.signedCallbackUrl(), {
      From_Account: live.service,
      To_Account: user.userID,
      MsgSeq: 4242,
      MsgRandom: 4242,
      MsgTime: now,
      MsgKey: `4242_4242_${now}`,
      MsgBody: text(ATTACKER_TEXT),
    });
    expect(status).toBe(200);
    await live.settle();
    expect(live.wechat.sent).toEqual([]);
    const lines = live.logs.slice(before);
    expect(lines.filter((line) => line.includes('not confirmed'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(ATTACKER_TEXT);
  });

  it('replaying a genuine message with another body notifies with the genuine text only', async () => {
    const user = await live.awaySubscribedUser('replayed');
    // Presence is marked away: the genuine reply notifies…
    const ref = live.sim.backend.send({
      serviceAccount: live.service,
      userID: user.userID,
      elems: text('您的退款已到账'),
    });
    await waitFor(() => live.wechat.sent.length === 1, 10_000, 'the genuine notification');
    // …the user comes back, leaves again, and the attacker replays that message's identifiers.
    await live.post('/api/subscriptions', {
      sessionToken: user.sessionToken,
      accepted: { tmpl_security_01: 'accept' },
    });
    await live.post('/api/presence', { sessionToken: user.sessionToken });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await live.post('/api/presence', { sessionToken: user.sessionToken, state: 'away' });
    const status = await postCallback(live.signedCallbackUrl(), {
      From_Account: live.service,
      To_Account: user.userID,
      MsgSeq: ref.seq,
      MsgRandom: ref.random,
      MsgTime: ref.time,
      MsgKey: `${ref.seq}_${ref.random}_${ref.time}`,
      MsgBody: text(ATTACKER_TEXT),
    });
    expect(status).toBe(200);
    await live.settle();
    const previews = live.wechat.sent.map((m) => m.data.thing1?.value);
    expect(previews).not.toContain(ATTACKER_TEXT);
    expect(previews.every((value) => value === '您的退款已到账')).toBe(true);
  });

  it('refuses a signature older than the 60 s window, and a forged "user sent" keeps no one present', async () => {
    const user = await live.awaySubscribedUser('stale');
    const stale = await postCallback(live.signedCallbackUrl(Math.floor(Date.now() / 1000) - 61), {
      From_Account: live.service,
      To_Account: user.userID,
      MsgTime: Math.floor(Date.now() / 1000),
      MsgBody: text(ATTACKER_TEXT),
    });
    expect(stale).toBe(403);
    // A forged message "from the user" would mark them present and silence real replies.
    const now = Math.floor(Date.now() / 1000);
    await postCallback(live.signedCallbackUrl(), {
      From_Account: user.userID,
      To_Account: live.service,
      MsgSeq: 7,
      MsgRandom: 7,
      MsgTime: now,
      MsgKey: `7_7_${now}`,
      MsgBody: text('hi'),
    });
    await live.settle();
    const sentBefore = live.wechat.sent.length;
    live.sim.backend.send({
      serviceAccount: live.service,
      userID: user.userID,
      elems: text('客服已回复'),
    });
    await waitFor(() => live.wechat.sent.length > sentBefore, 10_000, 'the notification');
    expect(live.wechat.sent.at(-1)?.data.thing1?.value).toBe('客服已回复');
  });
});
