import type { Request, Response } from 'express';
import { gzipSync } from 'node:zlib';
import type { Lang } from '@madoguchi/ui';
import { htmlLangOf } from '@madoguchi/ui';

/**
 * The headers of every portal page. Scripts and styles are files from our
 * origin only (no inline code, so no nonce is needed); nothing may frame a
 * page; forms post only to us; nothing is sent to other sites, not even
 * the address of the page a resident came from.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function sendPage(response: Response, lang: Lang, html: string, status = 200): void {
  const request: Request = response.req;
  const gzip = /\bgzip\b/.test(request.header('accept-encoding') ?? '');
  response
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Language': htmlLangOf(lang),
      'Content-Security-Policy': PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      // Pages differ by the language cookie and may show a signed-in state: never cached by a shared proxy.
      'Cache-Control': 'no-store',
      Vary: 'Cookie, Accept-Language, Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    })
    .send(gzip ? gzipSync(Buffer.from(html, 'utf8')) : html);
}
