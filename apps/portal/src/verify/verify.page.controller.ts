import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { VerificationService } from '@madoguchi/documents';
import { Public } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import { PageController } from '../shared/page-controller';
import type { Request, Response } from 'express';
import { PageContextFactory } from '../shared/page-context';
import { sendPage } from '../shared/page-response';
import { VerifyView } from './verify.view';

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const SHA256 = /^[0-9a-fA-F]{64}$/;

/**
 * /verify and /verify/:code in the portal's design, on the same
 * VerificationService as the JSON route POST /documents/verify.
 */
@Public()
@PageController('verify')
export class VerifyPageController {
  constructor(
    private readonly verification: VerificationService,
    private readonly pages: PageContextFactory,
  ) {}

  @Get()
  form(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    return this.render(request, response, query, undefined);
  }

  @Get(':code')
  page(@Req() request: Request, @Res() response: Response, @Param('code') code: string, @Query() query: Record<string, unknown>): Promise<void> {
    return this.render(request, response, query, code);
  }

  private async render(request: Request, response: Response, query: Record<string, unknown>, pathCode: string | undefined): Promise<void> {
    const context = this.pages.of(request);
    const municipalityParam = single(query.m)?.trim() || null;
    const municipalityId = this.verification.municipality(undefined, municipalityParam ?? undefined);
    const submitted = pathCode !== undefined || single(query.code) !== undefined;
    const code = (pathCode ?? single(query.code) ?? '').trim().slice(0, 64);
    const sha256 = (single(query.sha256) ?? '').trim().slice(0, 128);
    const errors: FieldError[] = [];
    if (submitted && code === '') errors.push({ fieldId: 'code', message: context.t('verify.codeMissing') });
    if (sha256 !== '' && !SHA256.test(sha256)) errors.push({ fieldId: 'sha256', message: context.t('verify.shaInvalid') });
    const result = code !== '' && errors.length === 0 ? await this.verification.byCode(municipalityId, code, sha256 || undefined) : null;
    const html = renderDocument(VerifyView({ context, municipalityParam, code, sha256, errors, result }));
    sendPage(response, context.lang, html, errors.length > 0 ? 400 : 200);
  }
}
