/**
 * Server error codes the simulated backend answers with: Tencent's own where they are documented,
 * otherwise marked as the simulator's choice. The SDK rejects the API call with this code.
 */
export const CHAT_ERRORS = {
  /** Sender or recipient UserID invalid or not imported. */
  accountInvalid: 20003,
  /** Revoke window (2 min by default) has passed. */
  revokeTimeLimit: 20016,
  /** Modification based on a stale `MsgVersion`; the body carries the current one. */
  modifyConflict: 20027,
  /** Text hit the moderation word list. */
  sensitiveContent: 80001,
  /** Message body over 12 KB. */
  bodyTooLong: 80002,
  /** Simulator's choice: the message to modify/revoke is not stored (or not yours). */
  messageNotFound: 20022,
  /** Simulator's choice: a command on a socket without a login (after a kick or logout). */
  notLoggedIn: 10008,
  /** Malformed request body. */
  badRequest: 90001,
  /** Internal error (a handler bug); never expected. */
  internal: 10002,
} as const;
