import { type ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import { DomainExceptionFilter } from '@madoguchi/kernel';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { PageContextFactory } from './page-context';
import { sendPage } from './page-response';
import { ErrorPageView, NotFoundView } from './portal-page';

/** Where a page that needs a signed-in resident sends someone who is not. */
export const SIGN_IN_PATH = '/account/sign-in';

/**
 * Errors of page routes as pages: not signed in → 303 to the sign-in page
 * with the way back; not found → the "not found" page; a stale form (CSRF)
 * → "reload and send again"; anything else → a page with the error's own
 * message and status. Logged exactly as the JSON filter logs.
 */
@Catch()
@Injectable()
export class PageExceptionFilter extends DomainExceptionFilter {
  constructor(private readonly pages: PageContextFactory) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    this.log(exception, body, request);
    if (response.headersSent) return;
    if (body.statusCode === 401) {
      const back = request.method === 'GET' ? request.originalUrl : new URL(request.get('referer') ?? '/', 'http://local').pathname;
      response.redirect(303, `${SIGN_IN_PATH}?next=${encodeURIComponent(back)}`);
      return;
    }
    const context = this.pages.of(request);
    const view =
      body.statusCode === 404
        ? NotFoundView({ context })
        : ErrorPageView({
            context,
            status: body.statusCode,
            kind: body.code === 'AUTH_CSRF_FAILED' ? 'csrf' : body.statusCode === 403 ? 'forbidden' : body.statusCode >= 500 ? 'server' : 'request',
            message: context.lang === 'en' ? body.message.en : body.message.ja,
            requestId: body.requestId ?? null,
          });
    if (body.statusCode === 429) response.setHeader('Retry-After', String(this.retryAfterSeconds(body)));
    sendPage(response, context.lang, renderDocument(view), body.statusCode);
  }
}
