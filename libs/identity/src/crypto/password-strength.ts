import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { IdentityError } from '../identity.errors';
import { MIN_PASSWORD_LENGTH } from './passwords';

/**
 * zxcvbn score (0–4) a new password must reach. 3 means "safely unguessable:
 * moderate protection from offline slow-hash attacks" (about 10^8 guesses or
 * more), which with argon2id and the sign-in throttle is out of reach online.
 */
export const MIN_PASSWORD_SCORE = 3;
export const MAX_PASSWORD_LENGTH = 256;

/** Words any password here is likely to be built from; guessers try them first. */
const SERVICE_WORDS = ['madoguchi', '窓口', 'city', 'shiyakusho', '市役所'];

interface Estimator {
  factory: ZxcvbnFactory;
  /** zxcvbn answers in English; these give the Japanese of each English warning or suggestion. */
  ja: Map<string, string>;
}

let estimator: Estimator | null = null;

/**
 * The dictionaries are a few megabytes: loaded on the first password checked,
 * once per process, never per request. Levenshtein matching stays off: it
 * multiplies the time of a check by about twenty, which strangers could use
 * to load the server through the registration form.
 */
function loadEstimator(): Estimator {
  estimator ??= (() => {
    // require, not import: the dictionaries are read only when first needed
    // (commands and processes that never check a password skip them), and
    // jest's module runtime refuses a native dynamic import().
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    const en = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
    const ja = require('@zxcvbn-ts/language-ja') as typeof import('@zxcvbn-ts/language-ja');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const factory = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary, ...ja.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
      useLevenshteinDistance: false,
      maxLength: MAX_PASSWORD_LENGTH,
    });
    const toJa = new Map<string, string>();
    for (const group of ['warnings', 'suggestions'] as const) {
      const english = en.translations[group] as Record<string, string>;
      const japanese = ja.translations[group] as Record<string, string>;
      for (const [key, text] of Object.entries(english)) toJa.set(text, japanese[key] ?? text);
    }
    return { factory, ja: toJa };
  })();
  return estimator;
}

/**
 * Refuses a password that is too short, too long or too easy to guess, with
 * the estimator's advice. `userInputs` are the person's own words (e-mail and
 * its local part, name, login id): a password made of them is weak for them.
 */
export async function assertStrongPassword(password: string, userInputs: Array<string | null | undefined>): Promise<void> {
  const base = { minLength: MIN_PASSWORD_LENGTH, minScore: MIN_PASSWORD_SCORE };
  if (password.length < MIN_PASSWORD_LENGTH) throw IdentityError.weakPassword({ ...base, reason: 'tooShort' });
  if (password.length > MAX_PASSWORD_LENGTH) throw IdentityError.weakPassword({ ...base, reason: 'tooLong' });
  const { factory, ja } = loadEstimator();
  const words = userInputs.flatMap((input) => (input ? [input, ...input.toLowerCase().split(/[@.\s_-]+/).filter((part) => part.length >= 3)] : []));
  const result = factory.check(password, [...words, ...SERVICE_WORDS]);
  if (result.score >= MIN_PASSWORD_SCORE) return;
  const bilingual = (text: string) => ({ ja: ja.get(text) ?? text, en: text });
  throw IdentityError.weakPassword({
    ...base,
    reason: 'tooGuessable',
    score: result.score,
    warning: result.feedback.warning ? bilingual(result.feedback.warning) : null,
    suggestions: result.feedback.suggestions.map(bilingual),
  });
}
