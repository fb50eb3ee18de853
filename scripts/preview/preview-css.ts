/**
 * The preview's own stylesheet: WeChat's defaults for built-in components (simulate renders them as
 * bare `wx-*` elements), the phone frame with status and navigation bars, and the toast / loading /
 * modal overlays. Sizes follow WeChat on a 375 pt iPhone.
 */
export const PREVIEW_CSS = `
:root { --status-h: 20px; --nav-h: 44px; --home-h: 16px; --phone-w: 375px; }
* { -webkit-tap-highlight-color: transparent; }
html, body { margin: 0; height: 100%; }
body {
  background: #dfe3e8;
  font-family: 'PingFang SC', -apple-system, 'Helvetica Neue', sans-serif;
  -webkit-font-smoothing: antialiased;
}
#preview-shell { min-height: 100%; display: flex; align-items: center; justify-content: center; gap: 32px; }
#phone {
  position: relative; width: var(--phone-w); height: min(760px, calc(100vh - 48px));
  background: #fff; overflow: hidden; border-radius: 36px;
  box-shadow: 0 0 0 10px #1c1c1e, 0 18px 48px rgba(0, 0, 0, .35);
  display: flex; flex-direction: column; isolation: isolate;
}
#preview-side { width: 240px; font-size: 14px; color: #333; line-height: 1.6; }
#preview-side h1 { font-size: 16px; margin: 0 0 8px; }
#preview-side a { color: #0052d9; display: block; margin: 4px 0; }
#preview-side p { color: #777; margin: 12px 0 0; font-size: 12px; }
@media (max-width: 480px) {
  body { background: #fff; }
  #preview-shell { display: block; height: 100%; }
  #phone { width: 100vw; height: 100%; border-radius: 0; box-shadow: none; }
  #preview-side { display: none; }
}
#status-bar {
  height: var(--status-h); flex: none; display: flex; align-items: center; justify-content: space-between;
  padding: 0 14px 0 18px; font-size: 12px; font-weight: 600; box-sizing: border-box;
}
.sb-icons { display: flex; gap: 5px; align-items: center; }
.sb-icons i { display: block; background: currentColor; }
.sb-signal { width: 16px; height: 9px; clip-path: polygon(0 100%, 100% 0, 100% 100%); }
.sb-wifi { width: 13px; height: 9px; border-radius: 13px 13px 0 0; clip-path: polygon(50% 100%, 0 20%, 100% 20%); }
.sb-battery { width: 22px; height: 10px; border-radius: 3px; opacity: .9; }
#nav-bar {
  height: var(--nav-h); flex: none; position: relative; display: flex; align-items: center; justify-content: center;
  box-sizing: border-box; font-size: 17px; font-weight: 600;
}
#nav-bar.nav-custom { display: none; }
#nav-title { max-width: 200px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#nav-bar.nav-loading #nav-title::before {
  content: ''; display: inline-block; width: 14px; height: 14px; margin-right: 6px; vertical-align: -2px;
  border: 2px solid currentColor; border-right-color: transparent; border-radius: 50%;
  animation: preview-spin .8s linear infinite;
}
#nav-back { position: absolute; left: 0; top: 0; width: 44px; height: 44px; cursor: pointer; }
#nav-back::before {
  content: ''; position: absolute; left: 16px; top: 15px; width: 12px; height: 12px;
  border-left: 2px solid currentColor; border-bottom: 2px solid currentColor; transform: rotate(45deg);
}
#nav-back[hidden] { display: none; }
#nav-capsule {
  position: absolute; right: 7px; top: 6px; width: 87px; height: 32px; box-sizing: border-box;
  border: .5px solid rgba(0, 0, 0, .12); border-radius: 16px; background: rgba(255, 255, 255, .6);
  display: flex; align-items: center; justify-content: space-around;
}
#nav-bar.nav-white #nav-capsule { border-color: rgba(255, 255, 255, .3); background: rgba(0, 0, 0, .15); }
.cap-dots { width: 18px; height: 4px; background: radial-gradient(circle, currentColor 2px, transparent 2.5px) 0 0/6px 4px repeat-x; }
.cap-dots { height: 6px; background-size: 6px 6px; }
.cap-sep { width: 1px; height: 18px; background: currentColor; opacity: .15; }
.cap-close { width: 14px; height: 14px; border: 2px solid currentColor; border-radius: 50%; box-sizing: border-box; position: relative; }
.cap-close::after { content: ''; position: absolute; left: 3px; top: 3px; width: 4px; height: 4px; background: currentColor; border-radius: 50%; }
#page-host { position: relative; flex: 1; overflow: hidden; }
#home-bar { height: var(--home-h); flex: none; display: flex; align-items: center; justify-content: center; }
#home-bar span { width: 134px; height: 5px; border-radius: 3px; background: #111; opacity: .85; transform: translateY(2px); }
#page-host > page {
  position: absolute; inset: 0; display: block; overflow-y: auto; overflow-x: hidden;
  overscroll-behavior: contain; scrollbar-width: none;
}
#page-host > page::-webkit-scrollbar { display: none; }
#page-host > page[hidden] { display: none; }
#page-host > page > main { display: block; min-height: 100%; }

/* WeChat's built-in component defaults */
wx-view, wx-cover-view, wx-form, wx-navigator, wx-swiper, wx-swiper-item, wx-movable-area,
wx-root-portal, wx-page-container, wx-block { display: block; }
wx-text, wx-label, wx-rich-text { display: inline; }
wx-text { white-space: pre-line; }
[hidden] { display: none !important; }
wx-image { display: inline-block; position: relative; overflow: hidden; width: 320px; height: 240px; }
wx-image > img { display: block; width: 100%; height: 100%; user-select: none; -webkit-user-drag: none; }
wx-image[data-mode='widthFix'] { height: auto !important; }
wx-image[data-mode='widthFix'] > img { height: auto; }
wx-image[data-mode='heightFix'] { width: auto !important; }
wx-image[data-mode='heightFix'] > img { width: auto; }
wx-image.preview-broken > img { visibility: hidden; }
wx-image.preview-broken { background: #eee linear-gradient(135deg, transparent 48%, #ddd 48%, #ddd 52%, transparent 52%); }
wx-input { display: block; height: 1.4rem; min-height: 1.4rem; overflow: hidden; white-space: nowrap; cursor: auto; }
wx-textarea { display: block; position: relative; width: 300px; height: 150px; cursor: auto; }
wx-input > input, wx-textarea > textarea {
  display: block; box-sizing: border-box; width: 100%; height: 100%; margin: 0; padding: 0; border: 0; outline: 0;
  background: transparent; color: inherit; font: inherit; line-height: inherit; text-align: inherit;
  resize: none; caret-color: currentColor;
}
wx-input > input::placeholder, wx-textarea > textarea::placeholder { color: var(--wx-placeholder-color, rgba(0, 0, 0, .4)); }
wx-scroll-view { display: block; position: relative; width: 100%; overscroll-behavior: contain; scrollbar-width: none; }
wx-scroll-view::-webkit-scrollbar { display: none; }
wx-scroll-view[data-scroll-y] { overflow-y: auto; }
wx-scroll-view[data-scroll-x] { overflow-x: auto; white-space: nowrap; }
wx-scroll-view:not([data-scroll-x]) { overflow-x: hidden; }
wx-scroll-view:not([data-scroll-y]) { overflow-y: hidden; }
wx-scroll-view[data-flex] { display: flex; }
wx-rich-text img { max-width: 100%; }
wx-rich-text pre { white-space: pre-wrap; }
wx-button {
  position: relative; display: block; margin-left: auto; margin-right: auto; padding-left: 14px; padding-right: 14px;
  box-sizing: border-box; font-size: 18px; text-align: center; text-decoration: none; line-height: 2.55555556;
  border-radius: 5px; overflow: hidden; color: #000; background-color: #f8f8f8; cursor: pointer; user-select: none;
}
wx-button::after {
  content: ' '; position: absolute; top: 0; left: 0; width: 200%; height: 200%; border: 1px solid rgba(0, 0, 0, .2);
  transform: scale(.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px; pointer-events: none;
}
wx-button[disabled] { cursor: default; }
wx-navigator { cursor: pointer; }
wx-switch, wx-checkbox, wx-radio, wx-icon { display: inline-block; }
wx-swiper { height: 150px; position: relative; overflow: hidden; }

/* Overlays: toast, loading, modal, action sheet, image preview */
#overlay-host { position: absolute; inset: 0; pointer-events: none; z-index: 10000; }
#overlay-host > * { pointer-events: auto; }
.pv-mask { position: absolute; inset: 0; }
.pv-mask.pv-dim { background: rgba(0, 0, 0, .5); }
.pv-toast {
  position: absolute; left: 50%; top: 45%; transform: translate(-50%, -50%); max-width: 70%;
  box-sizing: border-box; padding: 12px 16px; border-radius: 8px; background: rgba(0, 0, 0, .7); color: #fff;
  font-size: 15px; line-height: 1.4; text-align: center; pointer-events: none; word-break: break-word;
}
.pv-toast.pv-with-icon { min-width: 120px; min-height: 120px; padding: 20px 12px 16px; display: flex; flex-direction: column; align-items: center; justify-content: center; }
.pv-toast-icon { width: 40px; height: 40px; margin-bottom: 12px; position: relative; }
.pv-icon-success, .pv-icon-error { background: #fff; -webkit-mask: var(--pv-glyph) center/contain no-repeat; mask: var(--pv-glyph) center/contain no-repeat; }
.pv-icon-success { --pv-glyph: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath d='M4 12.5l5 5L20 6.5' fill='none' stroke='%23000' stroke-width='2'/%3E%3C/svg%3E"); }
.pv-icon-error { --pv-glyph: url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Ccircle cx='12' cy='12' r='9.5' fill='none' stroke='%23000' stroke-width='1.6'/%3E%3Cpath d='M12 6.5v7.5M12 16.2v1.8' stroke='%23000' stroke-width='1.8'/%3E%3C/svg%3E"); }
.pv-icon-loading { border: 3px solid rgba(255, 255, 255, .35); border-top-color: #fff; border-radius: 50%; box-sizing: border-box; animation: preview-spin .8s linear infinite; }
.pv-toast img { width: 40px; height: 40px; margin-bottom: 12px; }
@keyframes preview-spin { to { transform: rotate(360deg); } }
.pv-modal {
  position: absolute; left: 50%; top: 50%; transform: translate(-50%, -50%); width: 80%; background: #fff; border-radius: 12px;
  overflow: hidden; text-align: center; font-size: 16px; color: rgba(0, 0, 0, .9);
}
.pv-modal-title { padding: 32px 24px 8px; font-weight: 600; font-size: 17px; }
.pv-modal-content { padding: 8px 24px 32px; color: rgba(0, 0, 0, .6); font-size: 15px; line-height: 1.5; white-space: pre-line; word-break: break-word; }
.pv-modal-title:empty { display: none; }
.pv-modal-title:empty + .pv-modal-content { padding-top: 32px; color: rgba(0, 0, 0, .9); }
.pv-modal-input { display: block; width: calc(100% - 48px); margin: 0 24px 24px; padding: 10px 12px; box-sizing: border-box; border: 0; border-radius: 6px; background: #f5f5f5; font: inherit; outline: 0; }
.pv-modal-buttons { display: flex; border-top: .5px solid rgba(0, 0, 0, .12); }
.pv-modal-buttons > div { flex: 1; height: 56px; line-height: 56px; font-weight: 600; cursor: pointer; }
.pv-modal-buttons > div + div { border-left: .5px solid rgba(0, 0, 0, .12); }
.pv-sheet { position: absolute; left: 0; right: 0; bottom: 0; background: #f7f7f7; border-radius: 12px 12px 0 0; overflow: hidden; font-size: 17px; text-align: center; }
.pv-sheet > div { background: #fff; height: 56px; line-height: 56px; border-bottom: .5px solid rgba(0, 0, 0, .08); cursor: pointer; }
.pv-sheet > .pv-sheet-cancel { margin-top: 8px; border: 0; }
.pv-image-viewer { position: absolute; inset: 0; background: #000; display: flex; align-items: center; justify-content: center; }
.pv-image-viewer img { max-width: 100%; max-height: 100%; }
`;
