/**
 * Page tests run against the real stores over the in-memory fake transport (no SDK, no network):
 * `useFakeServices()` swaps them into the composition root before a page loads.
 */
import type { AppConfig } from '../../miniprogram/config';
import { silentLogger } from '../../miniprogram/core/ports/logger';
import { setServicesForTest } from '../../miniprogram/services/index';
import { FakeAuth } from '../fakes/fake-auth';
import { FakeClock, flushMicrotasks } from '../fakes/fake-clock';
import { FakeTransport } from '../fakes/fake-transport';
import { MemoryStorage } from '../fakes/memory-storage';

export const SERVICE = '@customer_service_account';

export function useFakeServices(start = Date.now(), config?: AppConfig) {
  const clock = new FakeClock(start);
  const transport = new FakeTransport(clock);
  const auth = new FakeAuth('user1', () => clock.now());
  const storage = new MemoryStorage();
  setServicesForTest({
    transport,
    auth,
    storage,
    clock,
    logger: silentLogger,
    ...(config ? { config } : {}),
  });
  return { clock, transport, auth, storage };
}

/** Lets promise chains and the fake clock's due timers run. */
export async function settle(clock: FakeClock, ms = 0): Promise<void> {
  await flushMicrotasks();
  await clock.tick(ms);
  await flushMicrotasks();
}
