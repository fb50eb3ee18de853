/** Which i18n key the subscribe prompt and its result toast use, so pages never pick texts by hand. */
import type { MessageKey } from '../i18n/index';
import type { SubscribeTrigger } from './subscribe-policy';
import type { SubscribeOutcome } from './subscribe-result';

const PROMPT_KEYS: Record<SubscribeTrigger, MessageKey> = {
  queued: 'entry.subscribe.queued',
  'no-agent': 'entry.subscribe.noAgent',
  'off-hours': 'entry.subscribe.offHours',
  leaving: 'entry.subscribe.leaving',
};

/** The prompt's question for `trigger`. */
export function subscribePromptKey(trigger: SubscribeTrigger): MessageKey {
  return PROMPT_KEYS[trigger];
}

/** What to tell the user after WeChat's dialog (a toast or the prompt's last line). */
export function subscribeResultKey(outcome: SubscribeOutcome): MessageKey {
  switch (outcome.kind) {
    case 'answered':
      return outcome.accepted ? 'entry.subscribe.accepted' : 'entry.subscribe.rejected';
    case 'cancelled':
      return 'entry.subscribe.rejected';
    case 'blocked':
      return outcome.reason === 'main-switch-off'
        ? 'entry.subscribe.blocked'
        : 'entry.subscribe.failed';
    default:
      return 'entry.subscribe.failed';
  }
}
