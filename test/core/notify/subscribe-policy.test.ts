import {
  MAX_TEMPLATES_PER_REQUEST,
  REOFFER_INTERVAL_MS,
  decideSubscribeOffer,
  initialSubscribeMemory,
  isSessionOpen,
  parseSubscribeMemory,
  recordAnswer,
  recordDismissed,
  recordNewSession,
  recordNotificationUsed,
  recordOffered,
  recordQuota,
  subscribeMemoryFor,
  subscribeTriggerFor,
  usableTemplateIds,
} from '../../../miniprogram/core/notify/index';
import type {
  SubscribeMemory,
  SubscribeOfferInput,
  SubscribeTrigger,
} from '../../../miniprogram/core/notify/index';

const T = 'tmpl_reply-1';
const NOW = 1_700_000_000_000;

function input(
  trigger: SubscribeTrigger,
  extra: Partial<SubscribeOfferInput> = {},
): SubscribeOfferInput {
  return { trigger, templateIds: [T], sessionOpen: true, now: NOW, ...extra };
}

const fresh = (): SubscribeMemory => initialSubscribeMemory('C2C@cs|s1');

describe('decideSubscribeOffer', () => {
  it.each<SubscribeTrigger>(['queued', 'no-agent', 'off-hours', 'leaving'])(
    'offers at the %s moment of a fresh session',
    (trigger) => {
      expect(decideSubscribeOffer(fresh(), input(trigger))).toEqual({
        offer: true,
        trigger,
        templateIds: [T],
      });
    },
  );

  it('does nothing without configured templates', () => {
    expect(decideSubscribeOffer(fresh(), input('queued', { templateIds: [] }))).toEqual({
      offer: false,
      reason: 'no-templates',
    });
    expect(
      decideSubscribeOffer(fresh(), input('queued', { templateIds: ['bad id!', ''] })),
    ).toMatchObject({ offer: false, reason: 'no-templates' });
  });

  it('offers on leaving only mid-session', () => {
    expect(decideSubscribeOffer(fresh(), input('leaving', { sessionOpen: false }))).toEqual({
      offer: false,
      reason: 'no-session',
    });
    // The other moments imply a session waiting for an agent.
    expect(decideSubscribeOffer(fresh(), input('no-agent', { sessionOpen: false })).offer).toBe(
      true,
    );
  });

  it('does not ask again after an acceptance while the notification is still paid for', () => {
    let memory = recordAnswer(fresh(), 'accepted');
    memory = recordQuota(memory, 1);
    expect(decideSubscribeOffer(memory, input('leaving'))).toEqual({
      offer: false,
      reason: 'already-subscribed',
    });
  });

  it('asks again after an acceptance once the quota is spent (0)', () => {
    let memory = recordQuota(recordAnswer(fresh(), 'accepted'), 1);
    memory = recordNotificationUsed(memory);
    expect(memory.quota).toBe(0);
    expect(decideSubscribeOffer(memory, input('queued')).offer).toBe(true);
  });

  it('does not ask again after an acceptance whose quota is unknown (report lost)', () => {
    const memory = recordAnswer(fresh(), 'accepted');
    expect(decideSubscribeOffer(memory, input('queued'))).toEqual({
      offer: false,
      reason: 'answered',
    });
  });

  it('respects a refusal for the rest of the session, even with quota 0', () => {
    const memory = recordQuota(recordAnswer(fresh(), 'rejected'), 0);
    for (const trigger of ['queued', 'leaving'] as const) {
      expect(decideSubscribeOffer(memory, input(trigger))).toEqual({
        offer: false,
        reason: 'answered',
      });
    }
  });

  it('stops when WeChat will not show its dialog', () => {
    expect(decideSubscribeOffer(recordAnswer(fresh(), 'blocked'), input('queued'))).toEqual({
      offer: false,
      reason: 'blocked',
    });
  });

  it('lets a failed dialog be retried', () => {
    const memory = recordAnswer(fresh(), 'failed');
    expect(memory).toEqual(fresh());
    expect(decideSubscribeOffer(memory, input('queued')).offer).toBe(true);
  });

  it('after a dismissal, asks only once more when the user leaves', () => {
    let memory = recordDismissed(fresh(), 'queued');
    expect(decideSubscribeOffer(memory, input('no-agent'))).toEqual({
      offer: false,
      reason: 'dismissed',
    });
    expect(decideSubscribeOffer(memory, input('leaving')).offer).toBe(true);
    memory = recordDismissed(memory, 'leaving');
    expect(decideSubscribeOffer(memory, input('leaving'))).toEqual({
      offer: false,
      reason: 'dismissed',
    });
  });

  it('does not show the prompt twice within the re-offer interval', () => {
    const memory = recordOffered(fresh(), NOW);
    expect(decideSubscribeOffer(memory, input('queued', { now: NOW + 1000 }))).toEqual({
      offer: false,
      reason: 'recently-offered',
    });
    expect(
      decideSubscribeOffer(memory, input('queued', { now: NOW + REOFFER_INTERVAL_MS })).offer,
    ).toBe(true);
  });

  it('asks on leaving even right after another prompt: it is the last moment to ask', () => {
    const memory = recordOffered(fresh(), NOW);
    expect(decideSubscribeOffer(memory, input('leaving', { now: NOW + 1000 })).offer).toBe(true);
  });

  it('starts a new service session afresh, keeping only the server quota', () => {
    const spent = recordQuota(recordAnswer(recordOffered(fresh(), NOW), 'rejected'), 0);
    expect(decideSubscribeOffer(spent, input('queued', { now: NOW + 1000 })).offer).toBe(false);
    const next = recordNewSession(spent);
    expect(next).toEqual({ ...initialSubscribeMemory(spent.sessionKey), quota: 0 });
    expect(decideSubscribeOffer(next, input('queued', { now: NOW + 1000 })).offer).toBe(true);
    const paid = recordNewSession(recordQuota(fresh(), 2));
    expect(decideSubscribeOffer(paid, input('queued')).offer).toBe(false);
  });

  it('does not change the memory it decides on', () => {
    const memory = fresh();
    const copy = { ...memory };
    decideSubscribeOffer(memory, input('queued'));
    expect(memory).toEqual(copy);
  });
});

describe('usableTemplateIds', () => {
  it('keeps valid distinct ids in order, at most three', () => {
    expect(usableTemplateIds(['a', 'a', 'b c', 7, 'b', 'c-_1', 'd', 'e'])).toEqual([
      'a',
      'b',
      'c-_1',
    ]);
    expect(MAX_TEMPLATES_PER_REQUEST).toBe(3);
    expect(usableTemplateIds(['x'.repeat(129)])).toEqual([]);
  });
});

describe('session memory', () => {
  it('keeps the memory of the same session and starts afresh for another', () => {
    const memory = recordQuota(recordAnswer(fresh(), 'accepted'), 2);
    expect(subscribeMemoryFor(memory, memory.sessionKey)).toBe(memory);
    const next = subscribeMemoryFor(memory, 'C2C@cs|s2');
    expect(next).toEqual(initialSubscribeMemory('C2C@cs|s2'));
    expect(subscribeMemoryFor(null, 'k')).toEqual(initialSubscribeMemory('k'));
  });

  it('reads persisted memories defensively', () => {
    const memory = recordOffered(recordQuota(recordDismissed(fresh(), 'leaving'), 3), NOW);
    expect(parseSubscribeMemory(JSON.parse(JSON.stringify(memory)))).toEqual(memory);
    expect(parseSubscribeMemory(null)).toBeNull();
    expect(parseSubscribeMemory({ answer: 'accepted' })).toBeNull();
    expect(
      parseSubscribeMemory({ sessionKey: 'k', answer: 'maybe', quota: -1, offeredAt: 'x' }),
    ).toEqual(initialSubscribeMemory('k'));
  });

  it('counts a used notification down without going below zero', () => {
    expect(recordNotificationUsed(fresh()).quota).toBe(0);
    expect(recordNotificationUsed(recordQuota(fresh(), 2)).quota).toBe(1);
    expect(recordQuota(fresh(), null)).toEqual(fresh());
    expect(recordQuota(fresh(), -4).quota).toBe(0);
  });
});

describe('subscribeTriggerFor', () => {
  it.each([
    [{ messageType: 'queuing' }, 'queued'],
    [{ messageType: 'connectingToAgent' }, 'queued'],
    [{ messageType: 'failedToConnectAgent' }, 'no-agent'],
    [{ messageType: 'concurrentLimit' }, 'no-agent'],
    [{ messageType: 'automaticReplyAfterWorkingHours' }, 'off-hours'],
    [{ signal: 'no-agent' }, 'no-agent'],
    [{ messageType: 'welcome' }, undefined],
    [{ messageType: 'connectedToAgent' }, undefined],
    [{ signal: 'typing' }, undefined],
    [{}, undefined],
  ])('%j → %s', (message, trigger) => {
    expect(subscribeTriggerFor(message)).toBe(trigger);
  });

  it('treats queued and agent sessions as open', () => {
    expect(
      ['bot', 'queueing', 'agent', 'ended', 'timed-out', 'rated'].filter(isSessionOpen),
    ).toEqual(['queueing', 'agent']);
  });
});
