import { getConfig } from '../config';

/**
 * Our page URLs are written as the standalone app's (`/pages/chat/chat?…`). Mounted in a host as a
 * subpackage (`packageRoot: 'cs'`), the same pages are `/cs/pages/chat/chat?…`: every navigation,
 * share card and login redirect goes through here. Other URLs (a host's own pages) are unchanged.
 */
export function inPackage(url: string, root: string = getConfig().packageRoot): string {
  if (!root || !url.startsWith('/pages/')) return url;
  return `/${root}${url}`;
}

/** The package-relative form (`/pages/…`) of one of our page URLs, as {@link inPackage} reverses. */
export function packageRelative(url: string, root: string = getConfig().packageRoot): string {
  const prefix = `/${root}/pages/`;
  return root && url.startsWith(prefix) ? url.slice(root.length + 1) : url;
}
