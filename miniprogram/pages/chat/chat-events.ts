import { t } from '../../core/i18n/index';
import { inPackage } from '../../utils/package-path';
import { priv } from './chat-private';

type Detail<T extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.CustomEvent<T>;
type Page = WechatMiniprogram.Component.TrivialInstance;

/**
 * The chat page's message and banner events: one store action (or one wx call) each, spread into
 * the page's methods.
 */
export const chatEvents = {
  onChoose(this: Page, e: Detail<{ messageId: string; content: string }>) {
    void priv(this).chat?.chooseItem(e.detail.messageId, e.detail.content);
  },
  onNextPage(this: Page, e: Detail<{ messageId: string }>) {
    priv(this).chat?.nextMenuPage(e.detail.messageId);
  },
  onRate(this: Page, e: Detail<{ messageId: string; optionId: string }>) {
    void priv(this).chat?.submitRating(e.detail.messageId, e.detail.optionId);
  },
  onSubmitForm(this: Page, e: Detail<{ messageId: string; text: string }>) {
    void priv(this).chat?.submitFormInput(e.detail.messageId, e.detail.text);
  },
  onTaskFormChange(this: Page, e: Detail<{ messageId: string; name: string; value: string }>) {
    priv(this).chat?.setTaskFormValue(e.detail.messageId, e.detail.name, e.detail.value);
  },
  onSubmitTaskForm(this: Page, e: Detail<{ messageId: string }>) {
    void priv(this).chat?.submitTaskForm(e.detail.messageId);
  },
  onRetry(this: Page, e: Detail<{ clientId: string }>) {
    void priv(this).chat?.retry(e.detail.clientId);
  },
  onRemove(this: Page, e: Detail<{ clientId: string }>) {
    priv(this).chat?.discard(e.detail.clientId);
  },
  onCopy(this: Page, e: Detail<{ text: string }>) {
    wx.setClipboardData({ data: e.detail.text });
  },
  onPreviewImage(this: Page, e: Detail<{ url: string }>) {
    wx.previewImage({ urls: [e.detail.url], current: e.detail.url });
  },
  onOpenUrl(this: Page, e: Detail<{ url: string }>) {
    const url = e.detail.url;
    if (url.startsWith('/pages/')) wx.navigateTo({ url: inPackage(url) });
    // A mini-program cannot open arbitrary web pages: hand the link over instead.
    else if (/^https?:\/\//.test(url)) wx.setClipboardData({ data: url });
  },

  // Session banner actions.
  onTransfer(this: Page) {
    void priv(this).chat?.transferToHuman();
  },

  onEndSession(this: Page) {
    wx.showModal({
      title: t('chat.end.confirmTitle'),
      content: t('chat.end.confirmContent'),
      confirmText: t('chat.end.confirm'),
      cancelText: t('chat.end.cancel'),
      success: (res) => {
        if (res.confirm) void priv(this).chat?.endSession();
      },
    });
  },
  onLeaveQueue(this: Page) {
    void priv(this).chat?.leaveQueue();
  },
};
