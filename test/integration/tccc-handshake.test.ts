/**
 * The hosted TCCC flow end to end through the Chat backend, with the real SDK: the src 7 handshake
 * (online only) brings the rating settings, the welcome and the branch menu as real SDK `Message`
 * objects, which the client's classifier recognises; choosing a branch gets the flow's answer.
 * The flow's own behaviour is tested in depth by the TCCC engine's tests.
 */
import { classifyMessage } from '../../miniprogram/core/tccc/classify';
import { type RunningSimulator, startSimulator } from '../../simulator';
import {
  type SdkClient,
  type SdkConversation,
  type SdkMessage,
  createSdkClient,
} from '../support/real-sdk';

jest.setTimeout(30_000);

const SERVICE = '@customer_service_account';
let sim: RunningSimulator;
let user: SdkClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, env: false });
  user = createSdkClient({ simulator: sim, userID: 'tccc-user' });
  await user.login();
});
afterAll(async () => {
  await user.destroy();
  await sim.close();
});

/** Every message received so far, flattened. */
const received = (): SdkMessage[] =>
  user.events.filter((e) => e.name === 'onMessageReceived').flatMap((e) => e.data as SdkMessage[]);

const srcOf = (m: SdkMessage): string | undefined => {
  if (m.type !== 'TIMCustomElem') return undefined;
  try {
    return String((JSON.parse(String(m.payload.data)) as { src?: unknown }).src);
  } catch {
    return undefined;
  }
};

it('answers the handshake with rating settings, the welcome and the branch menu', async () => {
  expect(sim.tccc).toBeDefined();
  const handshake = user.chat.createCustomMessage({
    to: SERVICE,
    conversationType: 'C2C' as never,
    payload: {
      data: JSON.stringify({ customerServicePlugin: 0, src: '7' }),
      description: '',
      extension: '',
    },
  });
  await user.chat.sendMessage(handshake, { onlineUserOnly: true });

  await user.waitFor<SdkMessage[]>('onMessageReceived', () =>
    received().some((m) => srcOf(m) === '15'),
  );
  const fromService = received().filter((m) => m.from === SERVICE);
  const srcs = fromService.map(srcOf);
  expect(srcs).toEqual(expect.arrayContaining(['23', '29', '15']));
  expect(srcs.indexOf('23')).toBeLessThan(srcs.indexOf('29'));

  const kinds = fromService.map((m) => classifyMessage(m).kind);
  expect(kinds).toEqual(expect.arrayContaining(['signal', 'robot-menu', 'branch']));
  const menu = fromService.find((m) => srcOf(m) === '15') as SdkMessage;
  const classified = classifyMessage(menu);
  expect(classified.kind).toBe('branch');

  // The welcome is stored: the service conversation is in the list although the handshake was not.
  await user.waitFor<SdkConversation[]>('onConversationListUpdated', (l) =>
    l.some((c) => c.conversationID === `C2C${SERVICE}`),
  );
  expect(
    sim.backend.store.visibleMessages('tccc-user', SERVICE).some((m) => m.from === 'tccc-user'),
  ).toBe(false);

  // Choosing a branch item (sent as plain text) gets an answer from the flow.
  const items = (
    JSON.parse(String(menu.payload.data)) as { content: { items: { content: string }[] } }
  ).content.items;
  const since = received().length;
  const choice = user.chat.createTextMessage({
    to: SERVICE,
    conversationType: 'C2C' as never,
    payload: { text: items[0].content },
  });
  await user.chat.sendMessage(choice);
  await user.waitFor('onMessageReceived', () => received().length > since);
  expect(
    received()
      .slice(since)
      .every((m) => m.from === SERVICE),
  ).toBe(true);
});
