import { Get, NotFoundException, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { ApplicationAccessService } from '@madoguchi/applications';
import { DocumentsService } from '@madoguchi/documents';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { type SignatureOutcome, SignatureView, VIEWABLE_TYPES } from './case-records.view';

const uuid = new ParseUUIDPipe();

/**
 * A file sent to a staff browser: its own type only when a browser shows
 * that type itself (else a download of octet-stream), never sniffed, never
 * cached, never framed; an image is sandboxed, a PDF gets the browser's
 * viewer and nothing else from us.
 */
function sendFile(response: Response, file: { fileName: string; contentType: string; data: Buffer }, disposition: 'inline' | 'attachment'): void {
  const viewable = VIEWABLE_TYPES.includes(file.contentType);
  const inline = disposition === 'inline' && viewable;
  response
    .status(200)
    .set({
      'Content-Type': viewable ? file.contentType : 'application/octet-stream',
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'Content-Length': String(file.data.length),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': file.contentType === 'application/pdf' ? "frame-ancestors 'none'" : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'same-origin',
    })
    .end(file.data);
}

/**
 * /office/applications/:id/…: the case's files and the signature check,
 * each a staff read of personal data audited by the same service as its
 * JSON route (attachments and the signature in ApplicationAccessService,
 * documents in DocumentsService).
 */
@StaffOnly('clerk', 'reviewer', 'approver')
@OfficePageController('applications')
export class CaseFilesPageController {
  constructor(
    private readonly access: ApplicationAccessService,
    private readonly documents: DocumentsService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get(':id/attachments/:attachmentId/:disposition')
  async attachment(
    @Res() response: Response,
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Param('attachmentId', uuid) attachmentId: string,
    @Param('disposition') disposition: string,
  ): Promise<void> {
    if (disposition !== 'view' && disposition !== 'download') throw new NotFoundException();
    const file = await this.access.staffAttachment(staff, id, attachmentId);
    sendFile(response, { ...file.meta, data: file.data }, disposition === 'view' ? 'inline' : 'attachment');
  }

  @Get(':id/documents/:documentId/pdf')
  async pdf(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Param('documentId', uuid) documentId: string): Promise<void> {
    const file = await this.documents.staffPdf(staff, id, documentId);
    sendFile(response, { fileName: file.fileName, contentType: 'application/pdf', data: file.data }, 'attachment');
  }

  /** The stored signature verified again (GET /staff/applications/:id/signature); an invalid one is a result, not an error page. */
  @Get(':id/signature')
  async signature(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const application = await this.access.staffCase(staff, id);
    let outcome: SignatureOutcome;
    try {
      outcome = { kind: 'valid', result: await this.access.staffReverifySignature(staff, id) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'APPLICATION_SIGNATURE_NOT_FOUND') outcome = { kind: 'none' };
      else if (error.code.startsWith('JPKI_'))
        outcome = { kind: 'invalid', message: context.lang === 'en' ? error.userMessage.en : error.userMessage.ja, contentChanged: error.details?.reason === 'contentChanged' };
      else throw error;
    }
    sendPage(response, context.lang, renderDocument(SignatureView({ context, application, outcome })));
  }
}
