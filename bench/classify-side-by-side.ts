/**
 * The side-by-side half of `classify.bench.ts`: the same corpus through our one call
 * (`classifyWithVisibility`) and through the Tencent plugin's three checks
 * (`isMessageInvisible`, `isCustomerServiceMessage`, `isMessageRating` of
 * `@tencentcloud/tui-customer-service-plugin` 2.2.6). `classify.bench.ts` bundles this file with
 * esbuild before running it, so neither side pays tsx's per-call module-interop getters, which the
 * mini-program (plain CommonJS) does not have either.
 */
import {
  isCustomerServiceMessage,
  isMessageInvisible as pluginIsMessageInvisible,
  isMessageRating,
} from '@tencentcloud/tui-customer-service-plugin/utils/index';
import { classifyWithVisibility } from '../miniprogram/core/tccc';

export interface SideBySide {
  oursUs: number;
  pluginUs: number;
  /** How many messages each side called visible (they differ by design; a sanity check). */
  oursVisible: number;
  pluginVisible: number;
}

type Message = Record<string, unknown>;

function bestOf(runs: number, messages: readonly Message[], pass: (m: Message) => boolean): number {
  let best = Infinity;
  for (let run = 0; run < runs; run += 1) {
    const started = process.hrtime.bigint();
    for (const message of messages) pass(message);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e3);
  }
  return best / messages.length;
}

const ours = (m: Message): boolean => classifyWithVisibility(m).visible;

// The plugin's IMessageModel type wants a full SDK message; the checks read type and payload only.
const plugin = (m: Message): boolean => {
  const message = m as unknown as Parameters<typeof pluginIsMessageInvisible>[0];
  const invisible = pluginIsMessageInvisible(message);
  const service = isCustomerServiceMessage(message);
  const rating = isMessageRating(message);
  return !invisible && (service || rating || !service);
};

export function sideBySide(messages: readonly Message[], runs: number): SideBySide {
  // Warm both up, alternate the order so neither side always runs on a hotter machine.
  bestOf(1, messages, ours);
  bestOf(1, messages, plugin);
  let oursUs = Infinity;
  let pluginUs = Infinity;
  for (let round = 0; round < runs; round += 1) {
    pluginUs = Math.min(pluginUs, bestOf(1, messages, plugin));
    oursUs = Math.min(oursUs, bestOf(1, messages, ours));
  }
  return {
    oursUs,
    pluginUs,
    oursVisible: messages.filter(ours).length,
    pluginVisible: messages.filter(plugin).length,
  };
}
