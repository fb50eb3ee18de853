/**
 * With a persistence file, a restarted simulator (new port, new process state) keeps accounts,
 * conversations, history, pins and read positions: the real SDK sees the same list and message IDs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type RunningSimulator, startSimulator } from '../../simulator';
import {
  type SdkClient,
  type SdkConversation,
  type SdkMessage,
  createSdkClient,
} from '../support/real-sdk';

jest.setTimeout(30_000);

const SERVICE = '@customer_service_account';
const dir = mkdtempSync(join(tmpdir(), 'sim-persist-'));
const file = join(dir, 'state.json');
const clients: SdkClient[] = [];
const sims: RunningSimulator[] = [];

const start = async (): Promise<RunningSimulator> => {
  const sim = await startSimulator({
    port: 0,
    quiet: true,
    service: false,
    env: false,
    persistFile: file,
  });
  sims.push(sim);
  return sim;
};

afterAll(async () => {
  for (const c of clients) await c.destroy();
  for (const s of sims) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

it('keeps conversations, history, pins and unread counts across a restart', async () => {
  const first = await start();
  const alice = createSdkClient({ simulator: first, userID: 'p-alice' });
  const bob = createSdkClient({ simulator: first, userID: 'p-bob' });
  clients.push(alice, bob);
  await alice.login();
  await bob.login();
  const fromAlice = alice.chat.createTextMessage({
    to: 'p-bob',
    conversationType: 'C2C' as never,
    payload: { text: 'kept?' },
  });
  await alice.chat.sendMessage(fromAlice);
  first.backend.send({
    serviceAccount: SERVICE,
    userID: 'p-alice',
    elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'from the service' } }],
  });
  await alice.chat.pinConversation({ conversationID: 'C2Cp-bob', isPinned: true });
  const beforeIDs = (
    (await alice.chat.getMessageList({ conversationID: 'C2Cp-bob' })).data
      .messageList as unknown as SdkMessage[]
  ).map((m) => m.ID);
  await alice.destroy();
  await bob.destroy();
  await first.close();

  const second = await start();
  expect(second.port).not.toBe(first.port);
  const again = createSdkClient({ simulator: second, userID: 'p-alice' });
  clients.push(again);
  await again.login();
  const list = await again.waitFor<SdkConversation[]>(
    'onConversationListUpdated',
    (l) => l.length === 2,
  );
  expect(list.map((c) => [c.conversationID, c.isPinned, c.unreadCount])).toEqual([
    ['C2Cp-bob', true, 0],
    [`C2C${SERVICE}`, false, 1],
  ]);
  // Local URLs minted under the old port now point at the new one.
  const service = list.find((c) => c.conversationID === `C2C${SERVICE}`);
  expect(service?.userProfile.avatar).toBe(`${second.httpUrl}/assets/service-avatar.svg`);
  const afterIDs = (
    (await again.chat.getMessageList({ conversationID: 'C2Cp-bob' })).data
      .messageList as unknown as SdkMessage[]
  ).map((m) => m.ID);
  expect(afterIDs).toEqual(beforeIDs);
  expect(afterIDs).toHaveLength(1);
});
