/**
 * The chat page's "notify me when they reply" prompts: the bar offered when the user is queued,
 * no agent is online or it is off hours, and the sheet shown when the user leaves mid-session
 * (caught by an invisible page-container). What to offer is decided by the policy in
 * `core/notify`; this controller holds the page's moment-to-moment state and says what to show.
 *
 * WeChat opens its subscribe dialog only when asked synchronously from a tap, so the tap handlers
 * call straight into `ReplyNotifications.subscribe` with nothing awaited before.
 */
import { t } from '../../core/i18n/index';
import { isSessionOpen, subscribePromptKey, subscribeTriggerFor } from '../../core/notify/index';
import type { SubscribeTrigger } from '../../core/notify/index';
import type { ReplyNotifications } from '../../adapters/notify/index';

/** What the page renders for the prompts (page data of the same names). */
export interface PromptView {
  /** The bar's question; `''` hides it. */
  subscribePrompt: string;
  /** Shows the invisible page-container that catches the back gesture. */
  guardBack: boolean;
  /** The leaving sheet's question; `''` hides it. */
  leavePrompt: string;
}

/** The newest message, as far as the prompts care. */
export interface IncomingSignal {
  key: string;
  incoming: boolean;
  messageType?: string;
  signal?: string;
}

export interface ReplyPromptsOptions {
  notify: ReplyNotifications;
  /** Applies changed fields (the page's setData). */
  show: (patch: Partial<PromptView>) => void;
  /** Goes back (the page's wx.navigateBack). */
  leave: () => void;
  /** Open pages: on the first page back leaves WeChat, which must not be held up. */
  pagesOpen: () => number;
  /** Result toasts. */
  toast: (text: string) => void;
}

/** Phases after which a new welcome or queue starts a new service session. */
const CLOSED_PHASES: ReadonlySet<string> = new Set(['ended', 'timed-out', 'rated']);

export class ReplyPrompts {
  private view: PromptView = { subscribePrompt: '', guardBack: false, leavePrompt: '' };
  private phase = '';
  private lastKey = '';
  private trigger: SubscribeTrigger | undefined;
  /** The leaving sheet was shown on this visit: the next back gesture leaves. */
  private leaveAsked = false;
  private leaving = false;
  /** The service session ended; the next one starts the notification memory afresh. */
  private sessionClosed = false;

  constructor(private readonly options: ReplyPromptsOptions) {}

  /** The service session's phase changed (or is first known). */
  phaseChanged(phase: string): void {
    if (phase === this.phase) return;
    const before = this.phase;
    this.phase = phase;
    if (CLOSED_PHASES.has(phase)) this.sessionClosed = true;
    else if (CLOSED_PHASES.has(before)) this.startNewSession();
    // An agent (or the end) answers the question "will they reply?": the bar goes. So does a
    // queue offer once the user is no longer queued (they left the queue: no reply will come).
    const leftQueue = before === 'queueing' && this.trigger === 'queued';
    if ((phase !== 'queueing' && phase !== 'bot') || leftQueue) this.set({ subscribePrompt: '' });
    this.syncBackGuard();
  }

  /** The newest message: queued, no agent online, off hours are the moments to offer. */
  newestMessage(message: IncomingSignal | undefined): void {
    if (!message || message.key === this.lastKey) return;
    this.lastKey = message.key;
    if (!message.incoming) return;
    const trigger = subscribeTriggerFor(message);
    if (!trigger) return;
    // A queue or "no agent" after the end is a new session, even before the phase says so.
    this.startNewSession();
    const offer = this.options.notify.offer(trigger, isSessionOpen(this.phase));
    // Not offered again (shown a moment ago, answered...): a bar on screen stays as it is.
    if (!offer.offer) return;
    this.trigger = trigger;
    this.set({ subscribePrompt: t(subscribePromptKey(trigger)) });
  }

  /** The bar's "notify me" tap. */
  subscribeTap(): void {
    const pending = this.options.notify.subscribe(() => this.syncBackGuard());
    this.set({ subscribePrompt: '' });
    void pending.then((res) =>
      this.options.toast(t(res.ok ? res.value.messageKey : 'entry.subscribe.failed')),
    );
  }

  /** The bar's close tap. */
  dismissTap(): void {
    if (this.trigger) this.options.notify.dismiss(this.trigger);
    this.set({ subscribePrompt: '' });
    this.syncBackGuard();
  }

  /** The page-container closed instead of the page: ask once, or go on leaving. */
  backIntercepted(): void {
    this.leaveAsked = true;
    const offer = this.options.notify.offer('leaving', isSessionOpen(this.phase));
    if (!offer.offer) {
      this.set({ guardBack: false });
      this.leave();
      return;
    }
    this.set({ guardBack: false, subscribePrompt: '', leavePrompt: t('entry.subscribe.leaving') });
  }

  /** The sheet's "notify me, then leave": leaves as soon as WeChat's dialog closes. */
  leaveNotifyTap(): void {
    const pending = this.options.notify.subscribe(() => this.leave());
    this.set({ leavePrompt: '' });
    void pending.then((res) => {
      this.options.toast(t(res.ok ? res.value.messageKey : 'entry.subscribe.failed'));
      this.leave();
    });
  }

  /** The sheet's "leave". */
  leaveAnywayTap(): void {
    this.options.notify.dismiss('leaving');
    this.set({ leavePrompt: '' });
    this.leave();
  }

  /** The sheet's "keep waiting" (or its mask). */
  stayTap(): void {
    this.set({ leavePrompt: '' });
  }

  /**
   * Catches the back gesture only while leaving would miss a reply the user has not been asked
   * about: a session is open, the policy would offer, once per visit, with a page to go back to.
   */
  private syncBackGuard(): void {
    const guardBack =
      !this.leaveAsked &&
      !this.leaving &&
      this.options.pagesOpen() > 1 &&
      this.options.notify.wouldOffer('leaving', isSessionOpen(this.phase));
    this.set({ guardBack });
  }

  private startNewSession(): void {
    if (!this.sessionClosed) return;
    this.sessionClosed = false;
    this.options.notify.newServiceSession();
  }

  private leave(): void {
    if (this.leaving) return;
    this.leaving = true;
    this.options.leave();
  }

  /** Applies the fields of `patch` that differ from what is shown. */
  private set(patch: Partial<PromptView>): void {
    const changed: Partial<PromptView> = {};
    for (const key of Object.keys(patch) as (keyof PromptView)[]) {
      if (this.view[key] !== patch[key]) Object.assign(changed, { [key]: patch[key] });
    }
    if (Object.keys(changed).length === 0) return;
    this.view = { ...this.view, ...changed };
    this.options.show(changed);
  }
}
