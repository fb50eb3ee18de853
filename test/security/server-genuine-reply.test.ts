/**
 * The other side of the callback checks: a genuine agent reply to an away, subscribed user still
 * produces exactly one subscribe message, through the simulator's real signed callback and the
 * server's `admin_getroammsg` confirmation (so dropping every callback cannot pass).
 */
import type { LiveServer } from './support/live-server';
import { startLiveServer, waitFor } from './support/live-server';

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(() => live.close());

it('notifies an away, subscribed user of a genuine reply exactly once', async () => {
  const user = await live.awaySubscribedUser('genuine');
  live.sim.backend.send({
    serviceAccount: live.service,
    userID: user.userID,
    elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '您好，已为您办理退货' } }],
  });
  await waitFor(() => live.wechat.sent.length > 0, 10_000, 'the notification');
  live.sim.backend.send({
    serviceAccount: live.service,
    userID: user.userID,
    elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '还有其他问题吗' } }],
  });
  await live.settle();
  expect(live.wechat.sent).toEqual([
    expect.objectContaining({
      touser: live.wechat.openidFor('genuine'),
      template_id: 'tmpl_security_01',
      page: `pages/chat/chat?account=${encodeURIComponent(live.service)}&from=subscribe`,
      data: expect.objectContaining({ thing1: { value: '您好，已为您办理退货' } }),
    }),
  ]);
  const quota = await live.post('/api/subscriptions', {
    sessionToken: user.sessionToken,
    accepted: {},
  });
  expect(quota.body).toEqual({ quota: { tmpl_security_01: 0 }, ignored: [] });
});
