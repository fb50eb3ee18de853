import { getServices } from '../services/index';
import { inPackage, packageRelative } from './package-path';

export const LOGIN_PAGE = '/pages/login/login';
export const HOME_PAGE = '/pages/conversations/conversations';

/** Current page as a URL (path + query), to come back to after logging in. */
export function pageUrl(route: string, query: Record<string, string | undefined>): string {
  const pairs = Object.entries(query)
    .filter((pair): pair is [string, string] => typeof pair[1] === 'string')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return `/${route.replace(/^\//, '')}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}

/** Only our own pages may be a login redirect target (as a URL in this app: {@link inPackage}). */
export function safeRedirect(value: string | undefined): string {
  const url = packageRelative(value ? decodeSafe(value) : '');
  return inPackage(/^\/pages\/(conversations|chat)\/\1(\?.*)?$/.test(url) ? url : HOME_PAGE);
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}

/**
 * Makes sure the user is logged in before a page talks to Chat: ready → true; a persisted session
 * → restored → true; nothing usable → redirects to the login page (which comes back here) → false.
 */
export async function ensureSession(returnTo: string): Promise<boolean> {
  const { session } = getServices();
  const status = session.getState().status;
  if (status === 'ready' || status === 'reconnecting') return true;
  const restored = await session.restore();
  if (restored.ok && restored.value) return true;
  wx.redirectTo({ url: `${inPackage(LOGIN_PAGE)}?redirect=${encodeURIComponent(returnTo)}` });
  return false;
}
