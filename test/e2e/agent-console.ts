/**
 * The agent's side driven through the simulator's console page (`/console`) in a second browser
 * tab, the way an agent works: pick the user, accept, type (the console reports typing), send with
 * Enter, end the session. Screenshots go next to the user's, as `console-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS } from './rig';

export interface AgentConsole {
  page: Page;
  /** Selects the user's session in the list (by user ID). */
  select(userID: string): Promise<void>;
  accept(): Promise<void>;
  /** Types a reply without sending it (the console sends a typing signal on input). */
  type(text: string): Promise<void>;
  /** Sends what was typed (Enter) and waits until the field is cleared, i.e. the API took it. */
  send(): Promise<void>;
  end(): Promise<void>;
  /** The console's notice line (errors from the API), `''` when none. */
  notice(): Promise<string>;
  shot(step: string): Promise<string>;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  browser: Browser;
  consoleUrl: string;
  /** Test name: screenshots go to `.artifacts/e2e/<slug>/`. */
  testDir: string;
}

export async function openAgentConsole(options: ConsoleOptions): Promise<AgentConsole> {
  const context = await options.browser.newContext({
    viewport: { width: 1100, height: 720 },
  });
  const page = await context.newPage();
  await page.route(/^(https?|wss?):\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (r) => r.abort());
  await page.goto(options.consoleUrl);
  await page.waitForSelector('#connection.live', { timeout: 10_000 });
  const dir = path.join(ARTIFACTS, options.testDir);
  fs.mkdirSync(dir, { recursive: true });

  const agent: AgentConsole = {
    page,
    async select(userID) {
      await page.click(`.session-list button.session:has-text("${userID}")`);
      await page.waitForSelector(`#conversation-title:text-is("${userID}")`);
    },
    async accept() {
      await page.click('#btn-accept:not([disabled])');
      await page.waitForSelector('#conversation-state.active', { timeout: 5_000 });
    },
    async type(text) {
      await page.fill('#reply:not([disabled])', text);
    },
    async send() {
      await page.press('#reply', 'Enter');
      await page.waitForFunction(
        () => (document.getElementById('reply') as HTMLTextAreaElement | null)?.value === '',
        null,
        { timeout: 5_000 },
      );
    },
    async end() {
      await page.click('#btn-end:not([disabled])');
      await page.waitForSelector('#conversation-state.ended', { timeout: 5_000 });
    },
    async notice() {
      return ((await page.textContent('#notice')) ?? '').trim();
    },
    async shot(step) {
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const file = path.join(dir, `console-${step}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
    },
  };
  return agent;
}
