import { t } from '../../core/i18n/index';
import type { FormView, MenuView, MessageView } from '../../core/chat/chat-view';
import { ariaLabelOf, avatarInitial, copyTextOf } from '../../core/chat/message-text';
import { rerenderOnLanguage, unfollowLanguage } from '../../behaviors/language';

/** Kinds drawn as a card beside the avatar instead of inside a chat bubble. */
const CARD_KINDS: ReadonlySet<string> = new Set([
  'rating',
  'menu',
  'task-branch',
  'form',
  'task-form',
  'product-card',
  'order-card',
]);

/** A choice form (src 21 type 1) is a list of rows: draw it with the menu card. */
function choiceMenu(form: FormView): MenuView {
  return {
    header: form.header,
    content: '',
    items: form.items,
    tail: '',
    selected: form.selected,
    canSelect: form.canSelect,
    paged: false,
    page: 0,
    pageCount: 1,
    refreshText: '',
  };
}

function detailOf(e: WechatMiniprogram.CustomEvent): Record<string, unknown> {
  const d: unknown = e.detail;
  return typeof d === 'object' && d !== null ? (d as Record<string, unknown>) : {};
}

function stringField(d: Record<string, unknown>, key: string): string | null {
  const v = d[key];
  return typeof v === 'string' ? v : null;
}

/**
 * `tccc-message`: one row of the chat — time separator, avatar (own on the right), the peer's nick,
 * the bubble or card for `message.kind`, and the send status (spinner; failed: red "!" and the error,
 * tap to retry; blocked: the reason and a remove link). Revoked messages and tips are a centred line.
 *
 * Every user intent becomes one event (not bubbling) carrying what the page needs for one store
 * action: `choose {messageId, content}`, `nextpage {messageId}`, `rate {messageId, optionId}`,
 * `submitform {messageId, text}`, `taskformchange {messageId, name, value}`,
 * `submittaskform {messageId}`, `retry {clientId}`, `remove {clientId}`, `openurl {url}`, `previewimage {url}`,
 * `copy {text}`, `editprofile` (own avatar tapped).
 */
Component({
  options: { virtualHost: false },
  properties: {
    message: { type: Object, value: null as MessageView | null },
  },
  data: {
    isCard: false,
    ariaLabel: '',
    copyText: '',
    avatarText: '',
    avatarLabel: '',
    menuView: null as MenuView | null,
    retryLabel: t('components.aria.retry'),
    removeText: t('components.remove'),
    removeLabel: t('components.aria.remove'),
    sendingLabel: t('components.aria.sending'),
    blockedLabel: '',
    imageLabel: t('components.aria.image'),
  },
  lifetimes: {
    attached() {
      rerenderOnLanguage(this, ['message']);
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    message(m: MessageView | null) {
      if (!m) return;
      const menuView =
        m.kind === 'menu'
          ? (m.menu ?? null)
          : m.kind === 'task-branch'
            ? (m.taskBranch ?? null)
            : m.kind === 'form' && m.form && m.form.mode === 'choice'
              ? choiceMenu(m.form)
              : null;
      this.setData({
        isCard: CARD_KINDS.has(m.kind),
        ariaLabel: ariaLabelOf(m),
        copyText: copyTextOf(m),
        avatarText: avatarInitial(m),
        avatarLabel: m.isMine
          ? t('components.aria.editProfile')
          : t('components.aria.peerAvatar', { nick: m.nick || t('components.peer') }),
        menuView,
        retryLabel: t('components.aria.retry'),
        removeText: t('components.remove'),
        removeLabel: t('components.aria.remove'),
        sendingLabel: t('components.aria.sending'),
        blockedLabel: t('components.aria.blocked', { reason: m.errorText }),
        imageLabel: t('components.aria.image'),
      });
    },
  },
  methods: {
    current(): MessageView | null {
      return this.data.message as MessageView | null;
    },
    onChoose(e: WechatMiniprogram.CustomEvent) {
      const m = this.current();
      const content = stringField(detailOf(e), 'content');
      if (m && content !== null) this.triggerEvent('choose', { messageId: m.id, content });
    },
    onNextPage() {
      const m = this.current();
      if (m) this.triggerEvent('nextpage', { messageId: m.id });
    },
    onRate(e: WechatMiniprogram.CustomEvent) {
      const m = this.current();
      const optionId = stringField(detailOf(e), 'optionId');
      if (m && optionId !== null) this.triggerEvent('rate', { messageId: m.id, optionId });
    },
    onSubmitForm(e: WechatMiniprogram.CustomEvent) {
      const m = this.current();
      const text = stringField(detailOf(e), 'text');
      if (m && text !== null) this.triggerEvent('submitform', { messageId: m.id, text });
    },
    onFieldChange(e: WechatMiniprogram.CustomEvent) {
      const m = this.current();
      const d = detailOf(e);
      const name = stringField(d, 'name');
      const value = stringField(d, 'value');
      if (m && name !== null && value !== null) {
        this.triggerEvent('taskformchange', { messageId: m.id, name, value });
      }
    },
    onSubmitTask() {
      const m = this.current();
      if (m) this.triggerEvent('submittaskform', { messageId: m.id });
    },
    onRetry() {
      const m = this.current();
      if (m && m.canRetry && m.status === 'failed' && m.clientId) {
        this.triggerEvent('retry', { clientId: m.clientId });
      }
    },
    onRemove() {
      const m = this.current();
      if (m && m.canRemove && m.clientId) this.triggerEvent('remove', { clientId: m.clientId });
    },
    onOpenUrl(e: WechatMiniprogram.CustomEvent) {
      const url = stringField(detailOf(e), 'url');
      if (url) this.triggerEvent('openurl', { url });
    },
    onPreviewImage(e: WechatMiniprogram.CustomEvent) {
      const url = stringField(detailOf(e), 'url');
      if (url) this.triggerEvent('previewimage', { url });
    },
    onTapImage() {
      const m = this.current();
      const url = m && m.kind === 'image' ? m.image?.url : '';
      if (url) this.triggerEvent('previewimage', { url });
    },
    onEditProfile() {
      this.triggerEvent('editprofile', {});
    },
    onCopy() {
      const text = this.data.copyText;
      if (text) this.triggerEvent('copy', { text });
    },
  },
});
