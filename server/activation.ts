import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Result } from '../miniprogram/core/result';
import { ok } from '../miniprogram/core/result';
import type { ActivationMode } from './config';
import type { ImFailure, ImRestClient, RestMsgElem } from './im-rest-client';
import type { Store } from './store';

/**
 * The hidden TCCC handshake (src 7): starts the service flow, never rendered by clients; with a
 * language, `triggeredContent.language` makes the flow answer in it.
 */
export function handshakeData(language?: 'zh' | 'en'): string {
  return JSON.stringify({
    customerServicePlugin: 0,
    src: '7',
    ...(language ? { triggeredContent: { language } } : {}),
  });
}

/** The handshake without a language: `{"customerServicePlugin":0,"src":"7"}`. */
export const HANDSHAKE_DATA = handshakeData();

export interface ActivationOptions {
  im: ImRestClient;
  store: Store;
  serviceAccounts: readonly string[];
  mode: ActivationMode;
  text: string | undefined;
  logger: FastifyBaseLogger;
}

/**
 * Cross-instance claim while one instance activates a user: long enough for the usual REST calls,
 * short enough that another instance takes over soon after one dies mid-activation (a late
 * duplicate carries the same MsgRandom, which the IM backend de-duplicates).
 */
const LOCK_TTL_S = 10;
/** Re-import accounts after this long, in case one was deleted on the IM side. */
const IMPORTED_TTL_S = 7 * 24 * 3600;

/**
 * MsgRandom derived from the pair, so a retried send after a lost answer is the same message to
 * the IM backend's de-duplication rather than a second handshake.
 */
function msgRandomFor(userID: string, account: string): number {
  return createHash('sha256').update(`activation\n${userID}\n${account}`).digest().readUInt32BE(0);
}

/**
 * Account import and service activation (Tencent's integration guide: the admin sends
 * `openim/sendmsg` with From_Account = user, To_Account = service account, SyncOtherMachine 1, so
 * the conversation lands in the user's own list and TCCC starts its flow).
 *
 * Guarantees: at most one activation message per user and service account once it has succeeded;
 * concurrent calls for one user share one attempt (in-process promise, plus a store claim across
 * instances); a failure leaves no "done" flag, so the next login retries only the accounts that
 * did not succeed. Never throws.
 */
export class ActivationService {
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private serviceImport: Promise<boolean> | undefined;

  constructor(private readonly options: ActivationOptions) {}

  /** Imports the user's account unless a recent import is recorded. Resolves the outcome. */
  async importUser(userID: string): Promise<Result<void, ImFailure>> {
    const key = `imported:${userID}`;
    if ((await this.options.store.get(key)) !== undefined) return ok(undefined);
    const result = await this.options.im.accountImport(userID);
    if (result.ok) await this.options.store.set(key, '1', IMPORTED_TTL_S);
    return result;
  }

  /**
   * Makes sure the service accounts exist (once per process; retried after a failure).
   * Resolves true when they do.
   */
  importServiceAccounts(): Promise<boolean> {
    this.serviceImport ??= (async () => {
      for (const account of this.options.serviceAccounts) {
        const result = await this.options.im.accountImport(account);
        if (!result.ok) {
          this.options.logger.warn(
            { account, failure: result.error },
            'service account import failed',
          );
          this.serviceImport = undefined;
          return false;
        }
      }
      return true;
    })();
    return this.serviceImport;
  }

  /** Resolves once no activation is running (shutdown waits for this). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /**
   * Resolves true once the user is activated with every service account (now or earlier). The
   * handshake carries `language` (protocol: `triggeredContent.language`), so the flow starts in it.
   */
  ensureActivated(userID: string, language?: 'zh' | 'en'): Promise<boolean> {
    const running = this.inFlight.get(userID);
    if (running !== undefined) return running;
    const attempt = this.activate(userID, language).finally(() => this.inFlight.delete(userID));
    this.inFlight.set(userID, attempt);
    return attempt;
  }

  private async activate(userID: string, language: 'zh' | 'en' | undefined): Promise<boolean> {
    const { store, logger } = this.options;
    const doneKey = `activated:${userID}`;
    if ((await store.get(doneKey)) !== undefined) return true;
    const lockKey = `activating:${userID}`;
    if (!(await store.setIfAbsent(lockKey, '1', LOCK_TTL_S))) {
      logger.info({ userID }, 'activation already running on another instance');
      return false;
    }
    try {
      if (!(await this.importServiceAccounts())) return false;
      for (const account of this.options.serviceAccounts) {
        const accountKey = `activated:${userID}:${account}`;
        if ((await store.get(accountKey)) !== undefined) continue;
        const sent = await this.options.im.sendMessage({
          From_Account: userID,
          To_Account: account,
          SyncOtherMachine: 1,
          MsgRandom: msgRandomFor(userID, account),
          MsgBody: [this.body(language)],
        });
        if (!sent.ok) {
          logger.warn({ userID, account, failure: sent.error }, 'service activation failed');
          return false;
        }
        await store.set(accountKey, '1');
      }
      await store.set(doneKey, '1');
      logger.info({ userID }, 'service activated');
      return true;
    } finally {
      await store.del(lockKey);
    }
  }

  private body(language: 'zh' | 'en' | undefined): RestMsgElem {
    if (this.options.mode === 'text' && this.options.text !== undefined) {
      return { MsgType: 'TIMTextElem', MsgContent: { Text: this.options.text } };
    }
    return {
      MsgType: 'TIMCustomElem',
      MsgContent: { Data: handshakeData(language), Desc: '', Ext: '' },
    };
  }
}
