/**
 * What the end-to-end scenarios do as a user of the mini-program in the preview: selectors of the
 * real pages (class names carry simulate's per-component prefix), logging in, reading the chat as
 * rendered, typing and sending, numbered steps with a screenshot each, and the Chat backend's own
 * record of what a user sent (to prove "exactly once" on the server, not only on screen).
 */
import type { RunningSimulator } from '../../simulator';
import type { RunningStack } from '../../scripts/preview/stack';
import { agentApi } from './agent-api';
import type { AgentApi } from './agent-api';
import type { PreviewTab, Rig } from './rig';

/** The page on top of the stack (others stay in the DOM, hidden). */
export const TOP = 'page:not([hidden])';

export const SEL = {
  loginButton: 'wx-button:has-text("微信一键登录")',
  rows: `${TOP} .main--row`,
  row: (conversationID: string) => `${TOP} .main--row[data-id="${conversationID}"]`,
  badge: (conversationID: string) =>
    `${TOP} .main--row[data-id="${conversationID}"] .main--row__badge`,
  menuRow: (content: string) => `${TOP} .menu-card--cs-menu__row:has-text("${content}")`,
  composerInput: `${TOP} .main--composer__input input`,
  composerSend: `${TOP} .main--composer__send`,
  banner: `${TOP} session-banner`,
  bannerPhase: `${TOP} .session-banner--cs-banner__phase`,
  bannerIndicator: `${TOP} .session-banner--cs-banner__indicator`,
  networkBanner: `${TOP} .session-banner--cs-banner__network`,
  /** The line under a message that has been sending for a while ("waiting for the network"). */
  pendingNote: `${TOP} .tccc-message--cs-msg__pending`,
  ratingCard: `${TOP} rating-card`,
  ratingStar: (n: number) =>
    `${TOP} rating-card .t-rate--t-rate__wrapper > .t-rate--t-rate__icon >> nth=${n - 1}`,
  ratingLitStars: `${TOP} rating-card .t-rate--t-rate__wrapper > .t-rate--t-rate__icon--selected`,
  ratingDisabled: `${TOP} rating-card .rating-card--cs-rating__card--disabled`,
  ratingTail: `${TOP} rating-card .rating-card--cs-rating__tail`,
  ratingLabel: `${TOP} rating-card .rating-card--cs-rating__label`,
  navBack: '#nav-back',
  leaveSheet: `${TOP} .main--leave__sheet`,
  leaveStay: `${TOP} #leave-stay`,
  chatFallback: `${TOP} #chat-fallback`,
} as const;

/** The rig's running stack, its first service account and the agent API of its simulator. */
export function demoService(rig: Rig): {
  stack: RunningStack;
  account: string;
  conversationID: string;
  agent: AgentApi;
} {
  const stack = rig.stack;
  if (!stack) throw new Error('the rig has no stack');
  const account = stack.appConfig.serviceAccounts?.[0];
  if (!account) throw new Error('no service account configured');
  return {
    stack,
    account,
    conversationID: `C2C${account}`,
    agent: agentApi(() => stack.urls.simulator),
  };
}

/** One message as the chat page shows it. */
export interface ShownMessage {
  /** The list item id (`m-<key>`): stable per message across page loads. */
  id: string;
  mine: boolean;
  /** Visible text of the bubble, card or tip (no time, nick or avatar), whitespace collapsed. */
  text: string;
  status: 'sending' | 'failed' | 'blocked' | '';
}

/** The messages of the chat page on top, in display order. */
export async function shownMessages(tab: PreviewTab): Promise<ShownMessage[]> {
  return tab.page.$$eval(`${TOP} wx-scroll-view [id^="m-"]`, (items) =>
    items.map((el) => {
      const msg = el.querySelector('.tccc-message--cs-msg');
      // The message itself: a tip line, or the bubble/card (not the time, nick or avatar).
      const content =
        el.querySelector('.tccc-message--cs-msg__content') ?? el.querySelector('tip-line');
      const has = (cls: string): boolean => Boolean(el.querySelector(`.tccc-message--${cls}`));
      const status = has('cs-msg__sending')
        ? 'sending'
        : has('cs-msg__failed')
          ? 'failed'
          : has('cs-msg__error--blocked')
            ? 'blocked'
            : '';
      return {
        id: el.id,
        mine: Boolean(msg?.classList.contains('tccc-message--cs-msg--mine')),
        text: ((content as HTMLElement | null)?.innerText ?? '').replace(/\s+/g, ' ').trim(),
        status: status as ShownMessage['status'],
      };
    }),
  );
}

/** Waits until `predicate` holds for the shown messages; the failure says what was on screen. */
export async function waitForMessages(
  tab: PreviewTab,
  what: string,
  predicate: (messages: ShownMessage[]) => boolean,
  timeoutMs = 10_000,
): Promise<ShownMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await shownMessages(tab);
    if (predicate(last)) return last;
    if (Date.now() > deadline) {
      const lines = last.map(
        (m) => `${m.mine ? 'me' : 'cs'}${m.status ? `[${m.status}]` : ''}: ${m.text}`,
      );
      throw new Error(`timed out waiting for ${what}; the chat shows:\n${lines.join('\n')}`);
    }
    await tab.page.waitForTimeout(100);
  }
}

/**
 * Waits until the chat list stops moving (new messages scroll it into view a moment after they
 * render). A tap lands on what was aimed at only then, and, as in WeChat, a tap less than 150 ms
 * after a scroll is taken for the end of the scroll and dropped.
 */
export async function waitForStill(tab: PreviewTab, timeoutMs = 3_000): Promise<void> {
  const measure = (): Promise<string> =>
    tab.page.evaluate((top) => {
      const list = document.querySelector(`${top} wx-scroll-view`);
      return list ? `${list.scrollTop}/${list.scrollHeight}` : '';
    }, TOP);
  const deadline = Date.now() + timeoutMs;
  let last = await measure();
  for (;;) {
    await tab.page.waitForTimeout(200);
    const now = await measure();
    if (now === last || Date.now() > deadline) return;
    last = now;
  }
}

/**
 * A touch tap once the chat list is still. The target is scrolled into view first, as a user
 * would, and the list given time to settle: the tap's own scroll would otherwise cancel it.
 */
export async function tapStill(tab: PreviewTab, selector: string): Promise<void> {
  await waitForStill(tab);
  await tab.page.locator(selector).scrollIntoViewIfNeeded();
  await waitForStill(tab);
  await tab.tap(selector);
}

/** Logs in on the login page with the WeChat button and waits for the conversation list. */
export async function logIn(tab: PreviewTab): Promise<void> {
  await tab.waitForRoute('pages/login/login', 15_000);
  await tab.tap(SEL.loginButton);
  await tab.waitForRoute('pages/conversations/conversations', 15_000);
}

/** Types `text` into the composer (one `input` event, as a keyboard's commit) and taps 发送. */
export async function typeAndSend(tab: PreviewTab, text: string): Promise<void> {
  await tab.page.fill(SEL.composerInput, text);
  await tab.page.waitForSelector(`${SEL.composerSend}.main--composer__send--active`, {
    timeout: 5_000,
  });
  await tapStill(tab, SEL.composerSend);
  // The page clears the field when it takes the message.
  await tab.page.waitForFunction(
    (sel) => (document.querySelector(sel) as HTMLInputElement | null)?.value === '',
    SEL.composerInput,
    { timeout: 5_000 },
  );
}

/** Runs a named scenario step and saves `NN-name.png` after it (or `NN-name-failed.png`). */
export type Step = (name: string, run: () => Promise<void>) => Promise<void>;

export function stepper(
  tab: PreviewTab,
  extraShots: (file: string) => Promise<void> = async () => undefined,
): Step {
  let n = 0;
  return async (name, run) => {
    n += 1;
    const label = `${String(n).padStart(2, '0')}-${name}`;
    try {
      await run();
    } catch (e) {
      await tab.shot(`${label}-failed`).catch(() => undefined);
      await extraShots(`${label}-failed`).catch(() => undefined);
      const recent = tab.logs.slice(-(Number(process.env.E2E_LOG_LINES) || 15)).join('\n');
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`step ${label} failed: ${message}\n-- last page logs --\n${recent}`, {
        cause: e,
      });
    }
    await tab.shot(label);
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The simulator as started now (a restart replaces it), with its backend. */
function simulatorOf(stack: RunningStack): RunningSimulator {
  const sim: unknown = stack.simulator;
  if (!isRecord(sim) || !isRecord(sim.backend) || !isRecord(sim.backend.store))
    throw new Error('the simulator handle has no backend store');
  return sim as unknown as RunningSimulator;
}

/**
 * Texts of the text messages `userID` sent to `peer`, as the Chat backend stored them (the
 * server's record: a message sent twice is stored twice).
 */
export function storedTextsFrom(stack: RunningStack, userID: string, peer: string): string[] {
  const store = simulatorOf(stack).backend.store;
  const out: string[] = [];
  for (const m of store.visibleMessages(userID, peer)) {
    if (m.from !== userID) continue;
    for (const elem of m.elems) {
      const content: unknown = elem.MsgContent;
      if (elem.MsgType === 'TIMTextElem' && isRecord(content) && typeof content.Text === 'string')
        out.push(content.Text);
    }
  }
  return out;
}
