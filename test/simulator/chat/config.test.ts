import { readEnvOverrides } from '../../../simulator/config';

describe('readEnvOverrides', () => {
  it('reads the four SIMULATOR_* variables', () => {
    expect(
      readEnvOverrides({
        SIMULATOR_PORT: '9400',
        SIMULATOR_SDKAPPID: '1400000042',
        SIMULATOR_SECRET_KEY: 'k',
        SIMULATOR_DATA: '/tmp/x.json',
      }),
    ).toEqual({
      overrides: { port: 9400, sdkAppID: 1400000042, secretKey: 'k', persistFile: '/tmp/x.json' },
      errors: [],
    });
  });

  it('reports invalid numbers instead of using them', () => {
    const r = readEnvOverrides({ SIMULATOR_PORT: '70000', SIMULATOR_SDKAPPID: 'abc' });
    expect(r.overrides).toEqual({});
    expect(r.errors).toHaveLength(2);
  });

  it('ignores empty and absent variables', () => {
    expect(readEnvOverrides({ SIMULATOR_PORT: '' })).toEqual({ overrides: {}, errors: [] });
  });
});
