/**
 * Chat store + view model + setData diff, as a page would run them on every incoming message.
 *
 * Prints, for 100 / 1,000 / 10,000 loaded messages: the first `setData` of the page (its render
 * window: at most 200 messages however many are loaded), the `setData` payload of one incoming
 * message (bytes; target < 2 KB and flat as history grows), and the time per incoming message for
 * the store update alone and for store + view model + window + diff, as the chat page runs them.
 *
 * Run: `npx tsx bench/store.bench.ts`
 */
import { createChatViewBuilder } from '../miniprogram/core/chat/chat-view';
import type { ChatView, ChatViewContext } from '../miniprogram/core/chat/chat-view';
import { trimmedFirstKey, windowChatView } from '../miniprogram/core/chat/render-window';
import { diffForSetData } from '../miniprogram/core/view/set-data-diff';
import { createHarness, SERVICE, USER } from '../test/fakes/harness';
import { tccc } from '../test/fakes/tccc-payloads';

const SIZES = [100, 1_000, 10_000];
const INCOMING = 300;

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
const asRecord = (v: ChatView): Record<string, unknown> => v as unknown as Record<string, unknown>;

/** A realistic mix: mostly text both ways, some menus, rich text, a rating now and then. */
function historyItem(i: number): {
  text?: string;
  data?: string;
  flow: 'in' | 'out';
  time: number;
} {
  const time = 1_700_000_000 + i * 20;
  if (i % 50 === 7)
    return { data: tccc.branch(['查订单', '退换货', '人工服务']), flow: 'in', time };
  if (i % 97 === 3)
    return {
      data: tccc.richText('**提示**：请在 [这里](https://example.com) 查看'),
      flow: 'in',
      time,
    };
  if (i % 200 === 11) return { data: tccc.rating({ selected: '105' }), flow: 'in', time };
  return {
    text: `${i % 2 ? '您好，这是客服的第' : '我想问一下第'} ${i} 条消息`,
    flow: i % 2 ? 'in' : 'out',
    time,
  };
}

async function run(size: number): Promise<Record<string, string | number>> {
  const h = createHarness();
  await h.session.login();
  h.transport.seedHistory(
    USER,
    SERVICE,
    Array.from({ length: size }, (_, i) => historyItem(i)),
  );
  const chat = h.chat();
  await chat.open();
  while (!chat.getState().history.completed) await chat.loadOlder();
  const build = createChatViewBuilder();
  const ctx = (): ChatViewContext => ({
    now: h.clock.now(),
    language: 'zh-CN',
    self: { nick: '我', avatar: '' },
    peer: { nick: '在线客服', avatar: 'https://example.com/cs.png' },
  });

  // The page: build every message's view, render the window, trim it while at the bottom.
  let firstKey = '';
  let trimmed = false;
  const render = (): ChatView => {
    const full = build(chat.getState(), ctx());
    const next = trimmedFirstKey(full.messages, firstKey, true);
    trimmed = next !== firstKey;
    firstKey = next;
    return windowChatView(full, firstKey);
  };
  const loaded = chat.getState().entries.length;
  let view = render();
  const rendered = view.messages.length;
  const firstPayload = diffForSetData(null, asRecord(view));

  let storeNs = 0n;
  let fullNs = 0n;
  let payloadBytes = 0;
  let maxPayload = 0;
  let trims = 0;
  let trimPayload = 0;
  let keys = 0;
  for (let i = 0; i < INCOMING; i += 1) {
    h.clock.advance(1000);
    const t0 = process.hrtime.bigint();
    h.transport.peerSends(SERVICE, USER, { text: `新消息 ${i}：请问还有什么可以帮您？` });
    const t1 = process.hrtime.bigint();
    const next = render();
    const payload = diffForSetData(asRecord(view), asRecord(next));
    const t2 = process.hrtime.bigint();
    storeNs += t1 - t0;
    fullNs += t2 - t0;
    const b = bytes(payload);
    payloadBytes += b;
    // A trim resends the window once (every RENDER_KEEP messages): reported on its own.
    if (trimmed) {
      trims += 1;
      trimPayload = Math.max(trimPayload, b);
    } else maxPayload = Math.max(maxPayload, b);
    keys += Object.keys(payload).length;
    view = next;
  }
  chat.close();
  return {
    messages: size,
    loaded,
    rendered,
    'initial setData (KB)': Math.round(bytes(firstPayload) / 102.4) / 10,
    'payload/msg avg (B)': Math.round(payloadBytes / INCOMING),
    'payload/msg max (B, no trim)': maxPayload,
    'keys/msg': Math.round((keys / INCOMING) * 10) / 10,
    trims,
    'trim setData (KB)': Math.round(trimPayload / 102.4) / 10,
    'store update (µs/msg)': Math.round(Number(storeNs / BigInt(INCOMING)) / 100) / 10,
    'store+view+window+diff (µs/msg)': Math.round(Number(fullNs / BigInt(INCOMING)) / 100) / 10,
  };
}

async function main(): Promise<void> {
  // Warm-up so the JIT does not bill the first size.
  await run(200);
  const rows = [];
  for (const size of SIZES) rows.push(await run(size));
  console.log(`store.bench: one incoming text message, ${INCOMING} samples per size`);
  console.table(rows);
  const worst = Math.max(...rows.map((r) => Number(r['payload/msg max (B, no trim)'])));
  console.log(
    `largest single-message setData payload: ${worst} B (target < 2048 B): ${worst < 2048 ? 'OK' : 'OVER'}`,
  );
}

void main();
