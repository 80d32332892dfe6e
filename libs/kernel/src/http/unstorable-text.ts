import { RequestError } from '../errors/domain-error';

/**
 * NUL and unpaired UTF-16 surrogates: legal in a JavaScript string (and in a
 * JSON string), refused by PostgreSQL text and jsonb with an error that would
 * otherwise surface as a 500.
 */
// eslint-disable-next-line no-control-regex
export const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isUnstorableText(value: string): boolean {
  return UNSTORABLE_TEXT.test(value);
}

/** The one refusal for characters we cannot store or bytes that are not UTF-8, wherever they arrive. */
export function unstorableTextError(): RequestError {
  return new RequestError(400, 'UNSUPPORTED_CHARACTERS', {
    ja: '送信された内容に使用できない文字（NUL文字や不正な文字コード）が含まれています。',
    en: 'The request contains characters that cannot be stored (NUL, unpaired surrogates or bytes that are not UTF-8).',
  });
}
