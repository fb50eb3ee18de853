import type { KeyValueStorage } from '../core/ports/storage';
import { appError, err, ok } from '../core/result';

/**
 * `KeyValueStorage` over wx storage (sync API: values are small and read at start-up). wx returns
 * `''` for a missing key; that reads as `undefined` here, so `''` itself is never stored.
 */
export function createWxStorage(prefix = ''): KeyValueStorage {
  return {
    get(key) {
      try {
        const value: unknown = wx.getStorageSync(prefix + key);
        return value === '' ? undefined : value;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      try {
        wx.setStorageSync(prefix + key, value);
        return ok(undefined);
      } catch (e) {
        // 10 MB per mini-program: "exceed storage max size" ends up here.
        return err(
          appError('unknown', 'storage write failed', e instanceof Error ? e.message : String(e)),
        );
      }
    },
    remove(key) {
      try {
        wx.removeStorageSync(prefix + key);
      } catch {
        // Nothing stored under the key: nothing to do.
      }
    },
  };
}
