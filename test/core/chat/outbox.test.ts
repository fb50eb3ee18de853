import { createChatStore } from '../../../miniprogram/core/chat/chat-store';
import { createOutbox } from '../../../miniprogram/core/chat/outbox';
import type { OutgoingMessage } from '../../../miniprogram/core/model/message';
import { FakeClock, flushMicrotasks } from '../../fakes/fake-clock';
import { FakeTransport } from '../../fakes/fake-transport';
import { createHarness, loggedIn, RecordingLogger, USER } from '../../fakes/harness';
import { MemoryStorage } from '../../fakes/memory-storage';

const message = (clientId: string, text: string, to = 'friend'): OutgoingMessage => ({
  clientId,
  conversationID: `C2C${to}`,
  to,
  content: { kind: 'text', text },
  cloudCustomData: '',
});

describe('outbox', () => {
  it('persists a message before sending it and removes it once sent', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.holdSends();
    const pending = h.outbox.send(message('a', 'hello'));
    await flushMicrotasks();
    const stored = h.storage.get(`cs.outbox.${USER}`) as Array<{
      clientId: string;
      status: string;
    }>;
    expect(stored.map((e) => [e.clientId, e.status])).toEqual([['a', 'sending']]);
    h.transport.releaseSends();
    const res = await pending;
    expect(res.ok && res.value.clientId).toBe('a');
    expect(h.storage.get(`cs.outbox.${USER}`)).toEqual([]);
  });

  it('keeps trying with back-off while sends fail for network reasons, even with no reconnect event', async () => {
    const h = createHarness();
    await loggedIn(h);
    // The SDK stays "ready" while its socket is down; only a new request makes it dial again.
    h.transport.sendFailures.push(2800, 2800);
    const pending = h.outbox.send(message('a', 'hello'));
    const first = await pending;
    expect(first.ok).toBe(false);
    expect(h.outbox.getState().entries.map((e) => e.status)).toEqual(['queued']);
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(0);

    await h.clock.tick(2_000); // second attempt: fails again
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(0);
    await h.clock.tick(3_999);
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(0);
    await h.clock.tick(1); // third attempt, 4 s after the second: goes out
    expect(h.transport.serverMessages(USER, 'friend').map((m) => m.payload.text)).toEqual([
      'hello',
    ]);
    expect(h.outbox.getState().entries).toEqual([]);
    await h.clock.tick(60_000);
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(1);
  });

  it('refuses to queue without a user', async () => {
    const clock = new FakeClock();
    const outbox = createOutbox({
      transport: new FakeTransport(clock),
      storage: new MemoryStorage(),
      clock,
      logger: new RecordingLogger(),
    });
    const res = await outbox.send(message('a', 'x'));
    expect(res.ok).toBe(false);
  });

  it('sends queued messages after a restart, once, in order', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.dropNetwork();
    await h.outbox.send(message('a', 'first'));
    await h.outbox.send(message('b', 'second'));
    expect(h.transport.received).toHaveLength(0);
    // The app is killed while offline; it starts again with the network back.
    const h2 = h.restart();
    h.transport.restoreNetwork();
    const restored = await h2.session.restore();
    expect(restored).toEqual({ ok: true, value: true });
    await flushMicrotasks();
    expect(h.transport.received.map((r) => r.message.payload.text)).toEqual(['first', 'second']);
    expect(h2.outbox.getState().entries).toHaveLength(0);
    // A further reconnect sends nothing again.
    h.transport.dropNetwork();
    h.transport.restoreNetwork();
    await flushMicrotasks();
    expect(h.transport.received).toHaveLength(2);
  });

  it('does not send twice a message whose send was interrupted after reaching the server', async () => {
    const h = createHarness();
    await loggedIn(h);
    // The send reaches the server, but the app dies before the answer is stored.
    const clientId = 'crash-1';
    const created = h.transport.createMessage(message(clientId, 'once'));
    expect(created.ok).toBe(true);
    const sent = await h.transport.sendMessage(message(clientId, 'once'));
    expect(sent.ok).toBe(true);
    h.storage.set(`cs.outbox.${USER}`, [
      {
        clientId,
        message: message(clientId, 'once'),
        createdAt: h.clock.now(),
        messageID: created.ok ? created.value.ID : '',
        status: 'sending',
        uncertain: true,
      },
    ]);
    const h2 = h.restart();
    await h2.session.restore();
    await flushMicrotasks();
    expect(h.transport.serverMessages(USER, 'friend').map((m) => m.payload.text)).toEqual(['once']);
    expect(h2.outbox.getState().entries).toHaveLength(0);
    expect(h2.logger.lines.some((l) => l.message.includes('found in history'))).toBe(true);
  });

  it('sends an interrupted message that did not reach the server', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.storage.set(`cs.outbox.${USER}`, [
      {
        clientId: 'lost',
        message: message('lost', 'retry me'),
        createdAt: h.clock.now(),
        messageID: '144115000000000001-1-1',
        status: 'sending',
        uncertain: true,
      },
    ]);
    const h2 = h.restart();
    await h2.session.restore();
    await flushMicrotasks();
    expect(h.transport.serverMessages(USER, 'friend').map((m) => m.payload.text)).toEqual([
      'retry me',
    ]);
  });

  it('after a restart, a chat shows queued messages and then the sent copy once', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.dropNetwork();
    await h.outbox.send(message('q1', 'queued'));
    const h2 = h.restart();
    h.transport.restoreNetwork();
    const restoring = h2.session.restore();
    const chat = h2.chat('C2Cfriend');
    const seen: string[] = [];
    chat.subscribe((s) =>
      seen.push(s.entries.map((e) => `${e.key}:${e.message.status}`).join(',')),
    );
    await chat.open();
    await restoring;
    await flushMicrotasks();
    expect(seen.filter(Boolean)[0]).toBe('q1:sending');
    expect(seen).toContain('q1:sent');
    expect(
      chat.getState().entries.map((e) => [e.key, e.message.status, e.message.payload.text]),
    ).toEqual([['q1', 'sent', 'queued']]);
  });

  it('keeps going after a definite refusal and keeps the failed one for retry', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.sendFailures.push(20003);
    const a = await h.outbox.send(message('a', 'refused'));
    const b = await h.outbox.send(message('b', 'fine'));
    expect(a.ok).toBe(false);
    expect(b.ok).toBe(true);
    expect(h.outbox.getState().entries.map((e) => [e.clientId, e.status])).toEqual([
      ['a', 'failed'],
    ]);
    // A failed message survives a restart as failed (shown with retry), and is not sent by itself.
    const h2 = h.restart();
    await h2.session.restore();
    await flushMicrotasks();
    expect(h2.outbox.getState().entries.map((e) => [e.clientId, e.status])).toEqual([
      ['a', 'failed'],
    ]);
    expect(h.transport.received).toHaveLength(1);
    expect((await h2.outbox.retry('a')).ok).toBe(true);
    expect(h.transport.received.map((r) => r.message.payload.text)).toEqual(['fine', 'refused']);
  });

  it('retries a non-definite refusal by itself, in order, then gives up as failed', async () => {
    const h = createHarness();
    await loggedIn(h);
    // 10008: refused because the connection was not logged in yet (just reconnected).
    h.transport.sendFailures.push(10008);
    const a = h.outbox.send(message('a', 'first'));
    const b = h.outbox.send(message('b', 'second'));
    await flushMicrotasks();
    expect(h.transport.received).toHaveLength(0);
    expect(h.outbox.getState().entries.map((e) => e.status)).toEqual(['queued', 'queued']);
    await h.clock.tick(1_000);
    expect((await a).ok && (await b).ok).toBe(true);
    expect(h.transport.received.map((r) => r.message.payload.text)).toEqual(['first', 'second']);

    h.transport.sendFailures.push(10008, 10008, 10008);
    const c = h.outbox.send(message('c', 'third'));
    await h.clock.tick(5_000);
    const res = await c;
    expect(!res.ok && res.error.code).toBe('send-failed');
    expect(h.outbox.getState().entries.map((e) => [e.clientId, e.status])).toEqual([
      ['c', 'failed'],
    ]);
    expect(
      h.transport.calls.filter((x) => x.method === 'sendMessage' && x.args[0] === 'c'),
    ).toHaveLength(3);
  });

  it('checks history after a timeout before sending again', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.sendFailures.push(2801);
    const res = await h.outbox.send(message('t', 'slow'));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('timeout');
    expect(h.outbox.getState().entries[0]).toMatchObject({ status: 'queued', uncertain: true });
    await h.outbox.flush();
    expect(h.transport.calls.some((c) => c.method === 'getMessageList')).toBe(true);
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(1);
  });

  it('discards unsent messages but not one in flight', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.sendFailures.push(20003);
    await h.outbox.send(message('a', 'x'));
    expect(h.outbox.discard('a').ok).toBe(true);
    expect(h.outbox.getState().entries).toHaveLength(0);
    h.transport.holdSends();
    void h.outbox.send(message('b', 'y'));
    await flushMicrotasks();
    const res = h.outbox.discard('b');
    expect(res.ok).toBe(false);
    h.transport.releaseSends();
  });

  it('survives storage failures by keeping the queue in memory and logging', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.storage.failWrites = true;
    h.transport.dropNetwork();
    await h.outbox.send(message('a', 'x'));
    expect(h.outbox.getState().entries).toHaveLength(1);
    expect(
      h.logger.lines.some((l) => l.level === 'warn' && l.message.includes('not persisted')),
    ).toBe(true);
  });
});

describe('chat store over a shared outbox', () => {
  it('a chat opened after the outbox sent its message shows it once', async () => {
    const h = createHarness();
    await loggedIn(h);
    await h.outbox.send(message('a', 'hello'));
    const chat = createChatStore({
      conversationID: 'C2Cfriend',
      transport: h.transport,
      outbox: h.outbox,
      clock: h.clock,
      logger: h.logger,
      serviceAccounts: () => [],
      selfID: () => USER,
      language: () => 'zh-CN',
      newClientId: () => 'n1',
      imageMaxBytes: 1,
      transferText: '人工服务',
    });
    await chat.open();
    expect(chat.getState().entries.map((e) => e.message.payload.text)).toEqual(['hello']);
  });
});

describe('chat store errors while offline', () => {
  it('shows a queued message without an error toast, and a real refusal with one', async () => {
    const h = createHarness();
    await loggedIn(h);
    const chat = h.chat('C2Cfriend');
    await chat.open();
    h.transport.dropNetwork();
    const queued = await chat.sendText('later');
    expect(queued.ok).toBe(false);
    expect(chat.getState().lastError).toBeNull();

    h.transport.restoreNetwork();
    await h.clock.tick(100);
    h.transport.sensitiveWords.add('bad');
    await chat.sendText('bad word');
    expect(chat.getState().lastError).toMatchObject({ code: 'blocked-content' });
    chat.close();
  });
});

describe('outbox reconnected()', () => {
  it('forgets the back-off built up while offline and sends at once', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.sendFailures.push(2800, 2800, 2800);
    void h.outbox.send(message('a', 'hello'));
    await h.clock.tick(2_000);
    await h.clock.tick(4_000);
    // Three failures: the next attempt would wait 8 s.
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(0);
    await h.outbox.reconnected();
    expect(h.transport.serverMessages(USER, 'friend').map((m) => m.payload.text)).toEqual([
      'hello',
    ]);
  });
});
