import type { KeyValueStorage } from '../ports/storage';
import type { ProductCardInput } from '../tccc/index';

/** The product the user came from, offered as a card above the composer until sent or closed. */
export interface ProductOffer {
  /** Identifies the product within the conversation (sent once per conversation). */
  key: string;
  card: ProductCardInput;
}

/** Products already sent, kept across app starts. */
export interface SentProducts {
  has(key: string): boolean;
  add(key: string): void;
}

const SENT_PRODUCTS_KEY = 'cs.entry.products';
const MAX_SENT_PRODUCTS = 100;

/** The sent-products record in storage (the newest {@link MAX_SENT_PRODUCTS} keys). */
export function storedSentProducts(storage: KeyValueStorage): SentProducts {
  const read = (): string[] => {
    const raw = storage.get(SENT_PRODUCTS_KEY);
    return Array.isArray(raw) ? raw.filter((k): k is string => typeof k === 'string') : [];
  };
  return {
    has: (key) => read().includes(key),
    add(key) {
      const keys = read().filter((k) => k !== key);
      storage.set(SENT_PRODUCTS_KEY, [...keys, key].slice(-MAX_SENT_PRODUCTS));
    },
  };
}

/** A record that forgets on restart, for stores built without storage. */
export function memorySentProducts(): SentProducts {
  const keys = new Set<string>();
  return { has: (key) => keys.has(key), add: (key) => void keys.add(key) };
}
