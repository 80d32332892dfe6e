import { sha256Hex } from '@madoguchi/kernel';
import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32: no I, L, O or U, so a code read out or typed from the
 * resident's screen when the QR cannot be scanned survives the usual mix-ups.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 symbols of 5 bits: 80 random bits, for a code that lives 15 minutes and opens once. */
export const HANDOVER_CODE_LENGTH = 16;
export const HANDOVER_TTL_MS = 15 * 60_000;

export function newHandoverCode(): string {
  let bits = 0n;
  for (const byte of randomBytes((HANDOVER_CODE_LENGTH * 5) / 8)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let index = 0; index < HANDOVER_CODE_LENGTH; index += 1) {
    code = ALPHABET[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return code;
}

/** The code as typed (any case, grouped with spaces or hyphens, O for 0, I or L for 1), or null if it cannot be one. */
export function normalizeHandoverCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === HANDOVER_CODE_LENGTH && [...code].every((symbol) => ALPHABET.includes(symbol)) ? code : null;
}

/** What is stored and looked up: the code itself is never kept. */
export function handoverCodeHash(code: string): string {
  return sha256Hex(code);
}
