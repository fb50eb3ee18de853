/**
 * After a short network outage the outbox drains within 3 s of the network coming back: the
 * back-off built up while the network was down is forgotten when the connection returns, even
 * when the SDK still refuses the first send right after reconnecting.
 */
import type { OutgoingMessage } from '../../miniprogram/core/model/message';
import { appError, err } from '../../miniprogram/core/result';
import { createHarness, loggedIn, USER } from '../fakes/harness';

const message = (clientId: string, text: string): OutgoingMessage => ({
  clientId,
  conversationID: 'C2Cfriend',
  to: 'friend',
  content: { kind: 'text', text },
  cloudCustomData: '',
});

describe('client outbox: drains soon after the network returns', () => {
  it.each([1_000, 5_000, 30_000])('after a %i ms outage', async (outageMs) => {
    const h = createHarness();
    await loggedIn(h);
    // The SDK takes 500 ms after reconnecting before sends work again.
    let usableAt = Infinity;
    const send = h.transport.sendMessage.bind(h.transport);
    jest
      .spyOn(h.transport, 'sendMessage')
      .mockImplementation(async (outgoing) =>
        h.clock.now() < usableAt ? err(appError('network', 'socket down')) : send(outgoing),
      );
    h.transport.dropNetwork();
    const sending = [h.outbox.send(message('a', 'one')), h.outbox.send(message('b', 'two'))];
    await h.clock.tick(outageMs);
    h.transport.restoreNetwork();
    const back = h.clock.now();
    usableAt = back + 500;
    let drainedAt = -1;
    for (let step = 0; step < 60 && drainedAt < 0; step += 1) {
      await h.clock.tick(100);
      if (h.transport.serverMessages(USER, 'friend').length === 2) drainedAt = h.clock.now();
    }
    await Promise.all(sending);
    expect(drainedAt).toBeGreaterThan(0);
    expect(drainedAt - back).toBeLessThanOrEqual(3_000);
    expect(h.transport.serverMessages(USER, 'friend').map((m) => m.payload.text)).toEqual([
      'one',
      'two',
    ]);
  });
});
