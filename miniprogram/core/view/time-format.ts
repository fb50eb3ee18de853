import { t } from '../i18n/index';
import type { Language } from '../i18n/index';

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

function dayNumber(d: Date): number {
  // Local calendar day, independent of DST: days since epoch of the local date.
  return Math.floor(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000);
}

/**
 * Chat time text, relative to `nowMs`, in the device's local time zone:
 * today → `14:05`; yesterday → `昨天 14:05`; this year → `3月5日 14:05`; older → `2023年3月5日 14:05`
 * (English: `Yesterday 14:05`, `Mar 5 14:05`, `Mar 5, 2023 14:05`).
 */
export function formatMessageTime(timeMs: number, nowMs: number, language: Language): string {
  const d = new Date(timeMs);
  const now = new Date(nowMs);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const days = dayNumber(now) - dayNumber(d);
  if (days <= 0) return hm;
  if (days === 1) return t('chat.time.yesterday', { time: hm }, language);
  const params = {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    monthName: t(`chat.time.month.${d.getMonth() + 1}` as 'chat.time.month.1', undefined, language),
    day: d.getDate(),
    time: hm,
  };
  if (d.getFullYear() === now.getFullYear()) return t('chat.time.thisYear', params, language);
  return t('chat.time.older', params, language);
}

/**
 * Conversation-list time text: `14:05` today, `昨天` yesterday, `3月5日` this year, `2023/3/5`
 * before (English: `Yesterday`, `Mar 5`, `2023/3/5`). Empty for 0.
 */
export function formatListTime(timeMs: number, nowMs: number, language: Language): string {
  if (!timeMs) return '';
  const d = new Date(timeMs);
  const now = new Date(nowMs);
  const days = dayNumber(now) - dayNumber(d);
  if (days <= 0) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (days === 1) return t('chat.time.yesterdayShort', undefined, language);
  const params = {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    monthName: t(`chat.time.month.${d.getMonth() + 1}` as 'chat.time.month.1', undefined, language),
    day: d.getDate(),
  };
  if (d.getFullYear() === now.getFullYear()) return t('chat.time.listThisYear', params, language);
  return `${params.year}/${params.month}/${params.day}`;
}

/** The local-day key of a time: changes at local midnight (used to invalidate cached time texts). */
export function localDayKey(timeMs: number): number {
  return dayNumber(new Date(timeMs));
}
