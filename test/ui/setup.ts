/* miniprogram-simulate defines Component/Behavior and a stub `wx`; pages here are Component()s, but
 * App/Page/getApp/getCurrentPages still need shims. */
type Def = Record<string, unknown>;
const g = globalThis as unknown as Record<string, unknown>;

g.Page = (def: Def) => {
  const { data, options, behaviors, ...rest } = def;
  const methods: Def = {};
  const extra: Def = {};
  for (const [k, v] of Object.entries(rest)) (typeof v === 'function' ? methods : extra)[k] = v;
  const component = g.Component as (d: Def) => unknown;
  return component({
    data,
    options,
    behaviors,
    methods,
    lifetimes: {
      created(this: Def) {
        Object.assign(this, extra);
      },
    },
  });
};
g.App = jest.fn();
g.getApp = jest.fn(() => ({ globalData: {} }));
g.getCurrentPages = jest.fn(() => []);
