/**
 * The simulator's front door: which `Host` and `Origin` it answers, before any route runs.
 *
 * It binds loopback and is a development tool, but a browser on the same machine can still be
 * talked into reaching it: a DNS-rebinding page arrives with a foreign `Host`, a page on another
 * site posts with a foreign `Origin`. Both are refused with 403; the names it answers are the
 * loopback ones (any port) and those listed in `SIMULATOR_ALLOWED_HOSTS`.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** `host:port` or `host` (IPv6 in brackets) → the lowercase name without the port. */
export function hostName(hostHeader: string): string | undefined {
  const value = hostHeader.trim().toLowerCase();
  if (!value) return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end === -1) return undefined;
    const rest = value.slice(end + 1);
    if (rest && !/^:\d{1,5}$/.test(rest)) return undefined;
    return value.slice(0, end + 1);
  }
  const m = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(value);
  return m ? m[1].replace(/\.$/, '') : undefined;
}

/** Parses `SIMULATOR_ALLOWED_HOSTS` (comma- or space-separated names, ports ignored). */
export function parseAllowedHosts(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .map((name) => hostName(name))
    .filter((name): name is string => name !== undefined);
}

export interface HostGuard {
  /** True if a request with this `Host` header is answered. */
  allowsHost(hostHeader: string | undefined): boolean;
  /**
   * True if an `Origin` may change state: absent (a tool, not a browser page) or the very origin
   * the request was addressed to (`http://` + its `Host`), which is the console's own page.
   */
  allowsStateChange(req: IncomingMessage): boolean;
}

export function createHostGuard(extraHosts: readonly string[] = []): HostGuard {
  const allowed = new Set([...LOOPBACK_NAMES, ...extraHosts.map((h) => h.toLowerCase())]);
  const allowsHost = (hostHeader: string | undefined): boolean => {
    const name = hostHeader === undefined ? undefined : hostName(hostHeader);
    return name !== undefined && allowed.has(name);
  };
  return {
    allowsHost,
    allowsStateChange(req) {
      const origin = req.headers.origin;
      if (origin === undefined) return true;
      const host = req.headers.host;
      if (!host || !allowsHost(host)) return false;
      let parsed: URL;
      try {
        parsed = new URL(origin);
      } catch {
        return false;
      }
      return parsed.protocol === 'http:' && parsed.host === new URL(`http://${host}`).host;
    },
  };
}

/** True if every percent-escape of the path decodes (`/files/%zz` does not). */
export function decodablePath(rawUrl: string): boolean {
  const path = rawUrl.split('?')[0].split('#')[0];
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
