/**
 * Where a sign-in may send the browser afterwards: a path of this site only.
 * `next` comes from a query string anyone can write, so anything that could
 * leave the origin (`//evil`, `/\evil`, `https:`, control characters that
 * browsers strip) is refused rather than repaired: the caller falls back to
 * its default page.
 */
export function localReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(value)) return null;
  const parsed = new URL(value, 'http://local.invalid');
  if (parsed.origin !== 'http://local.invalid') return null;
  const path = `${parsed.pathname}${parsed.search}`;
  // Back to the sign-in page itself would loop.
  return path.startsWith('/account/sign-in') ? null : path;
}
