import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { MunicipalityId } from '@madoguchi/kernel';
import { isLang, type Lang, PortalAssets, type PageAssets, type Translate, translator } from '@madoguchi/ui';
import type { Request } from 'express';

/** What the lobby pages (kiosk, display) need: no session, no cookie. */
export interface LobbyContext {
  lang: Lang;
  t: Translate;
  city: string;
  assets: PageAssets;
}

/**
 * The lobby's language is in the address (`?lang=`), never in a cookie: the
 * kiosk is one tablet for everyone, so the next person must start in
 * Japanese again rather than in whatever the last one chose.
 */
@Injectable()
export class LobbyContextFactory {
  constructor(
    private readonly directory: MunicipalityDirectory,
    private readonly assets: PortalAssets,
  ) {}

  of(request: Request, municipalityId: MunicipalityId): LobbyContext {
    const lang: Lang = isLang(request.query.lang) ? request.query.lang : 'ja';
    const settings = this.directory.get(municipalityId)!;
    return {
      lang,
      t: translator(lang),
      city: lang === 'en' ? settings.name.en : settings.name.ja,
      assets: { stylesheetHref: this.assets.stylesheet.path, scriptHref: this.assets.script.path },
    };
  }
}

/** A lobby path in a language (Japanese needs no parameter). */
export function lobbyHref(path: string, lang: Lang): string {
  return lang === 'ja' ? path : `${path}${path.includes('?') ? '&' : '?'}lang=${encodeURIComponent(lang)}`;
}
