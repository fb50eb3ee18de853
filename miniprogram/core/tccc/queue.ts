/**
 * Queue position from a queuing prompt. TCCC sends queue prompts as ordinary text (cloudCustomData
 * `messageType: "queuing"`) built from an admin-edited template (`${QueuePosition}`), so the number
 * can only be read back out of the text.
 */
import { clip } from './parse';

/** Longest prompt scanned: queue prompts are one sentence. */
const MAX_PROMPT_LENGTH = 2_000;

const NUMBER = '(\\d+|[零〇一二两三四五六七八九十百千]+)';

/** "People ahead of you" phrasings; tried before position phrasings. */
const AHEAD_PATTERNS: readonly RegExp[] = [
  new RegExp(`(?:前面|前方|之前)(?:还|仍|尚)?(?:有|剩|剩余)?\\s*${NUMBER}\\s*(?:人|位|名|个)`),
  /(\d+)\s+(?:people|persons?|users?|customers?|others?|visitors?)\s+(?:are\s+|is\s+)?(?:still\s+)?(?:ahead|in front)/i,
  /(?:ahead of you|in front of you)\s*[:：]\s*(\d+)/i,
];

/** "You are number N in the queue" phrasings. */
const POSITION_PATTERNS: readonly RegExp[] = [
  new RegExp(`(?:排队|排在|排到|排)(?:中|的)?\\s*第\\s*${NUMBER}\\s*(?:位|名|个|号)?`),
  new RegExp(`排队(?:位置|位次|序号|号)\\s*(?:[:：]|为|是)?\\s*${NUMBER}`),
  /(?:you are|you're)\s+(?:number\s+|no\.?\s*|#\s*)?(\d+)(?:st|nd|rd|th)?\s+in\s+(?:the\s+)?(?:queue|line)/i,
  /(?:position\s+in\s+(?:the\s+)?(?:queue|line)|(?:queue|line)\s+position)(?:\s+is)?\s*[:：#]?\s*(?:no\.?\s*)?(\d+)/i,
];

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CHINESE_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/** Chinese numerals up to 9999 (`三`, `十二`, `二十三`, `一百零五`); `undefined` if malformed. */
function parseChineseNumber(numeral: string): number | undefined {
  let total = 0;
  let digit: number | undefined;
  for (const ch of numeral) {
    if (ch in CHINESE_DIGITS) {
      digit = CHINESE_DIGITS[ch];
    } else if (ch in CHINESE_UNITS) {
      total += (digit ?? 1) * CHINESE_UNITS[ch];
      digit = undefined;
    } else {
      return undefined;
    }
  }
  return total + (digit ?? 0);
}

function toNumber(match: string): number | undefined {
  const n = /^\d+$/.test(match) ? Number(match) : parseChineseNumber(match);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function firstMatch(prompt: string, patterns: readonly RegExp[]): number | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(prompt);
    const n = match ? toNumber(match[1]) : undefined;
    if (n !== undefined) return n;
  }
  return undefined;
}

/**
 * The number a queuing prompt states ("您前面还有 3 人" → 3, "当前排队第2位" → 2,
 * "There are 3 people ahead of you" → 3), or `undefined` when the text states none. When a prompt
 * gives both a count of people ahead and a position, the count ahead wins. Full-width digits and
 * Chinese numerals are read; non-strings give `undefined`.
 */
export function extractQueuePosition(prompt: unknown): number | undefined {
  const read = readQueuePrompt(prompt);
  return read && (read.ahead ?? read.position);
}

/**
 * How many people are ahead of the user, whichever way the prompt says it: "前面还有 3 人" → 3,
 * "您已排在第 1 位" → 0 (first in line). `undefined` when the text states no number.
 */
export function extractPeopleAhead(prompt: unknown): number | undefined {
  const read = readQueuePrompt(prompt);
  if (!read) return undefined;
  if (read.ahead !== undefined) return read.ahead;
  return read.position !== undefined ? Math.max(0, read.position - 1) : undefined;
}

function readQueuePrompt(prompt: unknown): { ahead?: number; position?: number } | undefined {
  if (typeof prompt !== 'string' || prompt === '') return undefined;
  const normalised = clip(prompt, MAX_PROMPT_LENGTH).replace(/[０-９]/g, (d) =>
    String.fromCharCode(d.charCodeAt(0) - 0xfee0),
  );
  const ahead = firstMatch(normalised, AHEAD_PATTERNS);
  if (ahead !== undefined) return { ahead };
  const position = firstMatch(normalised, POSITION_PATTERNS);
  return position !== undefined ? { position } : undefined;
}
