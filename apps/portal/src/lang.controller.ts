import { Get, Query, Req, Res } from '@nestjs/common';
import { Public } from '@madoguchi/kernel';
import { DEFAULT_LANG, isLang, LANG_COOKIE } from '@madoguchi/ui';
import { PageController } from './shared/page-controller';
import type { Request, Response } from 'express';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Only a path on this site: starts with one `/`, not `//` or `/\` (which
 * browsers read as another host), no control characters. Anything else
 * goes home, so the switch can never send a reader to another site.
 */
export function localPath(back: unknown): string {
  if (typeof back !== 'string' || back.length > 2000) return '/';
  if (!back.startsWith('/') || back.startsWith('//') || back.startsWith('/\\')) return '/';
  // Control characters are exactly what this refuses (header splitting, log forging).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(back)) return '/';
  return back;
}

/** The language switch: a plain link, so it works without JavaScript; remembers the choice in a cookie and goes back. */
@Public()
@PageController('lang')
export class LanguageController {
  @Get()
  switch(@Req() request: Request, @Res() response: Response, @Query('to') to: unknown, @Query('back') back: unknown): void {
    const lang = isLang(to) ? to : DEFAULT_LANG;
    response.cookie(LANG_COOKIE, lang, { path: '/', maxAge: ONE_YEAR_SECONDS * 1000, sameSite: 'lax', httpOnly: true, secure: request.secure });
    response.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    response.redirect(303, localPath(back));
  }
}
