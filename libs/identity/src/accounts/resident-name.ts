import type { ResidentName } from './account.types';

export const RESIDENT_NAME_MAX_LENGTH = 50;
export const RESIDENT_NAME_KANA_MAX_LENGTH = 100;
/** A reading in katakana, spaces (half- or full-width) between family and given name; the same rule as the forms' フリガナ fields. */
export const KATAKANA_NAME = /^[ァ-ヶー　 ]+$/;

/** ひらがな → カタカナ (a reading typed in hiragana is the same reading); anything else unchanged. */
export function toKatakana(text: string): string {
  return text.replace(/[\u3041-\u3096]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0x60));
}

export type ResidentNameProblem = 'missing' | 'tooLong' | 'notKatakana';

/**
 * The name and reading as typed, trimmed and the reading in katakana, or
 * what is wrong with each (both are required where this is used: the
 * registration page).
 */
export function readResidentName(name: string, kana: string): { value: ResidentName } | { problems: { name?: ResidentNameProblem; kana?: ResidentNameProblem } } {
  const cleanName = name.trim();
  const cleanKana = toKatakana(kana.trim());
  const problems: { name?: ResidentNameProblem; kana?: ResidentNameProblem } = {};
  if (cleanName === '') problems.name = 'missing';
  else if (cleanName.length > RESIDENT_NAME_MAX_LENGTH) problems.name = 'tooLong';
  if (cleanKana === '') problems.kana = 'missing';
  else if (cleanKana.length > RESIDENT_NAME_KANA_MAX_LENGTH) problems.kana = 'tooLong';
  else if (!KATAKANA_NAME.test(cleanKana)) problems.kana = 'notKatakana';
  return problems.name || problems.kana ? { problems } : { value: { name: cleanName, kana: cleanKana } };
}
