import { randomBytes } from 'node:crypto';

/** Crockford's Base32: no I, L, O or U, so nothing reads as another character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 80 random bits as 16 characters (printed in four groups of four). Unguessable, yet typable from paper. */
export function newVerificationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let code = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      code += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return code;
}

/**
 * What a person typed, as stored: case, spaces and hyphens do not matter,
 * and the letters people confuse with digits count as those digits. Null
 * when it cannot be a code.
 */
export function normalizeVerificationCode(input: string): string | null {
  if (input.length > 64) return null;
  const code = input
    .toUpperCase()
    .replace(/[\s\-‐－ー_]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(code) ? code : null;
}
