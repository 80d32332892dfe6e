import { formatWareki } from '@madoguchi/kernel';
import { type MessageCatalog, type MessageKey, messagesJa } from './messages.ja';
import { messagesJaEasy } from './messages.ja-easy';
import { messagesEn } from './messages.en';

/** The languages of every page: Japanese, やさしい日本語, English. */
export const LANGUAGES = ['ja', 'ja-easy', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'ja';
/** The cookie that remembers the reader's choice. */
export const LANG_COOKIE = 'lang';

/**
 * Each language named in itself, as a language switch must show it. Not in
 * the catalogs on purpose: the name must read the same whatever page
 * language is current.
 */
export const LANGUAGE_AUTONYMS: Record<Lang, { label: string; htmlLang: string }> = {
  ja: { label: '日本語', htmlLang: 'ja' },
  'ja-easy': { label: 'やさしい にほんご', htmlLang: 'ja' },
  en: { label: 'English', htmlLang: 'en' },
};

export const CATALOGS: Record<Lang, MessageCatalog> = { ja: messagesJa, 'ja-easy': messagesJaEasy, en: messagesEn };

export type MessageParams = Record<string, string | number>;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The `lang` attribute value for a page in this language (やさしい日本語 is Japanese). */
export function htmlLangOf(lang: Lang): string {
  return LANGUAGE_AUTONYMS[lang].htmlLang;
}

/**
 * The message for `key` in `lang`, `{name}` filled from `params`. A
 * parameter the message names but `params` lacks stays visible as `{name}`
 * rather than vanishing, so a test or a reader notices it.
 */
export function t(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const message = CATALOGS[lang][key];
  if (!params) return message;
  return message.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A translator bound to one language, as views receive it. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => t(lang, key, params);
}

/**
 * The reader's language: the `lang` cookie when it names one of ours, else
 * the first of ours in Accept-Language by quality (`ja` for any ja-*, `en`
 * for any en-*), else Japanese. やさしい日本語 has no language tag a
 * browser sends, so only the cookie selects it.
 */
export function negotiateLanguage(input: { cookie?: string | null; acceptLanguage?: string | null }): Lang {
  if (isLang(input.cookie)) return input.cookie;
  const ranges = (input.acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...attributes] = part.trim().split(';');
      const quality = attributes.map((attribute) => attribute.trim()).find((attribute) => attribute.startsWith('q='));
      const q = quality === undefined ? 1 : Number(quality.slice(2));
      return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((range) => range.tag.length > 0 && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const primary = tag.split('-')[0];
    if (primary === 'ja') return 'ja';
    if (primary === 'en') return 'en';
  }
  return DEFAULT_LANG;
}

/**
 * A calendar date (YYYY-MM-DD) as residents read it: 和暦 with the
 * Gregorian date in brackets in Japanese, day month year in English.
 */
export function formatDate(lang: Lang, isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (lang === 'en') {
    return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  }
  return `${formatWareki(isoDate)}（${year}年${month}月${day}日）`;
}

/** Yen with thousands separators: `1,200円` in Japanese, `¥1,200` in English. */
export function formatYen(lang: Lang, amount: number): string {
  const digits = Math.trunc(amount).toLocaleString('en-US');
  return lang === 'en' ? `¥${digits}` : `${digits}円`;
}

export type { MessageCatalog, MessageKey };
