import { find, findAll, mountHost, tap } from './host';
import type { Hosted } from './host';
import { networkView, sessionView } from './fixtures';
import type { ChatView, SessionView } from '../../../miniprogram/core/chat/chat-view';

const PATH = 'components/session-banner/session-banner';
const mount = (
  session: SessionView,
  network: ChatView['network'] = networkView(),
): Promise<Hosted> =>
  mountHost(PATH, { session, network }, ['transfer', 'rate', 'end', 'leavequeue']);

const pressButton = (h: Hosted, id: string) => tap(find(find(h.subject, id), '.t-button'));

describe('session-banner', () => {
  it('bot phase: phase text and only 转人工, which emits transfer', async () => {
    const h = await mount(sessionView());
    expect(find(h.subject, '.cs-banner__phase').dom!.textContent).toBe('智能客服为您服务');
    expect(h.subject.querySelector('#banner-rate')).toBeUndefined();
    expect(h.subject.querySelector('#banner-end')).toBeUndefined();
    expect(find(h.subject, '#banner-transfer').dom).toBeUndefined(); // virtual host: no node of its own
    await pressButton(h, '#banner-transfer');
    expect(h.events).toEqual([{ type: 'transfer', detail: {} }]);
  });

  it('queueing shows the position text', async () => {
    const h = await mount(
      sessionView({
        phase: 'queueing',
        text: '正在排队，前面还有 3 人',
        queuePosition: 3,
        canTransfer: false,
      }),
    );
    expect(find(h.subject, '.cs-banner__phase').dom!.textContent).toBe('正在排队，前面还有 3 人');
    expect(h.subject.querySelector('.cs-banner__actions')).toBeUndefined();
  });

  it('queueing with leave allowed: 退出排队 emits leavequeue', async () => {
    const h = await mount(
      sessionView({ phase: 'queueing', text: '正在排队', canTransfer: false, canLeaveQueue: true }),
    );
    expect(find(find(h.subject, '#banner-leave-queue'), '.t-button').dom!.textContent).toContain(
      '退出排队',
    );
    expect(h.subject.data.leaveQueueLabel).toBe('退出排队，回到智能客服');
    await pressButton(h, '#banner-leave-queue');
    expect(h.events).toEqual([{ type: 'leavequeue', detail: {} }]);
  });

  it('agent phase: agent text, typing line, 评价 and 结束会话 → rate and end', async () => {
    const h = await mount(
      sessionView({
        phase: 'agent',
        text: '人工客服 小王 为您服务',
        agentName: '小王',
        typing: true,
        indicatorText: '对方正在输入…',
        canTransfer: false,
        canRate: true,
        canEnd: true,
      }),
    );
    expect(find(h.subject, '.cs-banner__phase').dom!.textContent).toBe('人工客服 小王 为您服务');
    expect(find(h.subject, '.cs-banner__indicator').dom!.textContent).toContain('对方正在输入…');
    expect(h.subject.querySelector('#banner-transfer')).toBeUndefined();
    await pressButton(h, '#banner-rate');
    await pressButton(h, '#banner-end');
    expect(h.events).toEqual([
      { type: 'rate', detail: {} },
      { type: 'end', detail: {} },
    ]);
  });

  it('ended: closed-phase style, no actions', async () => {
    const h = await mount(sessionView({ phase: 'ended', text: '会话已结束', canTransfer: false }));
    expect(find(h.subject, '.cs-banner__bar--ended').dom!.textContent).toContain('会话已结束');
    expect(findAll(h.subject, '.cs-banner__action')).toHaveLength(0);
  });

  it('shows the offline / reconnecting notice while network.visible', async () => {
    const h = await mount(
      sessionView(),
      networkView({ state: 'offline', visible: true, text: '连接已断开，消息将在恢复后发送' }),
    );
    const notice = find(h.subject, '.cs-banner__network--offline');
    expect(notice.dom!.textContent).toContain('连接已断开，消息将在恢复后发送');
    await h.update({
      network: networkView({ state: 'reconnecting', visible: true, text: '正在重新连接…' }),
    });
    expect(find(h.subject, '.cs-banner__network--reconnecting').dom!.textContent).toContain(
      '正在重新连接…',
    );
    await h.update({ network: networkView() });
    expect(h.subject.querySelector('.cs-banner__network')).toBeUndefined();
  });

  it('a plain chat that is online draws nothing; offline still shows the notice', async () => {
    const plain = sessionView({ isService: false, text: '', canTransfer: false });
    const h = await mount(plain);
    expect(h.subject.querySelector('.cs-banner')).toBeUndefined();
    await h.update({
      network: networkView({ state: 'offline', visible: true, text: '网络不可用' }),
    });
    expect(find(h.subject, '.cs-banner').dom!.textContent).toContain('网络不可用');
    expect(h.subject.querySelector('.cs-banner__bar')).toBeUndefined();
  });
});

describe('session-banner language', () => {
  it('re-renders its button labels at once when the language changes', async () => {
    const { setLanguage } = await import('../../../miniprogram/core/i18n/index');
    const h = await mount(sessionView({ phase: 'agent', canEnd: true, canTransfer: false }));
    expect(h.subject.data.endLabel).toBe('结束本次人工会话');
    try {
      setLanguage('en');
      expect(h.subject.data).toMatchObject({
        endLabel: 'End the human session',
        transferLabel: 'Transfer to a human agent',
      });
    } finally {
      setLanguage('zh-CN');
    }
  });
});
