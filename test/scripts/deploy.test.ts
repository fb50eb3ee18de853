import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const script = path.resolve(__dirname, '../../scripts/deploy.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkDeploy } = require(script) as {
  checkDeploy: (
    command: string,
    args: string[],
    env: Record<string, string | undefined>,
  ) => string[];
};

describe('deploy (npm run preview / upload)', () => {
  it('explains every missing variable and exits 2 without touching the network', () => {
    const res = spawnSync(process.execPath, [script, 'preview'], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('MP_APPID is not set');
    expect(res.stderr).toContain('MP_PRIVATE_KEY_PATH is not set');
  });

  it('checks the appid shape, the key file and the upload arguments', () => {
    const key = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-')), 'k.pem');
    fs.writeFileSync(key, 'x');
    const env = { MP_APPID: 'wx0123456789abcdef', MP_PRIVATE_KEY_PATH: key };
    expect(checkDeploy('preview', [], env)).toEqual([]);
    expect(checkDeploy('preview', [], { ...env, MP_APPID: 'nope' })[0]).toMatch(
      /does not look like an appid/,
    );
    expect(
      checkDeploy('preview', [], { ...env, MP_PRIVATE_KEY_PATH: key + '.missing' })[0],
    ).toMatch(/no file/);
    expect(checkDeploy('upload', [], env)).toHaveLength(2);
    expect(checkDeploy('upload', ['1.2'], env)[0]).toMatch(/not x\.y\.z/);
    expect(checkDeploy('upload', ['1.2.3', 'fix'], env)).toEqual([]);
    expect(checkDeploy('ship', [], env)[0]).toMatch(/unknown command/);
  });
});
