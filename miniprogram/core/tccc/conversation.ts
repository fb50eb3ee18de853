/** Which conversations speak the TCCC protocol (docs §3). */

const C2C_PREFIX = 'C2C';

function isList(accounts: readonly string[] | ReadonlySet<string>): accounts is readonly string[] {
  return Array.isArray(accounts);
}

/**
 * True when `conversationID` is the C2C conversation with one of the configured service accounts
 * (`'C2C' + userID`). There is no naming convention for service accounts, so nothing is guessed from
 * the ID itself: only the configured list counts. Never throws.
 */
export function isServiceConversation(
  conversationID: unknown,
  serviceAccounts: readonly string[] | ReadonlySet<string>,
): boolean {
  if (typeof conversationID !== 'string' || !conversationID.startsWith(C2C_PREFIX)) return false;
  const userID = conversationID.slice(C2C_PREFIX.length);
  if (userID === '') return false;
  if (isList(serviceAccounts)) return serviceAccounts.includes(userID);
  return serviceAccounts.has(userID);
}
