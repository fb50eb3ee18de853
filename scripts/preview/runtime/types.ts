/**
 * The slices of miniprogram-simulate's browser build (`window.simulate`) and of the exparser
 * nodes behind it that the preview runtime touches. Nothing here is public simulate API beyond
 * `load`/`render`; the exparser fields are read defensively.
 */

/** An exparser node (component, virtual node or text) as far as the runtime uses it. */
export interface ExparserNode {
  $$?: HTMLElement;
  id?: string;
  ownerShadowRoot?: {
    getElementById(id: string): ExparserNode | undefined;
    getHostNode(): ExparserNode;
  } | null;
  __componentOptions?: { classPrefix?: string };
  addListener?(name: string, fn: (e: unknown) => unknown): void;
}

/** The `this` of a component's methods and lifetimes in j-component. */
export interface ComponentThis {
  data: Record<string, unknown>;
  properties: Record<string, unknown>;
  _exparserNode: ExparserNode;
  setData(data: Record<string, unknown>, cb?: () => void): void;
  triggerEvent(name: string, detail?: unknown, options?: Record<string, unknown>): void;
  createSelectorQuery?(): unknown;
  [key: string]: unknown;
}

export interface RootComponent {
  readonly dom: HTMLElement;
  readonly instance: ComponentThis;
  readonly data: Record<string, unknown>;
  attach(parent: Element): void;
  detach(): void;
  triggerPageLifeTime(name: string, ...args: unknown[]): void;
}

export interface Simulate {
  load(
    pathOrDefinition: string | Record<string, unknown>,
    tagName?: string | Record<string, unknown>,
    options?: Record<string, unknown>,
  ): string;
  render(id: string, properties?: Record<string, unknown>): RootComponent;
}

export type WindowConfig = {
  navigationBarTitleText?: string;
  navigationBarBackgroundColor?: string;
  navigationBarTextStyle?: string;
  backgroundColor?: string;
  navigationStyle?: string;
};

/** Written by the build into files.js. */
export interface PreviewApp {
  appId: string;
  pages: string[];
  window: WindowConfig;
  pageWindows: Record<string, WindowConfig>;
  appWxss: string;
  hasApp: boolean;
  /** theme.json: `@name` values of window settings per scheme. */
  themeVars?: { light: Record<string, string>; dark: Record<string, string> };
}

export type Callback = (...args: unknown[]) => unknown;
export type Options = Record<string, unknown>;

/** Reads a function-valued option, or undefined. */
export function fnOf(o: Options | undefined, key: string): Callback | undefined {
  const v = o ? o[key] : undefined;
  return typeof v === 'function' ? (v as Callback) : undefined;
}

export function strOf(o: Options | undefined, key: string, fallback = ''): string {
  const v = o ? o[key] : undefined;
  return typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v);
}

export function numOf(o: Options | undefined, key: string, fallback: number): number {
  const v = o ? o[key] : undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

export function boolOf(o: Options | undefined, key: string, fallback = false): boolean {
  const v = o ? o[key] : undefined;
  return typeof v === 'boolean' ? v : v === undefined ? fallback : Boolean(v) && v !== 'false';
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
