import type { FileKeeper } from '../../miniprogram/core/ports/files';
import { appError, err, ok } from '../../miniprogram/core/result';
import type { Result } from '../../miniprogram/core/result';

/**
 * A user-data folder in memory: `keep` copies a temporary path to a new kept path (as saveFile
 * does), `discard` deletes it; `kept` is what is there now.
 */
export class FakeFiles implements FileKeeper {
  readonly kept = new Set<string>();
  /** When set, `keep` fails (disk full). */
  failKeep = false;
  private n = 0;

  async keep(tempPath: string): Promise<Result<string>> {
    if (this.failKeep) return err(appError('unknown', 'saveFile: disk full'));
    this.n += 1;
    const path = `wxfile://usr/cs-avatar-${this.n}-${tempPath.split('/').pop() ?? ''}`;
    this.kept.add(path);
    return ok(path);
  }

  discard(path: string): void {
    this.kept.delete(path);
  }
}
