/**
 * `tip-line`: a centred grey line in the message flow (session notices, revoked messages,
 * timeout warnings). Long text wraps; nothing is tappable.
 */
Component({
  options: { virtualHost: false },
  properties: {
    text: { type: String, value: '' },
  },
});
