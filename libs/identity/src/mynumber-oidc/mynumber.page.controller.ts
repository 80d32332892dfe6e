import { Controller, Get, Inject, Optional, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, CurrentMunicipality, DomainError, type MunicipalityId, Public, RequestError } from '@madoguchi/kernel';
import { parse } from 'cookie';
import type { Request, Response } from 'express';
import { CurrentResident, ResidentOnly } from '../access/access.decorators';
import type { Principal, ResidentPrincipal } from '../access/principal';
import { AuthFacade } from '../auth.facade';
import { MYNUMBER_TRANSACTION_TTL_MS, MyNumberOidcService } from './mynumber-oidc.service';

/**
 * How a browser route of this library shows a refusal as a page of the
 * site it runs in. The portal provides it (its error page, in the
 * resident's language and design); without a portal the routes fall back
 * to a minimal bilingual page. An abstract class, so it is its own
 * injection token and libs never import apps.
 */
export abstract class BrowserErrorPages {
  /** Renders the error as a page of `status`; a `retry` link says where to start again. */
  abstract render(request: Request, response: Response, error: DomainError, status: number, retry: { href: string } | null): void;
}

/** Binds a round trip to the browser that started it (HTTP-only, ten minutes, sent only to /mynumber). */
export const MYNUMBER_BINDING_COOKIE = 'madoguchi_mynumber';

/**
 * Browser routes of My Number Card sign-in and signing (post/redirect/get).
 * Refusals are rendered through BrowserErrorPages (the portal's design)
 * when the portal runs.
 */
@ApiExcludeController()
@Controller()
export class MyNumberPageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly oidc: MyNumberOidcService,
    private readonly auth: AuthFacade,
    @Optional() private readonly errorPages?: BrowserErrorPages,
  ) {}

  @Get('mynumber/login')
  @Public()
  async login(@CurrentMunicipality() municipalityId: MunicipalityId, @Query('next') next: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    await this.page(request, response, async () => {
      // `next` is kept only if it is a local path (checked by the service), in the server-side transaction.
      const started = await this.oidc.startLogin(municipalityId, next);
      this.bind(response, started.browserBinding);
      response.redirect(303, started.redirectTo);
    });
  }

  @Post('applications/:id/sign/mynumber')
  @ResidentOnly()
  async sign(
    @CurrentResident() resident: ResidentPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.page(request, response, async () => {
      const started = await this.oidc.startSigning(resident, 'application', id);
      this.bind(response, started.browserBinding);
      response.redirect(303, started.redirectTo);
    });
  }

  @Get('mynumber/callback')
  @Public()
  async callback(@Req() request: Request & { principal?: Principal }, @Res() response: Response): Promise<void> {
    const binding = request.headers.cookie ? parse(request.headers.cookie)[MYNUMBER_BINDING_COOKIE] : undefined;
    response.clearCookie(MYNUMBER_BINDING_COOKIE, { path: '/mynumber' });
    await this.page(request, response, async () => {
      const signedIn = request.principal?.kind === 'resident' ? request.principal : null;
      const result = await this.oidc.complete(new URL(request.originalUrl, this.config.publicBaseUrl), binding, signedIn);
      if (result.purpose === 'login') {
        // A new session (new id, new CSRF token) at every sign-in; the browser's earlier one ends.
        await this.auth.rotateCookieSession(result.municipalityId, result.residentId, 'jpki', request.principal, response);
        response.redirect(303, result.returnPath ?? '/');
      } else {
        response.redirect(303, result.returnPath);
      }
    });
  }

  private bind(response: Response, binding: string): void {
    response.cookie(MYNUMBER_BINDING_COOKIE, binding, {
      httpOnly: true,
      secure: this.config.cookieSecure,
      sameSite: 'lax',
      path: '/mynumber',
      maxAge: MYNUMBER_TRANSACTION_TTL_MS,
    });
  }

  /**
   * For a browser (Accept: text/html) a refusal becomes a small page in both
   * languages with the stable code, nothing personal in it; other clients
   * get the usual JSON error shape.
   */
  private async page(request: Request, response: Response, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof DomainError) || !(request.headers.accept ?? '').includes('text/html')) throw error;
      const status = error instanceof RequestError ? error.httpStatus : 422;
      if (this.errorPages) return this.errorPages.render(request, response, error, status, { href: '/mynumber/login' });
      response.status(status).type('html').setHeader('Cache-Control', 'no-store');
      response.send(errorHtml(error.code, error.userMessage.ja, error.userMessage.en));
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function errorHtml(code: string, ja: string, en: string): string {
  return `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>マイナンバーカード: エラー</title></head>
<body><main><h1>マイナンバーカードで続けられませんでした</h1><p>${escapeHtml(ja)}</p><p lang="en">${escapeHtml(en)}</p><p><code data-code="${escapeHtml(code)}">${escapeHtml(code)}</code></p><p><a href="/mynumber/login">もう一度 / Try again</a></p></main></body></html>`;
}
