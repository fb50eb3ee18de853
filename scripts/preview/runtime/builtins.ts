/**
 * Working versions of WeChat's built-in components for the preview. simulate registers every
 * built-in as an empty `<slot/>` that drops all attributes; these definitions replace the ones a
 * chat page needs with real DOM: `image` → `<img>`, `input`/`textarea` → native fields wired to
 * `bindinput`/`bindfocus`/`bindblur`/`bindconfirm`, `rich-text` → sanitised nodes, `scroll-view` →
 * a scroll container with `scroll-top`/`scroll-into-view`/`bindscrolltoupper`, plus `hidden` on
 * views. Each is registered under the same id, so every template, including tdesign's, uses it.
 */
import { isLoopbackUrl } from './env';
import type { ComponentThis, ExparserNode, Simulate } from './types';
import { isRecord } from './types';

type Observer = (this: ComponentThis, value: unknown, old: unknown) => void;
interface PropDef {
  type: unknown;
  value?: unknown;
  observer?: Observer;
}
interface BuiltinDef {
  id: string;
  tagName: string;
  template: string;
  properties: Record<string, PropDef>;
  lifetimes?: Record<string, (this: ComponentThis) => void>;
  methods?: Record<string, (this: ComponentThis, ...args: never[]) => unknown>;
  options?: Record<string, unknown>;
}

/** `hidden` is common to all WeChat components; `'false'` (a literal attribute) counts as false. */
function truthy(v: unknown): boolean {
  return (
    v === true || (typeof v === 'string' && v !== 'false') || (typeof v === 'number' && v !== 0)
  );
}

function domOf(self: ComponentThis): HTMLElement | undefined {
  return self._exparserNode.$$;
}

const hiddenProp: PropDef = {
  type: null,
  value: false,
  observer(this: ComponentThis, v: unknown) {
    const el = domOf(this);
    if (el) el.hidden = truthy(v);
  },
};

/** Events raised on an inner native element must look as if they came from the component. */
function linkToHost(inner: HTMLElement, host: ExparserNode): void {
  (inner as unknown as { __wxElement: ExparserNode }).__wxElement = host;
}

/** Resolves an image URL the preview may load: loopback, data:, blob: or root-relative. */
export function safeSrc(src: string, base: string): string | null {
  if (!src) return null;
  if (/^(data|blob):/i.test(src)) return src;
  if (src.startsWith('/') && !src.startsWith('//')) return new URL(`mp${src}`, base).href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//'))
    return isLoopbackUrl(src, base) ? src : null;
  return null;
}

const IMAGE_FIT: Record<string, [string, string]> = {
  scaleToFill: ['fill', 'center'],
  aspectFit: ['contain', 'center'],
  aspectFill: ['cover', 'center'],
  widthFix: ['fill', 'center'],
  heightFix: ['fill', 'center'],
  top: ['none', 'center top'],
  bottom: ['none', 'center bottom'],
  center: ['none', 'center'],
  left: ['none', 'left center'],
  right: ['none', 'right center'],
  'top left': ['none', 'left top'],
  'top right': ['none', 'right top'],
  'bottom left': ['none', 'left bottom'],
  'bottom right': ['none', 'right bottom'],
};

function imageDef(): BuiltinDef {
  const ensure = (self: ComponentThis): HTMLImageElement | null => {
    const host = domOf(self);
    if (!host) return null;
    let img = host.querySelector(':scope > img');
    if (!img) {
      img = document.createElement('img');
      img.setAttribute('alt', '');
      img.setAttribute('draggable', 'false');
      linkToHost(img as HTMLElement, self._exparserNode);
      img.addEventListener('load', () => {
        host.classList.remove('preview-broken');
        const el = img as HTMLImageElement;
        self.triggerEvent('load', { width: el.naturalWidth, height: el.naturalHeight });
      });
      img.addEventListener('error', () => {
        host.classList.add('preview-broken');
        self.triggerEvent('error', { errMsg: 'GET resource failed' });
      });
      host.appendChild(img);
    }
    return img as HTMLImageElement;
  };
  const apply = (self: ComponentThis): void => {
    const img = ensure(self);
    const host = domOf(self);
    if (!img || !host) return;
    const mode =
      typeof self.data.mode === 'string' && self.data.mode ? self.data.mode : 'scaleToFill';
    const [fit, position] = IMAGE_FIT[mode] ?? IMAGE_FIT.scaleToFill;
    img.style.objectFit = fit;
    img.style.objectPosition = position;
    host.dataset.mode = mode;
    const raw = typeof self.data.src === 'string' ? self.data.src : '';
    const src = safeSrc(raw, location.href);
    if (!src) {
      img.removeAttribute('src');
      host.classList.toggle('preview-broken', raw !== '');
      if (raw && host.dataset.warned !== raw) {
        host.dataset.warned = raw;
        console.warn(`[preview] image not loaded (outside loopback): ${raw}`);
        setTimeout(
          () => self.triggerEvent('error', { errMsg: 'preview: only loopback images load' }),
          0,
        );
      }
      return;
    }
    if (img.getAttribute('src') !== src) img.setAttribute('src', src);
  };
  return {
    id: 'image',
    tagName: 'wx-image',
    template: '<slot/>',
    properties: {
      hidden: hiddenProp,
      src: {
        type: String,
        value: '',
        observer(this: ComponentThis) {
          apply(this);
        },
      },
      mode: {
        type: String,
        value: 'scaleToFill',
        observer(this: ComponentThis) {
          apply(this);
        },
      },
      lazyLoad: { type: null, value: false },
      webp: { type: null, value: false },
      showMenuByLongpress: { type: null, value: false },
    },
    lifetimes: {
      attached(this: ComponentThis) {
        apply(this);
      },
    },
  };
}

type FieldKind = 'input' | 'textarea';

function fieldDef(kind: FieldKind): BuiltinDef {
  const ensure = (self: ComponentThis): HTMLInputElement | HTMLTextAreaElement | null => {
    const host = domOf(self);
    if (!host) return null;
    const existing = host.querySelector(`:scope > ${kind}`);
    if (existing) return existing as HTMLInputElement | HTMLTextAreaElement;
    const el = document.createElement(kind);
    // One line to start with: auto-height grows from there, as in WeChat.
    if (el instanceof HTMLTextAreaElement) el.rows = 1;
    linkToHost(el, self._exparserNode);
    const value = (): string => el.value;
    el.addEventListener('input', (e) => {
      if (el instanceof HTMLTextAreaElement && truthy(self.data.autoHeight)) fitHeight(self, el);
      const keyCode = (e as InputEvent).data ? ((e as InputEvent).data ?? '').charCodeAt(0) : 8;
      self.triggerEvent('input', {
        value: value(),
        cursor: el.selectionStart ?? value().length,
        keyCode,
      });
    });
    el.addEventListener('focus', () => {
      self.triggerEvent('focus', { value: value(), height: 0 });
      self.triggerEvent('keyboardheightchange', { height: 0, duration: 0 });
    });
    el.addEventListener('blur', () => {
      // WeChat hands events to the logic layer asynchronously; a blur caused by removing the
      // field (a sheet closing) must not re-render in the middle of that removal.
      const detail = { value: value(), cursor: el.selectionStart ?? 0 };
      setTimeout(() => self.triggerEvent('blur', detail), 0);
    });
    el.addEventListener('keydown', (e) => {
      const k = e as KeyboardEvent;
      if (k.key !== 'Enter' || k.isComposing) return;
      if (
        kind === 'textarea' &&
        !truthy(self.data.confirmHold) &&
        self.data.confirmType !== 'send' &&
        self.data.confirmType !== 'done'
      ) {
        // A plain textarea takes Enter as a newline, as on a phone keyboard's return key.
        return;
      }
      e.preventDefault();
      self.triggerEvent('confirm', { value: value() });
      if (!truthy(self.data.confirmHold)) el.blur();
    });
    // Taps on the field must not turn into page taps that steal focus.
    el.addEventListener('touchend', (e) => e.stopPropagation());
    host.appendChild(el);
    return el;
  };
  const sync = (self: ComponentThis): void => {
    const el = ensure(self);
    if (!el) return;
    const d = self.data;
    const want = d.value === undefined || d.value === null ? '' : String(d.value);
    if (el.value !== want) el.value = want;
    el.placeholder = typeof d.placeholder === 'string' ? d.placeholder : '';
    el.disabled = truthy(d.disabled);
    const max = Number(d.maxlength);
    if (Number.isFinite(max) && max >= 0) el.maxLength = max;
    else el.removeAttribute('maxlength');
    if (el instanceof HTMLInputElement) {
      const type = typeof d.type === 'string' ? d.type : 'text';
      el.type = truthy(d.password) || type === 'safe-password' ? 'password' : 'text';
      el.inputMode = type === 'number' ? 'numeric' : type === 'digit' ? 'decimal' : 'text';
      el.enterKeyHint = typeof d.confirmType === 'string' ? d.confirmType : 'done';
    } else if (truthy(d.autoHeight)) {
      fitHeight(self, el);
    }
    // `placeholder-style` paints the placeholder: its colour reaches `::placeholder` through a
    // custom property (preview-css), so a `var(--theme-token)` in it follows the theme.
    const style = typeof d.placeholderStyle === 'string' ? d.placeholderStyle : '';
    const color = /(?:^|;)\s*color\s*:\s*([^;]+)/i.exec(style)?.[1]?.trim();
    if (color) el.style.setProperty('--wx-placeholder-color', color);
    else el.style.removeProperty('--wx-placeholder-color');
    if ((truthy(d.focus) || truthy(d.autoFocus)) && document.activeElement !== el) {
      setTimeout(() => el.focus(), 0);
    }
  };
  const props: Record<string, PropDef> = {
    hidden: hiddenProp,
    value: { type: null, value: '' },
    placeholder: { type: null, value: '' },
    placeholderStyle: { type: null, value: '' },
    placeholderClass: { type: null, value: '' },
    disabled: { type: null, value: false },
    maxlength: { type: null, value: 140 },
    focus: { type: null, value: false },
    autoFocus: { type: null, value: false },
    confirmType: { type: null, value: kind === 'input' ? 'done' : 'return' },
    confirmHold: { type: null, value: false },
    cursor: { type: null, value: -1 },
    cursorSpacing: { type: null, value: 0 },
    selectionStart: { type: null, value: -1 },
    selectionEnd: { type: null, value: -1 },
    adjustPosition: { type: null, value: true },
    holdKeyboard: { type: null, value: false },
    alwaysEmbed: { type: null, value: false },
    name: { type: null, value: '' },
  };
  if (kind === 'input') {
    props.type = { type: null, value: 'text' };
    props.password = { type: null, value: false };
  } else {
    props.autoHeight = { type: null, value: false };
    props.fixed = { type: null, value: false };
    props.showConfirmBar = { type: null, value: true };
    props.disableDefaultPadding = { type: null, value: false };
  }
  for (const key of Object.keys(props)) {
    if (key === 'hidden') continue;
    props[key] = {
      ...props[key],
      observer(this: ComponentThis) {
        sync(this);
      },
    };
  }
  return {
    id: kind,
    tagName: `wx-${kind}`,
    template: '<slot/>',
    properties: props,
    lifetimes: {
      attached(this: ComponentThis) {
        sync(this);
      },
    },
  };
}

let lastLineCount = new WeakMap<HTMLTextAreaElement, number>();

function fitHeight(self: ComponentThis, el: HTMLTextAreaElement): void {
  const host = domOf(self);
  if (!host) return;
  host.style.height = 'auto';
  el.style.height = 'auto';
  const h = el.scrollHeight;
  el.style.height = `${h}px`;
  host.style.height = `${h}px`;
  const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
  const lineCount = Math.max(1, Math.round(h / lineHeight));
  if (lastLineCount.get(el) !== lineCount) {
    lastLineCount.set(el, lineCount);
    self.triggerEvent('linechange', { height: h, heightRpx: (h * 750) / 375, lineCount });
  }
}

const RICH_TAGS = new Set(
  (
    'a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del details div dl dt em ' +
    'fieldset figcaption figure footer font h1 h2 h3 h4 h5 h6 header hr i img ins label legend li mark nav ol p pre q rt ruby ' +
    's section small span strong sub summary sup table tbody td tfoot th thead tr tt u ul'
  ).split(' '),
);
const RICH_ATTRS = new Set([
  'class',
  'style',
  'src',
  'alt',
  'width',
  'height',
  'colspan',
  'rowspan',
  'align',
  'valign',
  'span',
  'start',
  'type',
  'title',
  'color',
  'size',
  'face',
  'dir',
]);

/** Makes a style attribute safe (no remote loads, no script) and converts rpx. */
function cleanStyle(style: string): string {
  if (/expression\s*\(|javascript:/i.test(style)) return '';
  const noUrls = style.replace(/url\([^)]*\)/gi, 'none');
  const units = (window as unknown as { __PREVIEW_UNITS__?: (s: string) => string })
    .__PREVIEW_UNITS__;
  return units ? units(noUrls) : noUrls;
}

function prefixedClass(cls: string, prefix: string): string {
  const names = cls.split(/\s+/).filter(Boolean);
  return prefix ? names.map((n) => `${n} ${prefix}--${n}`).join(' ') : names.join(' ');
}

function setRichAttr(el: HTMLElement, name: string, value: string, prefix: string): void {
  const key = name.toLowerCase();
  if (!RICH_ATTRS.has(key)) return;
  if (key === 'class') el.setAttribute('class', prefixedClass(value, prefix));
  else if (key === 'style') el.setAttribute('style', cleanStyle(value));
  else if (key === 'src') {
    const src = safeSrc(value, location.href);
    if (src) el.setAttribute('src', src);
  } else el.setAttribute(key, value);
}

/** Builds sanitised DOM from rich-text `nodes` given as WeChat's node array. */
export function richNodesToDom(nodes: unknown, prefix: string, parent: Node): void {
  if (!Array.isArray(nodes)) return;
  for (const node of nodes) {
    if (!isRecord(node)) continue;
    if (node.type === 'text') {
      parent.appendChild(document.createTextNode(typeof node.text === 'string' ? node.text : ''));
      continue;
    }
    const name = typeof node.name === 'string' ? node.name.toLowerCase() : '';
    if (!RICH_TAGS.has(name)) {
      // Unknown tags keep their text (WeChat drops the tag, not the content).
      richNodesToDom(node.children, prefix, parent);
      continue;
    }
    const el = document.createElement(name);
    if (isRecord(node.attrs)) {
      for (const [k, v] of Object.entries(node.attrs)) {
        if (typeof v === 'string' || typeof v === 'number') setRichAttr(el, k, String(v), prefix);
      }
    }
    richNodesToDom(node.children, prefix, el);
    parent.appendChild(el);
  }
}

/** Parses an HTML string and copies only allowed tags/attributes. Scripts and handlers are dropped. */
export function richHtmlToDom(html: string, prefix: string, parent: Node): void {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const copy = (from: Node, to: Node): void => {
    from.childNodes.forEach((child) => {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(child.textContent ?? ''));
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const src = child as Element;
        const name = src.tagName.toLowerCase();
        if (name === 'script' || name === 'style' || name === 'iframe' || name === 'object') return;
        if (!RICH_TAGS.has(name)) {
          copy(src, to);
          return;
        }
        const el = document.createElement(name);
        for (const attr of Array.from(src.attributes))
          setRichAttr(el, attr.name, attr.value, prefix);
        copy(src, el);
        to.appendChild(el);
      }
    });
  };
  copy(doc.body, parent);
}

function ownerPrefix(self: ComponentThis): string {
  try {
    const owner = self._exparserNode.ownerShadowRoot?.getHostNode();
    return owner?.__componentOptions?.classPrefix ?? '';
  } catch {
    return '';
  }
}

function richTextDef(): BuiltinDef {
  const render = (self: ComponentThis): void => {
    const host = domOf(self);
    if (!host) return;
    let box = host.querySelector(':scope > span.preview-rich');
    if (!box) {
      box = document.createElement('span');
      box.className = 'preview-rich';
      linkToHost(box as HTMLElement, self._exparserNode);
      host.appendChild(box);
    }
    box.textContent = '';
    const nodes = self.data.nodes;
    const prefix = ownerPrefix(self);
    if (typeof nodes === 'string') richHtmlToDom(nodes, prefix, box);
    else richNodesToDom(nodes, prefix, box);
  };
  return {
    id: 'rich-text',
    tagName: 'wx-rich-text',
    template: '<slot/>',
    properties: {
      hidden: hiddenProp,
      nodes: {
        type: null,
        value: [],
        observer(this: ComponentThis) {
          render(this);
        },
      },
      space: { type: null, value: '' },
      userSelect: { type: null, value: false },
    },
    lifetimes: {
      attached(this: ComponentThis) {
        render(this);
      },
    },
  };
}

function scrollViewDef(): BuiltinDef {
  const state = new WeakMap<
    HTMLElement,
    { upper: boolean; lower: boolean; lastTop: number; lastLeft: number }
  >();
  const setup = (self: ComponentThis): void => {
    const host = domOf(self);
    if (!host) return;
    const d = self.data;
    host.toggleAttribute('data-scroll-y', truthy(d.scrollY));
    host.toggleAttribute('data-scroll-x', truthy(d.scrollX));
    host.toggleAttribute('data-flex', truthy(d.enableFlex));
    if (state.has(host)) return;
    state.set(host, { upper: true, lower: false, lastTop: 0, lastLeft: 0 });
    host.addEventListener('scroll', () => {
      const s = state.get(host);
      if (!s) return;
      const upperT = Number(self.data.upperThreshold) || 50;
      const lowerT = Number(self.data.lowerThreshold) || 50;
      const vertical = truthy(self.data.scrollY);
      const pos = vertical ? host.scrollTop : host.scrollLeft;
      const max = vertical
        ? host.scrollHeight - host.clientHeight
        : host.scrollWidth - host.clientWidth;
      const goingBack = pos < (vertical ? s.lastTop : s.lastLeft);
      s.lastTop = host.scrollTop;
      s.lastLeft = host.scrollLeft;
      const atUpper = pos <= upperT;
      const atLower = max - pos <= lowerT;
      if (atUpper && !s.upper && goingBack)
        self.triggerEvent('scrolltoupper', { direction: vertical ? 'top' : 'left' });
      if (atLower && !s.lower && !goingBack)
        self.triggerEvent('scrolltolower', { direction: vertical ? 'bottom' : 'right' });
      s.upper = atUpper;
      s.lower = atLower;
    });
  };
  /** Content set in the same setData renders after the observer runs: scroll once it is there. */
  const later = (fn: () => void): void => {
    setTimeout(fn, 0);
  };
  const scrollTo = (self: ComponentThis, top: number | null, left: number | null): void => {
    const host = domOf(self);
    if (!host) return;
    later(() => {
      const behavior: ScrollBehavior = truthy(self.data.scrollWithAnimation) ? 'smooth' : 'auto';
      const opts: ScrollToOptions = { behavior };
      if (top !== null) opts.top = top;
      if (left !== null) opts.left = left;
      host.scrollTo(opts);
    });
  };
  return {
    id: 'scroll-view',
    tagName: 'wx-scroll-view',
    template: '<slot/>',
    properties: {
      hidden: hiddenProp,
      scrollX: {
        type: null,
        value: false,
        observer(this: ComponentThis) {
          setup(this);
        },
      },
      scrollY: {
        type: null,
        value: false,
        observer(this: ComponentThis) {
          setup(this);
        },
      },
      enableFlex: {
        type: null,
        value: false,
        observer(this: ComponentThis) {
          setup(this);
        },
      },
      upperThreshold: { type: null, value: 50 },
      lowerThreshold: { type: null, value: 50 },
      scrollWithAnimation: { type: null, value: false },
      enableBackToTop: { type: null, value: false },
      enhanced: { type: null, value: false },
      showScrollbar: { type: null, value: true },
      refresherEnabled: { type: null, value: false },
      type: { type: null, value: 'list' },
      scrollTop: {
        type: null,
        value: null,
        observer(this: ComponentThis, v: unknown) {
          const n = Number(v);
          if (v !== null && v !== '' && Number.isFinite(n)) scrollTo(this, n, null);
        },
      },
      scrollLeft: {
        type: null,
        value: null,
        observer(this: ComponentThis, v: unknown) {
          const n = Number(v);
          if (v !== null && v !== '' && Number.isFinite(n)) scrollTo(this, null, n);
        },
      },
      scrollIntoView: {
        type: null,
        value: '',
        observer(this: ComponentThis, v: unknown) {
          if (typeof v !== 'string' || !v) return;
          later(() => {
            const host = domOf(this);
            const target = this._exparserNode.ownerShadowRoot?.getElementById(v)?.$$;
            if (!host || !target) return;
            const delta = target.getBoundingClientRect().top - host.getBoundingClientRect().top;
            host.scrollTo({
              top: host.scrollTop + delta,
              behavior: truthy(this.data.scrollWithAnimation) ? 'smooth' : 'auto',
            });
          });
        },
      },
    },
    lifetimes: {
      attached(this: ComponentThis) {
        setup(this);
      },
    },
  };
}

function navigatorDef(
  navigate: (url: string, openType: string, delta: number) => void,
): BuiltinDef {
  return {
    id: 'navigator',
    tagName: 'wx-navigator',
    template: '<slot/>',
    properties: {
      hidden: hiddenProp,
      url: { type: null, value: '' },
      openType: { type: null, value: 'navigate' },
      delta: { type: null, value: 1 },
      hoverClass: { type: null, value: '' },
    },
    lifetimes: {
      attached(this: ComponentThis) {
        this._exparserNode.addListener?.('tap', () => {
          navigate(
            String(this.data.url ?? ''),
            String(this.data.openType ?? 'navigate'),
            Number(this.data.delta) || 1,
          );
        });
      },
    },
  };
}

/** Open page-containers: WeChat closes one of these instead of the page on back. */
const openContainers = new Set<ComponentThis>();

/**
 * `page-container`: rendered with its `custom-style` while shown. Its real job in a page is
 * catching the back gesture; {@link interceptBack} does that for the preview's back arrow.
 */
function pageContainerDef(): BuiltinDef {
  const sync = (self: ComponentThis): void => {
    const el = domOf(self);
    const shown = truthy(self.data.show);
    if (shown) openContainers.add(self);
    else openContainers.delete(self);
    if (!el) return;
    el.style.cssText = shown ? String(self.data.customStyle ?? '') : '';
    el.style.display = shown ? el.style.display || 'block' : 'none';
  };
  const observer = function (this: ComponentThis): void {
    sync(this);
  };
  return {
    id: 'page-container',
    tagName: 'wx-page-container',
    template: '<slot/>',
    properties: {
      show: { type: null, value: false, observer },
      customStyle: { type: null, value: '', observer },
      duration: { type: null, value: 300 },
      zIndex: { type: null, value: 100 },
      overlay: { type: null, value: true },
      position: { type: null, value: 'bottom' },
      round: { type: null, value: false },
      closeOnSlideDown: { type: null, value: false },
      overlayStyle: { type: null, value: '' },
    },
    lifetimes: {
      attached(this: ComponentThis) {
        sync(this);
      },
      detached(this: ComponentThis) {
        openContainers.delete(this);
      },
    },
  };
}

/**
 * The back arrow was pressed on the page rendered in `pageEl`: if a page-container is shown there,
 * it closes instead (beforeleave → leave → afterleave, as WeChat fires them) and the page stays.
 */
export function interceptBack(pageEl: HTMLElement): boolean {
  for (const container of openContainers) {
    const el = domOf(container);
    if (!el || !pageEl.contains(el)) continue;
    openContainers.delete(container);
    el.style.display = 'none';
    for (const name of ['beforeleave', 'leave', 'afterleave']) container.triggerEvent(name, {});
    return true;
  }
  return false;
}

/** Mirrors an `aria-*` property into a DOM attribute (`role` for aria-role), so a11y checks see it. */
function ariaProp(attr: string): PropDef {
  return {
    type: null,
    value: null,
    observer(this: ComponentThis, v: unknown) {
      const el = domOf(this);
      if (!el) return;
      if (v === null || v === undefined || v === '') el.removeAttribute(attr);
      else el.setAttribute(attr, String(v));
    },
  };
}

/** WeChat's accessibility attributes on every plain element. */
const ARIA_PROPS: Record<string, PropDef> = {
  ariaRole: ariaProp('role'),
  ariaLabel: ariaProp('aria-label'),
  ariaDisabled: ariaProp('aria-disabled'),
  ariaHidden: ariaProp('aria-hidden'),
  ariaChecked: ariaProp('aria-checked'),
  ariaSelected: ariaProp('aria-selected'),
};

function plainDef(name: string, extra: Record<string, PropDef> = {}): BuiltinDef {
  return {
    id: name,
    tagName: `wx-${name}`,
    template: '<slot/>',
    properties: { hidden: hiddenProp, ...ARIA_PROPS, ...extra },
  };
}

function reflectAttr(attr: string): PropDef {
  return {
    type: null,
    value: false,
    observer(this: ComponentThis, v: unknown) {
      domOf(this)?.toggleAttribute(attr, truthy(v));
    },
  };
}

/**
 * `button`: a plain box, except `open-type="chooseAvatar"`, which WeChat answers with the picture
 * the user picked; the preview hands out `avatarUrl` (a loopback sample) on tap.
 */
function buttonDef(avatarUrl: string): BuiltinDef {
  return {
    ...plainDef('button', {
      disabled: reflectAttr('disabled'),
      loading: { type: null },
      openType: { type: null },
      formType: { type: null },
    }),
    lifetimes: {
      attached(this: ComponentThis) {
        this._exparserNode.addListener?.('tap', () => {
          if (this.data.openType === 'chooseAvatar' && !truthy(this.data.disabled)) {
            this.triggerEvent('chooseavatar', { avatarUrl });
          }
        });
      },
    },
  };
}

/**
 * Registers the working built-ins with simulate. Must run before the first page loads (templates
 * resolve built-in tags when a component instance is created).
 */
export function registerBuiltins(
  simulate: Simulate,
  navigate: (url: string, openType: string, delta: number) => void,
  avatarUrl: string,
): void {
  lastLineCount = new WeakMap();
  openContainers.clear();
  const defs: BuiltinDef[] = [
    plainDef('view'),
    plainDef('text'),
    plainDef('label'),
    plainDef('cover-view'),
    buttonDef(avatarUrl),
    imageDef(),
    fieldDef('input'),
    fieldDef('textarea'),
    richTextDef(),
    scrollViewDef(),
    navigatorDef(navigate),
    pageContainerDef(),
  ];
  for (const def of defs) simulate.load(def as unknown as Record<string, unknown>);
}
