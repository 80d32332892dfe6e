/**
 * String formats Japanese forms need, for `format` in procedure schemas.
 * Each is a function so it can check more than a pattern can (dates exist,
 * era years fall inside their era).
 */

const ERA_STARTS: Record<string, { start: string; end: string | null }> = {
  令和: { start: '2019-05-01', end: null },
  平成: { start: '1989-01-08', end: '2019-04-30' },
  昭和: { start: '1926-12-25', end: '1989-01-07' },
  大正: { start: '1912-07-30', end: '1926-12-24' },
  明治: { start: '1868-10-23', end: '1912-07-29' },
};

/** 〒 postal code: 123-4567 or 1234567. */
export function isPostalCode(value: string): boolean {
  return /^\d{3}-?\d{4}$/.test(value);
}

/** Domestic phone number: 10 or 11 digits starting with 0, optional hyphens in the usual places. */
export function isPhoneNumber(value: string): boolean {
  if (!/^0\d{1,4}-?\d{1,4}-?\d{3,4}$/.test(value)) return false;
  const digits = value.replace(/-/g, '').length;
  return digits === 10 || digits === 11;
}

/** Full-width katakana with spaces and the long-vowel mark (フリガナ). */
export function isKatakana(value: string): boolean {
  return /^[\u30A1-\u30F6\u30FC\u30FB 　]+$/u.test(value) && value.trim().length > 0;
}

/**
 * An existing date in the Japanese era: 令和8年11月22日, 平成元年1月8日.
 * Returns the Gregorian ISO date, or null.
 */
export function warekiToIso(value: string): string | null {
  const match = /^(令和|平成|昭和|大正|明治)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$/.exec(value);
  if (!match) return null;
  const era = ERA_STARTS[match[1]];
  const eraYear = match[2] === '元' ? 1 : Number(match[2]);
  const year = Number(era.start.slice(0, 4)) + eraYear - 1;
  const month = Number(match[3]);
  const day = Number(match[4]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const iso = date.toISOString().slice(0, 10);
  if (iso < era.start || (era.end !== null && iso > era.end)) return null;
  return iso;
}

export const JAPANESE_FORMATS = {
  'jp-postal-code': isPostalCode,
  'jp-phone': isPhoneNumber,
  katakana: isKatakana,
  'wareki-date': (value: string) => warekiToIso(value) !== null,
} as const;
