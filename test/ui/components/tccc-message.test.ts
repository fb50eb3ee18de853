import { markdownToNodes } from '../../../miniprogram/core/view/rich-text';
import { find, findAll, fire, mountHost, tap } from './host';
import type { Hosted } from './host';
import {
  baseMessage,
  cardView,
  choiceForm,
  inputForm,
  menuView,
  orderView,
  ratingView,
  taskForm,
} from './fixtures';
import type { MessageView } from '../../../miniprogram/core/chat/chat-view';

const PATH = 'components/tccc-message/tccc-message';
const EVENTS = [
  'choose',
  'nextpage',
  'rate',
  'submitform',
  'taskformchange',
  'submittaskform',
  'retry',
  'remove',
  'openurl',
  'previewimage',
  'copy',
  'editprofile',
];

const mount = (message: MessageView): Promise<Hosted> => mountHost(PATH, { message }, EVENTS);
const html = (h: Hosted): string => h.subject.dom!.innerHTML;

describe('tccc-message row', () => {
  it('draws a peer text bubble on the left with nick, avatar initial and a spoken label', async () => {
    const h = await mount(baseMessage());
    expect(find(h.subject, '.cs-msg__bubble').dom!.textContent).toBe('您好，请问有什么可以帮您？');
    expect(find(h.subject, '.cs-msg__nick').dom!.textContent).toBe('小王');
    expect(find(h.subject, '.cs-msg__avatar--text').dom!.textContent).toBe('小');
    expect(h.subject.dom!.firstElementChild!.className).not.toContain('cs-msg--mine');
    expect(h.subject.data.ariaLabel).toBe('客服 小王 10:32：您好，请问有什么可以帮您？');
    expect(h.subject.querySelector('.cs-msg__time')).toBeUndefined();
  });

  it('puts own messages on the right without a nick, with a picture avatar when given', async () => {
    const h = await mount(
      baseMessage({ isMine: true, nick: '', avatar: 'https://example.com/me.png', text: '你好' }),
    );
    expect(h.subject.dom!.firstElementChild!.className).toContain('cs-msg--mine');
    expect(h.subject.querySelector('.cs-msg__nick')).toBeUndefined();
    expect(h.subject.querySelector('.cs-msg__avatar--text')).toBeUndefined();
    // simulate's <image> keeps no src attribute: check a picture avatar is drawn, not the initial.
    const own = find(h.subject, '.cs-msg__avatar--self').dom!;
    expect(own.querySelector('wx-image')).not.toBeNull();
    expect(h.subject.data.ariaLabel).toBe('我 10:32：你好');
  });

  it('draws a neutral silhouette for an own message without a picture, never a "我" block', async () => {
    const h = await mount(baseMessage({ isMine: true, nick: '', avatar: '', text: '你好' }));
    const own = find(h.subject, '.cs-msg__avatar--self').dom!;
    expect(own.textContent!.trim()).toBe('');
    expect(own.querySelector('wx-image')).toBeNull();
    expect(own.querySelector('.t-icon--t-icon-user')).not.toBeNull();
    expect(h.subject.data.avatarLabel).toBe('我的头像，点按设置头像和昵称');
  });

  it('tapping the own avatar asks to edit the profile; a peer avatar does nothing', async () => {
    const mine = await mount(baseMessage({ isMine: true, nick: '', avatar: '', text: '你好' }));
    await tap(find(mine.subject, '.cs-msg__avatar--self'));
    expect(mine.events).toEqual([{ type: 'editprofile', detail: {} }]);
    const peer = await mount(baseMessage({ nick: '小王', avatar: '' }));
    expect(peer.subject.querySelector('.cs-msg__avatar--self')).toBeUndefined();
    await tap(find(peer.subject, '.cs-msg__avatar'));
    expect(peer.events).toEqual([]);
  });

  it('shows the time separator above the row when showTime', async () => {
    const h = await mount(baseMessage({ showTime: true, timeText: '昨天 09:15' }));
    expect(find(h.subject, '.cs-msg__time').dom!.textContent).toBe('昨天 09:15');
  });

  it('emits copy with the text on a long press of a text bubble', async () => {
    const h = await mount(baseMessage({ text: '订单号 123' }));
    await fire(find(h.subject, '.cs-msg__bubble'), 'longpress');
    expect(h.events).toEqual([{ type: 'copy', detail: { text: '订单号 123' } }]);
  });

  it('draws a revoked tip instead of the content', async () => {
    const h = await mount(
      baseMessage({ kind: 'revoked', text: undefined, revokedText: '对方撤回了一条消息' }),
    );
    expect(h.subject.querySelector('.cs-msg__bubble')).toBeUndefined();
    expect(h.subject.querySelector('.cs-msg__avatar')).toBeUndefined();
    const tip = find(h.subject, '.cs-msg__tip');
    expect(tip.dom!.textContent).toBe('对方撤回了一条消息');
  });

  it('draws a tip kind as a centred line', async () => {
    const h = await mount(baseMessage({ kind: 'tip', text: undefined, tip: '会话已超时结束' }));
    expect(find(h.subject, '.cs-msg__tip').dom!.textContent).toBe('会话已超时结束');
    expect(h.subject.querySelector('.cs-msg__row')).toBeUndefined();
  });

  it('renders the fallback text of an unsupported message', async () => {
    const h = await mount(
      baseMessage({ kind: 'unsupported', text: undefined, unsupported: '暂不支持此消息类型' }),
    );
    const bubble = find(h.subject, '.cs-msg__bubble--muted');
    expect(bubble.dom!.textContent).toBe('暂不支持此消息类型');
    expect(h.subject.data.ariaLabel).toContain('暂不支持此消息类型');
  });

  it('updates when the page sends a changed message', async () => {
    const h = await mount(baseMessage({ text: '第一版' }));
    await h.update({ message: baseMessage({ text: '第二版' }) });
    expect(find(h.subject, '.cs-msg__bubble').dom!.textContent).toBe('第二版');
  });
});

describe('tccc-message send status', () => {
  const mine = (over: Partial<MessageView>): MessageView =>
    baseMessage({ isMine: true, nick: '', clientId: 'c-7', id: 'c-7', text: '在吗', ...over });

  it('shows a spinner while sending', async () => {
    const h = await mount(mine({ status: 'sending', statusText: '发送中' }));
    expect(find(h.subject, '.cs-msg__sending').dom!.innerHTML).toContain('t-loading__spinner');
    expect(h.subject.querySelector('.cs-msg__failed')).toBeUndefined();
  });

  it('failed: red "!" and the error; tapping either emits retry with the client id', async () => {
    const h = await mount(
      mine({ status: 'failed', errorText: '发送失败，点击重试', canRetry: true }),
    );
    const icon = find(h.subject, '.cs-msg__failed');
    expect(icon.dom!.textContent).toBe('!');
    const error = find(h.subject, '.cs-msg__error');
    expect(error.dom!.textContent).toBe('发送失败，点击重试');
    await tap(icon);
    await tap(error);
    expect(h.events).toEqual([
      { type: 'retry', detail: { clientId: 'c-7' } },
      { type: 'retry', detail: { clientId: 'c-7' } },
    ]);
  });

  it('blocked: shows the reason, offers no retry, and its remove link emits remove', async () => {
    const h = await mount(
      mine({
        status: 'blocked',
        errorText: '消息包含敏感内容，未能发送',
        canRetry: false,
        canRemove: true,
      }),
    );
    expect(h.subject.querySelector('.cs-msg__failed')).toBeUndefined();
    const reason = find(h.subject, '.cs-msg__error--blocked');
    expect(reason.dom!.textContent).toBe('消息包含敏感内容，未能发送删除');
    expect(h.subject.data.blockedLabel).toBe('未发送：消息包含敏感内容，未能发送');
    await tap(reason);
    await tap(find(h.subject, '.cs-msg__bubble'));
    expect(h.events).toEqual([]);
    const remove = find(h.subject, '.cs-msg__remove');
    expect(h.subject.data.removeLabel).toBe('删除这条未发送的消息');
    await tap(remove);
    expect(h.events).toEqual([{ type: 'remove', detail: { clientId: 'c-7' } }]);
  });

  it('does not emit retry for a failed message the view says cannot be retried', async () => {
    const h = await mount(mine({ status: 'failed', errorText: '发送失败', canRetry: false }));
    await tap(find(h.subject, '.cs-msg__failed'));
    expect(h.events).toEqual([]);
  });
});

describe('tccc-message sender', () => {
  it('shows the bot label by the bot name, and the agent label by the agent nick', async () => {
    const bot = await mount(
      baseMessage({ sender: 'bot', nick: '智能助手', senderLabel: '机器人', avatar: '' }),
    );
    expect(find(bot.subject, '.cs-msg__nick').dom!.textContent).toBe('智能助手机器人');
    expect(find(bot.subject, '.cs-msg__label').dom!.className).toContain('cs-msg__label--bot');
    expect(find(bot.subject, '.cs-msg__avatar').dom!.className).toContain('cs-msg__avatar--bot');
    const agent = await mount(baseMessage({ sender: 'agent', nick: '小王', senderLabel: '人工' }));
    expect(find(agent.subject, '.cs-msg__label').dom!.className).toContain('cs-msg__label--agent');
  });
});

describe('tccc-message kinds → events with the message id', () => {
  it('image: sized from the view, tap → previewimage', async () => {
    const url = 'https://example.com/big.jpg';
    const h = await mount(
      baseMessage({
        kind: 'image',
        text: undefined,
        image: { url, width: 800, height: 400, displayWidth: 180, displayHeight: 90 },
      }),
    );
    const img = find(h.subject, '.cs-msg__image');
    expect(img.dom!.getAttribute('style')).toContain('width: 180px');
    expect(img.dom!.getAttribute('style')).toContain('height: 90px');
    await tap(img);
    expect(h.events).toEqual([{ type: 'previewimage', detail: { url } }]);
  });

  it('menu: choose and nextpage carry the message id', async () => {
    const h = await mount(
      baseMessage({
        id: 'm-menu',
        kind: 'menu',
        text: undefined,
        menu: menuView({ paged: true, pageCount: 2, refreshText: '换一换' }),
      }),
    );
    const menu = find(h.subject, '.cs-msg__menu');
    await tap(findAll(menu, '.cs-menu__row')[1]);
    await tap(find(menu, '.cs-menu__refresh'));
    expect(h.events).toEqual([
      { type: 'choose', detail: { messageId: 'm-menu', content: '退换货' } },
      { type: 'nextpage', detail: { messageId: 'm-menu' } },
    ]);
  });

  it('task branch: drawn by the menu card, rows inert once answered', async () => {
    const answered = menuView({
      canSelect: false,
      selected: '订单查询',
      items: menuView().items.map((i) => ({ ...i, selected: i.content === '订单查询' })),
    });
    const h = await mount(
      baseMessage({ id: 'm-tb', kind: 'task-branch', text: undefined, taskBranch: answered }),
    );
    const menu = find(h.subject, '.cs-msg__menu');
    expect(find(menu, '.cs-menu__row--selected').dom!.textContent).toContain('订单查询');
    await tap(findAll(menu, '.cs-menu__row')[2]);
    expect(h.events).toEqual([]);
  });

  it('choice form (21 type 1): rows through the menu card → choose', async () => {
    const h = await mount(
      baseMessage({ id: 'm-f', kind: 'form', text: undefined, form: choiceForm() }),
    );
    expect(h.subject.querySelector('.cs-msg__form')).toBeUndefined();
    const menu = find(h.subject, '.cs-msg__menu');
    expect(menu.dom!.textContent).toContain('请选择您的会员等级');
    await tap(findAll(menu, '.cs-menu__row')[1]);
    expect(h.events).toEqual([
      { type: 'choose', detail: { messageId: 'm-f', content: '金卡会员' } },
    ]);
  });

  it('input form (21): submit → submitform with the text', async () => {
    const h = await mount(
      baseMessage({ id: 'm-in', kind: 'form', text: undefined, form: inputForm() }),
    );
    const form = find(h.subject, '.cs-msg__form');
    await fire(find(form, '.cs-form__input'), 'input', { value: ' 13800000000 ' });
    await tap(find(find(form, '#form-submit'), '.t-button'));
    expect(h.events).toEqual([
      { type: 'submitform', detail: { messageId: 'm-in', text: '13800000000' } },
    ]);
  });

  it('task form (33): field edits and submit carry the message id', async () => {
    const h = await mount(
      baseMessage({ id: 'm-tf', kind: 'task-form', text: undefined, taskForm: taskForm() }),
    );
    const form = find(h.subject, '.cs-msg__task-form');
    await fire(findAll(form, '.cs-form__input')[0], 'input', { value: '张三' });
    await tap(findAll(form, '.cs-form__chip')[1]);
    await tap(find(find(form, '#task-submit'), '.t-button'));
    expect(h.events).toEqual([
      { type: 'taskformchange', detail: { messageId: 'm-tf', name: '姓名', value: '张三' } },
      { type: 'taskformchange', detail: { messageId: 'm-tf', name: '设备类型', value: '冰箱' } },
      { type: 'submittaskform', detail: { messageId: 'm-tf' } },
    ]);
  });

  it('rating: rate carries the message id and the option id', async () => {
    const h = await mount(
      baseMessage({
        id: 'm-r',
        kind: 'rating',
        text: undefined,
        rating: ratingView({ style: 'number' }),
      }),
    );
    const card = find(h.subject, '.cs-msg__rating');
    await tap(findAll(card, '.cs-rating__number')[3]);
    expect(h.events).toEqual([{ type: 'rate', detail: { messageId: 'm-r', optionId: '104' } }]);
  });

  it('product card: tap → openurl; order card: picture → previewimage', async () => {
    const p = await mount(baseMessage({ kind: 'product-card', text: undefined, card: cardView() }));
    await tap(find(find(p.subject, '.cs-msg__product'), '.cs-card'));
    expect(p.events).toEqual([{ type: 'openurl', detail: { url: 'https://example.com/item/35' } }]);

    const o = await mount(baseMessage({ kind: 'order-card', text: undefined, order: orderView() }));
    await tap(find(find(o.subject, '.cs-msg__order'), '.cs-card__pic'));
    expect(o.events).toEqual([
      { type: 'previewimage', detail: { url: 'https://example.com/o.png' } },
    ]);
  });

  it('rich text: nodes reach rich-text, links → openurl, long press copies the plain text', async () => {
    const nodes = markdownToNodes('**退货**请看[退货政策](https://example.com/returns)');
    const h = await mount(baseMessage({ kind: 'rich-text', text: undefined, richText: nodes }));
    const rich = find(h.subject, '.cs-msg__rich');
    expect(rich.data.nodes).toEqual(nodes);
    await tap(find(rich, '.cs-rich__link'));
    await fire(find(h.subject, '.cs-msg__bubble'), 'longpress');
    expect(h.events).toEqual([
      { type: 'openurl', detail: { url: 'https://example.com/returns' } },
      { type: 'copy', detail: { text: '退货请看退货政策' } },
    ]);
  });

  it('stream: text with a cursor until finished', async () => {
    const h = await mount(
      baseMessage({
        kind: 'stream',
        text: undefined,
        stream: { text: '正在为您查询', finished: false, showCursor: true },
      }),
    );
    const stream = find(h.subject, '.cs-msg__stream');
    expect(stream.dom!.textContent).toContain('正在为您查询');
    expect(stream.querySelector('.cs-stream__cursor')).toBeTruthy();
    await h.update({
      message: baseMessage({
        kind: 'stream',
        text: undefined,
        stream: { text: '正在为您查询，已找到 1 个订单', finished: true, showCursor: false },
      }),
    });
    expect(find(h.subject, '.cs-msg__stream').querySelector('.cs-stream__cursor')).toBeUndefined();
    expect(html(h)).toContain('已找到 1 个订单');
  });
});
