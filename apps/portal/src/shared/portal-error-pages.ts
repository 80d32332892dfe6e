import { Global, Injectable, Module } from '@nestjs/common';
import { BrowserErrorPages } from '@madoguchi/identity';
import type { DomainError } from '@madoguchi/kernel';
import { PortalAssets, REPORTING_CSS, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from './page-context';
import { sendPage } from './page-response';
import { ErrorPageView } from './portal-page';

/**
 * The identity library's browser routes (My Number Card sign-in and
 * signing) show their refusals as portal pages: the resident's language,
 * the site's header and footer, the stable code for support.
 */
@Injectable()
export class PortalErrorPages extends BrowserErrorPages {
  constructor(private readonly pages: PageContextFactory) {
    super();
  }

  render(request: Request, response: Response, error: DomainError, status: number, retry: { href: string } | null): void {
    const context = this.pages.of(request);
    const view = ErrorPageView({
      context,
      status,
      kind: 'request',
      title: context.t('account.card.errorTitle'),
      message: context.lang === 'en' ? error.userMessage.en : error.userMessage.ja,
      requestId: null,
      retry: retry ? { href: retry.href, label: context.t('account.card.tryAgain') } : null,
    });
    sendPage(response, context.lang, renderDocument(view), status);
  }
}

/**
 * Global so the identity module's controllers can receive the error pages
 * (optionally) without importing the portal; only registered when the
 * portal runs. Holds the page context the portal's pages share.
 */
@Global()
@Module({
  providers: [{ provide: PortalAssets, useFactory: () => new PortalAssets({ css: REPORTING_CSS }) }, PageContextFactory, { provide: BrowserErrorPages, useClass: PortalErrorPages }],
  exports: [PortalAssets, PageContextFactory, BrowserErrorPages],
})
export class PortalErrorPagesModule {}
