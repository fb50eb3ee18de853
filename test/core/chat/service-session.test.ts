import {
  agentNameFromPrompt,
  expireTransient,
  INITIAL_SERVICE_SESSION,
  nextTransientExpiry,
  reduceServiceSession,
} from '../../../miniprogram/core/chat/service-session';
import type { ServiceSessionState } from '../../../miniprogram/core/chat/service-session';
import type { ChatMessage } from '../../../miniprogram/core/model/message';
import { classifyMessage } from '../../../miniprogram/core/tccc/index';
import { tccc } from '../../fakes/tccc-payloads';

const base: ChatMessage = {
  ID: 'x',
  conversationID: 'C2Ccs',
  type: 'TIMTextElem',
  flow: 'in',
  from: 'cs',
  to: 'me',
  time: 1,
  sequence: 0,
  nick: '',
  avatar: '',
  payload: {},
  cloudCustomData: '',
  isRevoked: false,
  version: 0,
  status: 'sent',
};
const text = (t: string, cloudCustomData = '', nick = ''): ChatMessage => ({
  ...base,
  payload: { text: t },
  cloudCustomData,
  nick,
});
const custom = (data: string, flow: 'in' | 'out' = 'in'): ChatMessage => ({
  ...base,
  type: 'TIMCustomElem',
  payload: { data },
  flow,
});

const ctx = { now: 1_000_000, live: true, typingMs: 10_000, thinkingMs: 30_000 };
const fold = (
  messages: ChatMessage[],
  from: ServiceSessionState = INITIAL_SERVICE_SESSION,
  live = true,
) =>
  messages.reduce((s, m) => reduceServiceSession(s, classifyMessage(m), m, { ...ctx, live }), from);

describe('reduceServiceSession', () => {
  it('walks bot → queueing (position) → agent (name) → ended → rated', () => {
    let s = fold([text('您好，我是智能助手', tccc.meta('welcome'))]);
    expect(s.phase).toBe('bot');
    s = fold([text('正在为您转接，您前面还有 3 人', tccc.meta('queuing'))], s);
    expect(s).toMatchObject({ phase: 'queueing', queuePosition: 3 });
    s = fold([text('排队中', tccc.meta('queuing'))], s);
    expect(s).toMatchObject({ phase: 'queueing', queuePosition: null });
    s = fold([text('客服小李为您服务', tccc.meta('connectedToAgent', 'seat'), '小李')], s);
    expect(s).toMatchObject({ phase: 'agent', agentName: '小李', queuePosition: null });
    s = fold([custom(tccc.ended())], s);
    expect(s.phase).toBe('ended');
    s = fold([custom(tccc.rating({ selected: '105' }))], s);
    expect(s.phase).toBe('rated');
    s = fold([text('欢迎回来', tccc.meta('welcome'))], s);
    expect(s).toMatchObject({ phase: 'bot', agentName: '' });
  });

  it('leaving the queue (src 19 while queued) is the bot again, not an ended session', () => {
    const queued = fold([text('您前面还有 1 人', tccc.meta('queuing'))]);
    expect(queued.phase).toBe('queueing');
    expect(
      fold([text('您已退出排队。', tccc.meta('other')), custom(tccc.ended())], queued),
    ).toMatchObject({ phase: 'bot', queuePosition: null });
  });

  it('times out on src 20 and on timeoutAutoClosure', () => {
    expect(fold([custom(tccc.timeout())]).phase).toBe('timed-out');
    expect(fold([text('超时', tccc.meta('timeoutAutoClosure'))]).phase).toBe('timed-out');
    expect(fold([text('结束', tccc.meta('proactiveClosure'))]).phase).toBe('ended');
  });

  it('takes seat status for the transfer button and the agent phase', () => {
    let s = fold([custom(tccc.seat(true))]);
    expect(s).toMatchObject({ inSeat: true, phase: 'agent' });
    s = fold([custom(tccc.seat(false))], s);
    expect(s).toMatchObject({ phase: 'bot' });
    // A desk that starts over forgets the seat: the transfer button is back.
    s = fold([custom(tccc.seat(true)), text('您好', tccc.meta('welcome'))]);
    expect(s).toMatchObject({ phase: 'bot', inSeat: null });
  });

  it('reads rating settings (flag & 4)', () => {
    expect(fold([custom(tccc.ratingSettings(4))]).canUserRate).toBe(true);
    expect(fold([custom(tccc.ratingSettings(3))]).canUserRate).toBe(false);
    expect(fold([custom(tccc.ratingSettings(12))]).canUserRate).toBe(true);
  });

  it('shows typing and thinking only for live signals, and a reply clears them', () => {
    let s = fold([custom(tccc.typing())]);
    expect(s.typingUntil).toBe(ctx.now + 10_000);
    s = fold([custom(tccc.thinking())], s);
    expect(s.thinkingUntil).toBe(ctx.now + 30_000);
    s = fold([text('答复')], s);
    expect(s).toMatchObject({ typingUntil: 0, thinkingUntil: 0 });
    expect(fold([custom(tccc.typing())], INITIAL_SERVICE_SESSION, false).typingUntil).toBe(0);
  });

  it('expires transient flags on time', () => {
    const s = fold([custom(tccc.typing())]);
    expect(nextTransientExpiry(s)).toBe(ctx.now + 10_000);
    expect(expireTransient(s, ctx.now + 9_999)).toBe(s);
    expect(expireTransient(s, ctx.now + 10_000).typingUntil).toBe(0);
  });

  it('treats the user own rating answer in history as rated, leaving a live session live', () => {
    const s = fold([
      text('客服', tccc.meta('connectedToAgent', 'seat'), 'A'),
      custom(
        JSON.stringify({
          src: '10',
          customerServicePlugin: 0,
          menuSelected: { id: '105', content: '非常满意', sessionId: 's' },
        }),
        'out',
      ),
    ]);
    expect(s).toMatchObject({ phase: 'agent', rated: true, agentName: 'A' });
    expect(fold([custom(tccc.ended())], s).phase).toBe('rated');
    // A new agent session can be rated again.
    const next = fold(
      [text('客服', tccc.meta('connectedToAgent', 'seat'), 'B')],
      fold([custom(tccc.ended())], s),
    );
    expect(next).toMatchObject({ phase: 'agent', rated: false, agentName: 'B' });
  });

  it('is bot again when the bot answers during an agent session (the desk restarted)', () => {
    let s = fold([
      text('客服 小王 为您服务', tccc.meta('connectedToAgent', 'seat')),
      custom(tccc.seat(true)),
    ]);
    expect(s).toMatchObject({ phase: 'agent', agentName: '小王', inSeat: true });
    // System prompts from the bot are not answers: the agent still holds the session.
    s = fold([text('请对本次服务进行评价', tccc.meta('satisfactionRating'))], s);
    expect(s.phase).toBe('agent');
    s = fold([text('您好，我是智能助手，请问有什么可以帮您？', tccc.meta('fallback'))], s);
    expect(s).toMatchObject({ phase: 'bot', agentName: '', inSeat: null });
    // And after an ended session the bot answering is the bot, not "ended".
    const ended = fold(
      [custom(tccc.ended())],
      fold([text('x', tccc.meta('connectedToAgent', 'seat'))]),
    );
    expect(fold([text('答复', tccc.meta('faq'))], ended).phase).toBe('bot');
  });

  it('returns the same object for messages that say nothing', () => {
    const s = fold([text('hello')]);
    expect(reduceServiceSession(s, classifyMessage(text('again')), text('again'), ctx)).toBe(s);
  });
});

describe('agent name', () => {
  it('keeps the name from the connected prompt when answers carry the service account nick', () => {
    let s = fold([text('客服 小王 为您服务', tccc.meta('connectedToAgent', 'seat'), '在线客服')]);
    expect(s.agentName).toBe('小王');
    s = fold([text('您好，请问有什么可以帮您？', tccc.meta('other', 'seat'), '在线客服')], s);
    expect(s).toMatchObject({ phase: 'agent', agentName: '小王' });
  });
});

describe('agentNameFromPrompt', () => {
  it.each([
    ['客服 小王 为您服务', '小王'],
    ['客服【李雷】已接入，请问有什么可以帮您', '李雷'],
    ['Agent Alice is now serving you', 'Alice'],
    ['正在为您转接人工客服，请稍候…', ''],
    ['', ''],
  ])('%s → %s', (text, name) => {
    expect(agentNameFromPrompt(text)).toBe(name);
  });
});
