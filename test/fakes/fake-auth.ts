import type { AuthPort, AuthSession } from '../../miniprogram/core/ports/auth';
import { appError, err, ok } from '../../miniprogram/core/result';
import type { AppErrorCode, Result } from '../../miniprogram/core/result';

/**
 * An auth server in memory: `login` issues `sig-1`, `sig-2`… for one user, `refresh` swaps a valid
 * session token for a new UserSig. Failures can be scripted per call.
 */
export class FakeAuth implements AuthPort {
  issued = 0;
  loginCalls = 0;
  refreshCalls = 0;
  /** The session tokens that still work. */
  readonly validTokens = new Set<string>();
  /** Errors returned by the next calls, first one first. */
  readonly failures: AppErrorCode[] = [];

  constructor(
    readonly userID = 'user1',
    private readonly now: () => number = () => Date.now(),
    readonly lifetimeMs = 7 * 24 * 3600_000,
    readonly serviceAccounts: string[] = ['@customer_service_account'],
  ) {}

  private issue(): AuthSession {
    this.issued += 1;
    const sessionToken = `token-${this.issued}`;
    this.validTokens.add(sessionToken);
    return {
      sdkAppID: 1400000000,
      userID: this.userID,
      userSig: `sig-${this.issued}`,
      expireAt: this.now() + this.lifetimeMs,
      serviceAccounts: this.serviceAccounts,
      sessionToken,
    };
  }

  private scripted(): Result<never> | null {
    const code = this.failures.shift();
    return code ? err(appError(code, `scripted ${code}`)) : null;
  }

  async login(): Promise<Result<AuthSession>> {
    this.loginCalls += 1;
    return this.scripted() ?? ok(this.issue());
  }

  async refresh(sessionToken: string): Promise<Result<AuthSession>> {
    this.refreshCalls += 1;
    const failure = this.scripted();
    if (failure) return failure;
    if (!this.validTokens.has(sessionToken))
      return err(appError('session-expired', 'session-expired'));
    return ok(this.issue());
  }
}
