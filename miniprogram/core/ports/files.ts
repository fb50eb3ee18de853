import type { Result } from '../result';

/**
 * Keeps a picked file beyond the app's run. WeChat's temporary files (what `chooseAvatar` hands
 * out) may be cleaned up at any time; `wx.getFileSystemManager().saveFile` in production.
 */
export interface FileKeeper {
  /** Copies a temporary file to where it survives restarts; resolves to the kept path. */
  keep(tempPath: string): Promise<Result<string>>;
  /** Deletes a kept file. A missing file is not an error. */
  discard(path: string): void;
}
