import type { FileKeeper } from '../core/ports/files';
import { appError, err, ok } from '../core/result';

/**
 * `FileKeeper` over the mini-program's user-data folder. `saveFile` moves a temporary file into
 * it (10 MB per mini-program, like storage); each kept file gets a new name, so an image the
 * page still shows is never overwritten under it.
 */
export function createWxFiles(): FileKeeper {
  return {
    keep(tempPath) {
      return new Promise((resolve) => {
        const ext = /\.(jpe?g|png|gif|webp)$/i.exec(tempPath)?.[0] ?? '.jpg';
        const fs = wx.getFileSystemManager();
        fs.saveFile({
          tempFilePath: tempPath,
          filePath: `${wx.env.USER_DATA_PATH}/cs-avatar-${Date.now().toString(36)}${ext}`,
          success: (res) => resolve(ok(res.savedFilePath)),
          fail: (e) => resolve(err(appError('unknown', 'saveFile failed', e.errMsg))),
        });
      });
    },
    discard(path) {
      if (!path.startsWith(wx.env.USER_DATA_PATH)) return;
      wx.getFileSystemManager().unlink({ filePath: path, fail: () => undefined });
    },
  };
}
