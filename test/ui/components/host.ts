/**
 * Renders one component inside a host template that binds every event the component may emit, the
 * way a page would, so tests see what actually reaches the parent (name, detail, bubbling).
 */
import fs from 'fs';
import path from 'path';
import simulate from 'miniprogram-simulate';
import { MP_ROOT } from '../load';

export interface Recorded {
  type: string;
  detail: unknown;
}

export interface Hosted {
  host: ReturnType<typeof simulate.render>;
  /** The component under test (a simulate component wrapper). */
  subject: ReturnType<typeof simulate.render>;
  events: Recorded[];
  /** Sets properties on the subject through the host's data, like a page `setData`. */
  update(props: Record<string, unknown>): Promise<void>;
}

const loaded = new Map<string, string>();

/** `usingComponents` of a component as root-absolute paths, the way WeChat resolves them. */
function ownUsing(absPath: string): Record<string, string> {
  const json = JSON.parse(fs.readFileSync(`${absPath}.json`, 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const out: Record<string, string> = {};
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    if (target.startsWith('/')) out[tag] = target;
    else if (target.startsWith('.'))
      out[tag] = '/' + path.relative(MP_ROOT, path.resolve(path.dirname(absPath), target));
    else out[tag] = `/miniprogram_npm/${target}`;
  }
  return out;
}

/**
 * Every tag used anywhere below `relPath` among our own components. simulate resolves only the
 * top-level overrides and applies them to nested components too, so npm names used by a nested
 * component (`t-button` inside `form-card` inside `tccc-message`) must be given here.
 */
function treeUsing(relPath: string): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  const visit = (rootRel: string): void => {
    if (seen.has(rootRel)) return;
    seen.add(rootRel);
    for (const [tag, target] of Object.entries(ownUsing(path.join(MP_ROOT, rootRel)))) {
      if (out[tag] && out[tag] !== target) throw new Error(`tag ${tag} means two components`);
      out[tag] = target;
      if (!target.startsWith('/miniprogram_npm/')) visit(target.slice(1));
    }
  };
  visit(relPath);
  return out;
}

/** Loads a component once per test file (a second `simulate.load` of one path fails). */
export function componentId(relPath: string): string {
  let id = loaded.get(relPath);
  if (!id) {
    id = simulate.load(path.join(MP_ROOT, relPath), {
      rootPath: MP_ROOT,
      usingComponents: treeUsing(relPath),
    });
    loaded.set(relPath, id);
  }
  return id;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Mounts `relPath` (e.g. `components/menu-card/menu-card`) with `props`, binding `events` to a
 * recorder. Waits for the first render.
 */
export async function mountHost(
  relPath: string,
  props: Record<string, unknown>,
  events: readonly string[],
): Promise<Hosted> {
  const tag = 'subject-under-test';
  const attrs = Object.keys(props)
    .map((name) => `${kebab(name)}="{{${name}}}"`)
    .join(' ');
  const binds = events.map((name) => `bind:${name}="record"`).join(' ');
  const recorded: Recorded[] = [];
  const hostId = simulate.load({
    template: `<${tag} id="subject" ${attrs} ${binds}></${tag}>`,
    usingComponents: { [tag]: componentId(relPath) },
    data: { ...props },
    methods: {
      record(e: { type: string; detail: unknown }) {
        recorded.push({ type: e.type, detail: e.detail });
      },
    },
  });
  const host = simulate.render(hostId);
  host.attach(document.createElement('parent-wrapper'));
  await simulate.sleep(0);
  const subject = host.querySelector('#subject') as unknown as ReturnType<typeof simulate.render>;
  return {
    host,
    subject,
    events: recorded,
    async update(next) {
      host.setData(next);
      await simulate.sleep(0);
    },
  };
}

type Wrapper = ReturnType<typeof simulate.render>;

/** The element or nested component matching `selector` inside `within`; throws when absent. */
export function find(within: Wrapper, selector: string): Wrapper {
  const found = within.querySelector(selector) as unknown as Wrapper | undefined;
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

/** All elements matching `selector` inside `within` (not crossing into nested components). */
export function findAll(within: Wrapper, selector: string): Wrapper[] {
  return within.querySelectorAll(selector) as unknown as Wrapper[];
}

/** Dispatches `name` on an element and lets the handlers run. */
export async function fire(el: Wrapper, name: string, detail?: object): Promise<void> {
  el.dispatchEvent(name, detail ? { detail } : {});
  await simulate.sleep(0);
}

/** Taps an element (or the inner `.t-button` of a virtual-host tdesign button). */
export async function tap(
  el: { dispatchEvent(name: string, options?: object): void } | null,
): Promise<void> {
  if (!el) throw new Error('nothing to tap');
  el.dispatchEvent('tap');
  await simulate.sleep(0);
}
