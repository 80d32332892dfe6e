/**
 * The individual number (個人番号): 12 digits, the last a check digit over the
 * other 11 (Ministerial Ordinance on the individual number, art. 5).
 */
export function isValidIndividualNumber(value: string): boolean {
  if (!/^[0-9]{12}$/.test(value)) return false;
  const digits = value.split('').map(Number);
  const check = digits[11];
  let sum = 0;
  for (let n = 1; n <= 11; n += 1) {
    // P_n is the n-th digit counting leftwards from the one before the check digit.
    const p = digits[11 - n];
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const remainder = sum % 11;
  return check === (remainder <= 1 ? 0 : 11 - remainder);
}

/** Shown everywhere instead of the number: the last four digits only. */
export function maskIndividualNumber(value: string): string {
  return `********${value.slice(-4)}`;
}
