/**
 * Visible stand-ins for WeChat's native UI: toast, loading, modal, action sheet and image preview,
 * drawn inside the phone frame (`#overlay-host`). At most one toast/loading at a time, like WeChat.
 */

export interface ToastOptions {
  title: string;
  icon: 'success' | 'error' | 'loading' | 'none';
  image?: string;
  duration: number;
  mask: boolean;
}

export interface ModalOptions {
  title: string;
  content: string;
  showCancel: boolean;
  cancelText: string;
  cancelColor: string;
  confirmText: string;
  confirmColor: string;
  editable: boolean;
  placeholderText: string;
}

export interface ModalResult {
  confirm: boolean;
  cancel: boolean;
  content?: string;
}

function host(): HTMLElement {
  const el = document.getElementById('overlay-host');
  if (el) return el;
  const created = document.createElement('div');
  created.id = 'overlay-host';
  document.body.appendChild(created);
  return created;
}

function div(className: string, text?: string): HTMLDivElement {
  const el = document.createElement('div');
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A click or a touch tap (simulated taps send both: handle the first only). */
function onActivate(el: HTMLElement, fn: () => void): void {
  let done = false;
  const fire = (e: Event): void => {
    e.preventDefault();
    e.stopPropagation();
    if (done) return;
    done = true;
    fn();
  };
  el.addEventListener('click', fire);
  el.addEventListener('touchend', fire);
}

let toastEl: HTMLElement | null = null;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** Shows a toast or loading box (a loading box stays until hidden). Replaces the current one. */
export function showToast(o: ToastOptions, kind: 'toast' | 'loading' = 'toast'): void {
  hideToast();
  const wrap = div(`pv-toast-wrap pv-kind-${kind}`);
  wrap.setAttribute('role', 'status');
  wrap.dataset.kind = kind;
  if (o.mask) wrap.appendChild(div('pv-mask'));
  const withIcon = o.icon !== 'none' || Boolean(o.image);
  const box = div(withIcon ? 'pv-toast pv-with-icon' : 'pv-toast');
  if (o.image) {
    const img = document.createElement('img');
    img.src = o.image;
    box.appendChild(img);
  } else if (withIcon) {
    box.appendChild(div(`pv-toast-icon pv-icon-${o.icon}`));
  }
  box.appendChild(div('pv-toast-title', o.title));
  wrap.appendChild(box);
  if (!o.mask) wrap.style.pointerEvents = 'none';
  host().appendChild(wrap);
  toastEl = wrap;
  if (kind === 'toast') toastTimer = setTimeout(hideToast, Math.max(0, o.duration));
}

/** Hides the toast or loading box if `kind` matches (or any when omitted). */
export function hideToast(kind?: 'toast' | 'loading'): void {
  if (!toastEl) return;
  if (kind && toastEl.dataset.kind !== kind) return;
  if (toastTimer) clearTimeout(toastTimer);
  toastTimer = undefined;
  toastEl.remove();
  toastEl = null;
}

/** Opens a modal; resolves when a button is pressed. */
export function showModal(o: ModalOptions): Promise<ModalResult> {
  return new Promise((resolve) => {
    const wrap = div('pv-modal-wrap');
    wrap.setAttribute('role', 'dialog');
    wrap.appendChild(div('pv-mask pv-dim'));
    const box = div('pv-modal');
    box.appendChild(div('pv-modal-title', o.title));
    let input: HTMLInputElement | null = null;
    if (o.editable) {
      input = document.createElement('input');
      input.className = 'pv-modal-input';
      input.placeholder = o.placeholderText;
      input.value = o.content;
      box.appendChild(input);
    } else {
      box.appendChild(div('pv-modal-content', o.content));
    }
    const buttons = div('pv-modal-buttons');
    const finish = (confirm: boolean): void => {
      wrap.remove();
      resolve(
        o.editable
          ? { confirm, cancel: !confirm, content: input ? input.value : '' }
          : { confirm, cancel: !confirm },
      );
    };
    if (o.showCancel) {
      const cancel = div('pv-modal-cancel', o.cancelText);
      cancel.style.color = o.cancelColor;
      onActivate(cancel, () => finish(false));
      buttons.appendChild(cancel);
    }
    const confirm = div('pv-modal-confirm', o.confirmText);
    confirm.style.color = o.confirmColor;
    onActivate(confirm, () => finish(true));
    buttons.appendChild(confirm);
    box.appendChild(buttons);
    wrap.appendChild(box);
    host().appendChild(wrap);
  });
}

/** Opens an action sheet; resolves with the tapped index, or -1 on cancel. */
export function showActionSheet(items: string[], itemColor: string): Promise<number> {
  return new Promise((resolve) => {
    const wrap = div('pv-sheet-wrap');
    const mask = div('pv-mask pv-dim');
    const sheet = div('pv-sheet');
    const finish = (index: number): void => {
      wrap.remove();
      resolve(index);
    };
    items.forEach((text, index) => {
      const item = div('pv-sheet-item', text);
      item.style.color = itemColor;
      onActivate(item, () => finish(index));
      sheet.appendChild(item);
    });
    const cancel = div('pv-sheet-cancel', '取消');
    onActivate(cancel, () => finish(-1));
    onActivate(mask, () => finish(-1));
    sheet.appendChild(cancel);
    wrap.appendChild(mask);
    wrap.appendChild(sheet);
    host().appendChild(wrap);
  });
}

/** Full-screen image viewer; a tap closes it. */
export function previewImage(src: string): void {
  const wrap = div('pv-image-viewer');
  const img = document.createElement('img');
  img.src = src;
  wrap.appendChild(img);
  onActivate(wrap, () => wrap.remove());
  host().appendChild(wrap);
}
