import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { csrfTokenOf, DepartmentRepository, type Principal, readSessionCookie, StaffRepository, type StaffPrincipal } from '@madoguchi/identity';
import { LANG_COOKIE, negotiateLanguage, PortalAssets, type Lang, type PageAssets, type Translate, translator } from '@madoguchi/ui';
import { parse as parseCookies } from 'cookie';
import type { Request } from 'express';

/** Staff pages are Japanese first with English available; やさしい日本語 is for residents. */
export const OFFICE_LANGUAGES = ['ja', 'en'] as const satisfies readonly Lang[];
export type OfficeLang = (typeof OFFICE_LANGUAGES)[number];

/** Who is signed in, as the header shows them. */
export interface OfficeStaff {
  id: string;
  name: string;
  roles: string[];
  /** Department names in the page language. */
  departments: string[];
}

/** What every office view gets besides its own data. */
export interface OfficeContext {
  lang: OfficeLang;
  t: Translate;
  municipalityId: MunicipalityId;
  city: string;
  currentPath: string;
  assets: PageAssets;
  /** The signed-in staff member (null on the sign-in page) and the CSRF token for forms. */
  staff: OfficeStaff | null;
  csrfToken: string | null;
}

/**
 * Reads the request once for what every office page needs. The staff
 * member's rights come from the principal the access guard resolved (read
 * fresh from the account on every request); the display name and
 * department names are read here for the header only.
 */
@Injectable()
export class OfficeContextFactory {
  constructor(
    private readonly directory: MunicipalityDirectory,
    private readonly assets: PortalAssets,
    private readonly staffAccounts: StaffRepository,
    private readonly departments: DepartmentRepository,
  ) {}

  async of(request: Request): Promise<OfficeContext> {
    const cookies = parseCookies(request.headers.cookie ?? '');
    const negotiated = negotiateLanguage({ cookie: cookies[LANG_COOKIE], acceptLanguage: request.header('accept-language') });
    const lang: OfficeLang = negotiated === 'en' ? 'en' : 'ja';
    const principal = (request as Request & { principal?: Principal }).principal;
    const cookie = readSessionCookie(request);
    const staffPrincipal = principal?.kind === 'staff' && principal.transport === 'cookie' && cookie ? principal : null;
    const municipalityId = staffPrincipal?.municipalityId ?? this.directory.defaultId;
    if (!municipalityId) throw new Error('The office needs DEFAULT_MUNICIPALITY_ID (or a single municipality) to know whose pages it serves');
    const settings = this.directory.get(municipalityId)!;
    return {
      lang,
      t: translator(lang),
      municipalityId: asMunicipalityId(municipalityId),
      city: lang === 'en' ? settings.name.en : settings.name.ja,
      currentPath: request.originalUrl.startsWith('/') ? request.originalUrl : '/office',
      assets: { stylesheetHref: this.assets.stylesheet.path, scriptHref: this.assets.script.path },
      staff: staffPrincipal ? await this.staffOf(staffPrincipal, lang) : null,
      csrfToken: staffPrincipal && cookie ? csrfTokenOf(cookie) : null,
    };
  }

  private async staffOf(principal: StaffPrincipal, lang: OfficeLang): Promise<OfficeStaff> {
    const [account, departments] = await Promise.all([this.staffAccounts.findById(principal.municipalityId, principal.id), this.departments.list(principal.municipalityId)]);
    const names = new Map(departments.map((department) => [department.code, lang === 'en' ? department.name.en : department.name.ja]));
    return {
      id: principal.id,
      name: account?.displayName ?? principal.id,
      roles: [...principal.roles],
      departments: principal.departments.map((code) => names.get(code) ?? code),
    };
  }
}
