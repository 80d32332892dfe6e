import { type ArgumentsHost, Catch, Injectable } from '@nestjs/common';
import { DomainExceptionFilter } from '@madoguchi/kernel';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from './office-context';
import { OFFICE_SIGN_IN, OfficeErrorView, OfficeNotFoundView } from './office-page';

/**
 * Errors of office pages as pages: not signed in (or the session ended,
 * e.g. idle) → 303 to the office sign-in with the way back; not found
 * (another department's case, another municipality's) → the not-found page;
 * a stale form → "reload and send again"; else the error's own message.
 */
@Catch()
@Injectable()
export class OfficeExceptionFilter extends DomainExceptionFilter {
  constructor(private readonly pages: OfficeContextFactory) {
    super();
  }

  override async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    this.log(exception, body, request);
    if (response.headersSent) return;
    if (body.statusCode === 401) {
      const back = request.method === 'GET' ? request.originalUrl : '/office/queue';
      response.redirect(303, `${OFFICE_SIGN_IN}?next=${encodeURIComponent(back)}`);
      return;
    }
    const context = await this.pages.of(request);
    const view =
      body.statusCode === 404
        ? OfficeNotFoundView({ context })
        : OfficeErrorView({
            context,
            kind: body.code === 'AUTH_CSRF_FAILED' ? 'csrf' : body.statusCode === 403 ? 'forbidden' : body.statusCode >= 500 ? 'server' : 'request',
            message: context.lang === 'en' ? body.message.en : body.message.ja,
            requestId: body.requestId ?? null,
          });
    if (body.statusCode === 429) response.setHeader('Retry-After', String(this.retryAfterSeconds(body)));
    sendPage(response, context.lang, renderDocument(view), body.statusCode);
  }
}
