import { CATALOGS, formatDate, formatYen, LANGUAGES, negotiateLanguage, t } from './i18n';
import { messagesJa } from './messages.ja';

describe('message catalogs', () => {
  const keys = Object.keys(messagesJa).sort();

  it.each(LANGUAGES)('%s has every key of the Japanese catalog and no other', (lang) => {
    const catalog = CATALOGS[lang] as Record<string, string>;
    const missing = keys.filter((key) => !(key in catalog));
    const extra = Object.keys(catalog).filter((key) => !(key in messagesJa));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(LANGUAGES)('%s has no empty message', (lang) => {
    const empty = Object.entries(CATALOGS[lang]).filter(([, value]) => value.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it.each(LANGUAGES)('%s names the same parameters as Japanese in every message', (lang) => {
    const paramsOf = (message: string) => [...message.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1]).sort();
    const differing = keys.filter((key) => paramsOf((CATALOGS[lang] as Record<string, string>)[key]).join() !== paramsOf((messagesJa as Record<string, string>)[key]).join());
    expect(differing).toEqual([]);
  });

  it('the English catalog has no Japanese characters except inside the language names and examples of Japanese text', () => {
    const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
    const offending = Object.entries(CATALOGS.en).filter(([key, value]) => japanese.test(value) && !key.startsWith('date.era.')).map(([key]) => key);
    expect(offending).toEqual([]);
  });
});

describe('t', () => {
  it('fills parameters and leaves an unknown one visible', () => {
    expect(t('ja', 'home.resultsCount', { count: 3 })).toBe('3件の手続があります');
    expect(t('en', 'home.resultsCount', { count: 3 })).toBe('3 procedures');
    expect(t('en', 'home.resultsCount', {})).toBe('{count} procedures');
  });
});

describe('negotiateLanguage', () => {
  it('takes the cookie first, when it names one of our languages', () => {
    expect(negotiateLanguage({ cookie: 'ja-easy', acceptLanguage: 'en' })).toBe('ja-easy');
    expect(negotiateLanguage({ cookie: 'fr', acceptLanguage: 'en-GB,en;q=0.8' })).toBe('en');
  });

  it('reads Accept-Language by quality, then falls back to Japanese', () => {
    expect(negotiateLanguage({ acceptLanguage: 'fr;q=1, en;q=0.5, ja;q=0.9' })).toBe('ja');
    expect(negotiateLanguage({ acceptLanguage: 'de, en-US;q=0.7' })).toBe('en');
    expect(negotiateLanguage({ acceptLanguage: 'en;q=0' })).toBe('ja');
    expect(negotiateLanguage({ acceptLanguage: 'zh-CN, ko' })).toBe('ja');
    expect(negotiateLanguage({})).toBe('ja');
  });
});

describe('formatters', () => {
  it('dates: 和暦 with the Gregorian date in brackets; English day month year', () => {
    expect(formatDate('ja', '2026-11-22')).toBe('令和8年11月22日（2026年11月22日）');
    expect(formatDate('ja-easy', '2019-05-01')).toBe('令和元年5月1日（2019年5月1日）');
    expect(formatDate('en', '2026-11-22')).toBe('22 November 2026');
  });

  it('yen with separators', () => {
    expect(formatYen('ja', 1200)).toBe('1,200円');
    expect(formatYen('ja', 300)).toBe('300円');
    expect(formatYen('en', 1234567)).toBe('¥1,234,567');
  });
});
