import { Get, Post, Req, Res } from '@nestjs/common';
import { CurrentStaff, JpkiTrustStore, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { ADMIN_JPKI, JpkiTrustView } from './admin-jpki.view';

/**
 * /office/admin/jpki: what the card sign-in trusts, and the CRL upload, on
 * the same JpkiTrustStore.load as POST /api/v1/admin/jpki/crls (the file
 * arrives multipart, parsed by CrlUploadMiddleware before the guard).
 */
@StaffOnly('administrator')
@OfficePageController('admin/jpki')
export class AdminJpkiPageController {
  constructor(
    private readonly trust: JpkiTrustStore,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async page(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const done = request.query.done;
    const issuer = typeof request.query.issuer === 'string' ? request.query.issuer.slice(0, 300) : '';
    const notice = done === 'added' || done === 'already' ? { added: done === 'added', issuer } : null;
    await this.render(request, response, staff, notice, null, 200);
  }

  @Post('crls')
  async upload(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const file = (request as Request & { file?: { buffer: Buffer } }).file;
    const context = await this.pages.of(request);
    if (!file || file.buffer.length === 0) return this.render(request, response, staff, null, context.t('office.admin.jpki.fileMissing'), 400);
    try {
      const loaded = await this.trust.load(staff.municipalityId, file.buffer);
      response.redirect(303, `${ADMIN_JPKI}?done=${loaded.added ? 'added' : 'already'}&issuer=${encodeURIComponent(loaded.issuer)}`);
    } catch (error) {
      // A file that is no CRL is the uploader's mistake: said by the field, the page stays.
      if (!(error instanceof DomainError) || (error as DomainError & { httpStatus: number }).httpStatus >= 500) throw error;
      return this.render(request, response, staff, null, context.t('office.admin.jpki.fileInvalid'), 400);
    }
  }

  private async render(request: Request, response: Response, staff: StaffPrincipal, notice: { added: boolean; issuer: string } | null, error: string | null, status: number): Promise<void> {
    const context = await this.pages.of(request);
    const crls = await this.trust.describeCrls(staff.municipalityId);
    const html = renderDocument(JpkiTrustView({ context, anchors: this.trust.describeAnchors(), crls, notice, errors: error ? [{ fieldId: 'crl', message: error }] : [] }));
    sendPage(response, context.lang, html, status);
  }
}
