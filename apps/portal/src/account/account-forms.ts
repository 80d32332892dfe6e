import { IdentityError, IdentityErrorCode, MIN_PASSWORD_LENGTH, type ResidentNameProblem } from '@madoguchi/identity';
import type { FieldError, Translate } from '@madoguchi/ui';
import type { PageContext } from '../shared/page-context';

/** A field of an urlencoded form body: one string, trimmed when asked; anything else (absent, repeated) is empty. */
export function formField(body: unknown, name: string, trim = true): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string') return '';
  return trim ? value.trim() : value;
}

/** The same shape the API's @IsEmail accepts in practice; the service decides the rest. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(t: Translate, email: string): FieldError | null {
  if (email === '') return { fieldId: 'email', message: t('account.signIn.emailMissing') };
  if (email.length > 254 || !EMAIL.test(email)) return { fieldId: 'email', message: t('account.signIn.emailInvalid') };
  return null;
}

/** The name fields' messages, in page order (name, then its reading). */
export function nameErrors(t: Translate, problems: { name?: ResidentNameProblem; kana?: ResidentNameProblem }): FieldError[] {
  const errors: FieldError[] = [];
  if (problems.name) errors.push({ fieldId: 'name', message: t(problems.name === 'missing' ? 'account.name.missing' : 'account.name.tooLong') });
  if (problems.kana) {
    const key = problems.kana === 'missing' ? 'account.nameKana.missing' : problems.kana === 'tooLong' ? 'account.nameKana.tooLong' : 'account.nameKana.notKatakana';
    errors.push({ fieldId: 'nameKana', message: t(key) });
  }
  return errors;
}

/** "about 3 minutes" / "45 seconds" from a Retry-After in seconds. */
export function waitText(t: Translate, seconds: number): string {
  return seconds >= 60 ? t('account.wait.minutes', { count: String(Math.ceil(seconds / 60)) }) : t('account.wait.seconds', { count: String(Math.max(1, seconds)) });
}

/** What a refused new password shows at its field: the rule it broke, then the estimator's own advice in the page language. */
export interface PasswordAdvice {
  message: string;
  advice: string[];
}

export function weakPasswordAdvice(context: PageContext, error: unknown): PasswordAdvice | null {
  if (!(error instanceof IdentityError) || error.code !== IdentityErrorCode.WeakPassword) return null;
  const { t } = context;
  const details = (error.details ?? {}) as { reason?: string; warning?: { ja: string; en: string } | null; suggestions?: Array<{ ja: string; en: string }> };
  const pick = (text: { ja: string; en: string }) => (context.lang === 'en' ? text.en : text.ja);
  const min = String(MIN_PASSWORD_LENGTH);
  if (details.reason === 'tooShort') return { message: t('account.weak.tooShort', { min }), advice: [] };
  if (details.reason === 'tooLong') return { message: t('account.weak.tooLong'), advice: [] };
  return { message: t('account.weak.tooGuessable'), advice: [...(details.warning ? [pick(details.warning)] : []), ...(details.suggestions ?? []).map(pick)] };
}
