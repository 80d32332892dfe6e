import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory, type MunicipalityContact } from '@madoguchi/config';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { type Lang, LANG_COOKIE, negotiateLanguage, PortalAssets, type PageAssets, type Translate, translator } from '@madoguchi/ui';
import { csrfTokenOf, type Principal, readSessionCookie } from '@madoguchi/identity';
import { parse as parseCookies } from 'cookie';
import type { Request } from 'express';

/** What every page view gets besides its own data. */
export interface PageContext {
  lang: Lang;
  t: Translate;
  municipalityId: MunicipalityId;
  /** The municipality's name in the page language (English for `en`, Japanese otherwise). */
  city: string;
  contact: { postalCode: string; address: string; phone: string; hours: string } | null;
  /** Path and query of this request: the language switch comes back here. */
  currentPath: string;
  assets: PageAssets;
  /** Who is signed in (from the session cookie, read by the access guard) and the CSRF token for this page's forms. */
  session: PageSession;
}

export interface PageSession {
  /** `resident` or `staff` when a valid session cookie came with the request; else null. */
  kind: 'resident' | 'staff' | null;
  /** Put into every form as the hidden `_csrf` field (CsrfField); null without a session. */
  csrfToken: string | null;
}

/**
 * Reads the request once for what every page needs: the language (cookie,
 * then Accept-Language), the municipality this portal serves and its
 * contact details. The portal serves the instance's default municipality;
 * a multi-city instance would map the host name here.
 */
@Injectable()
export class PageContextFactory {
  constructor(
    private readonly directory: MunicipalityDirectory,
    private readonly assets: PortalAssets,
  ) {}

  of(request: Request): PageContext {
    const cookies = parseCookies(request.headers.cookie ?? '');
    const lang = negotiateLanguage({ cookie: cookies[LANG_COOKIE], acceptLanguage: request.header('accept-language') });
    const municipalityId = this.directory.defaultId;
    if (!municipalityId) throw new Error('The portal needs DEFAULT_MUNICIPALITY_ID (or a single municipality) to know whose pages it serves');
    const settings = this.directory.get(municipalityId)!;
    const pick = (text: { ja: string; en: string }) => (lang === 'en' ? text.en : text.ja);
    const contact: MunicipalityContact | undefined = settings.contact;
    return {
      lang,
      t: translator(lang),
      municipalityId: asMunicipalityId(municipalityId),
      city: pick(settings.name),
      contact: contact ? { postalCode: contact.postalCode, address: pick(contact.address), phone: contact.phone, hours: pick(contact.hours) } : null,
      currentPath: request.originalUrl.startsWith('/') ? request.originalUrl : '/',
      assets: { stylesheetHref: this.assets.stylesheet.path, scriptHref: this.assets.script.path },
      session: sessionOf(request),
    };
  }
}

/**
 * The access guard has already checked the cookie (on public pages too) and
 * put the caller on the request; without a valid one the page is anonymous.
 */
function sessionOf(request: Request): PageSession {
  const principal = (request as Request & { principal?: Principal }).principal;
  const cookie = readSessionCookie(request);
  if (!principal || principal.transport !== 'cookie' || !cookie) return { kind: null, csrfToken: null };
  return { kind: principal.kind, csrfToken: csrfTokenOf(cookie) };
}
