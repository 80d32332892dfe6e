import { Body, Get, Header, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiController } from '@madoguchi/kernel';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { ApiFileResponse } from '@madoguchi/kernel';
import { CurrentResident, CurrentStaff, Public, ResidentOnly, type ResidentPrincipal, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import type { Request } from 'express';
import { type PdfFile, DocumentsService } from './documents.service';
import { DocumentDto, ReissueDocumentDto, RevokeDocumentDto, StaffDocumentDto, VerificationResultDto, VerifyDocumentDto } from './dto/document.dto';
import { VerificationService } from './verification/verification.service';

const uuid = new ParseUUIDPipe();

/** A download: never shown inline, never sniffed into something else. */
function pdfResponse(file: PdfFile): StreamableFile {
  return new StreamableFile(file.data, {
    type: 'application/pdf',
    disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    length: file.data.length,
  });
}

@ApiTags('documents (resident)')
@ApiController('applications')
@ResidentOnly()
export class ResidentDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id/documents')
  list(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<DocumentDto[]> {
    return this.documents.listMine(resident, id);
  }

  @Get(':id/documents/:documentId/pdf')
  @ApiFileResponse('application/pdf', 'The issued document (PDF).')
  async pdf(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Param('documentId', uuid) documentId: string): Promise<StreamableFile> {
    return pdfResponse(await this.documents.pdfOfMine(resident, id, documentId));
  }

  /** 受付票: proof of submission with its own serial and verification code. */
  @Get(':id/receipt.pdf')
  @ApiFileResponse('application/pdf', 'The receipt (PDF).')
  async receipt(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<StreamableFile> {
    return pdfResponse(await this.documents.receipt(resident, id));
  }
}

@ApiTags('documents (staff)')
@ApiController('staff')
export class StaffDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get('applications/:id/documents')
  @StaffOnly('clerk', 'reviewer', 'approver')
  list(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<StaffDocumentDto[]> {
    return this.documents.staffList(staff, id);
  }

  @Post('documents/:id/revoke')
  @HttpCode(200)
  @StaffOnly('reviewer', 'approver')
  revoke(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: RevokeDocumentDto): Promise<StaffDocumentDto> {
    return this.documents.revoke(staff, id, body.reason);
  }

  @Post('documents/:id/reissue')
  @HttpCode(200)
  @StaffOnly('reviewer', 'approver')
  reissue(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: ReissueDocumentDto): Promise<StaffDocumentDto> {
    return this.documents.reissue(staff, id, body.reason);
  }
}

/**
 * Public verification: outside the tenancy middleware (a page opened from a
 * QR code sends no header), so the municipality comes from the header, the
 * link's `m` or the default (VerificationService.municipality).
 */
@ApiTags('documents (verification)')
@ApiController()
@Public()
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Get('verify')
  @ApiFileResponse('text/html', 'The verification form page (HTML).')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
  @Header('X-Robots-Tag', 'noindex')
  form(@Headers('x-municipality-id') header: string | undefined, @Query() query: Record<string, unknown>): Promise<string> {
    return this.verification.page(header, query);
  }

  @Get('verify/:code')
  @ApiFileResponse('text/html', 'The verification result page (HTML).')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
  @Header('X-Robots-Tag', 'noindex')
  page(@Headers('x-municipality-id') header: string | undefined, @Param('code') code: string, @Query() query: Record<string, unknown>): Promise<string> {
    return this.verification.page(header, query, code);
  }

  /** `{code, sha256?}` as JSON, or the PDF itself (Content-Type: application/pdf, optional `?code=`). */
  @Post('documents/verify')
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/pdf')
  @ApiBody({ type: VerifyDocumentDto })
  verify(@Headers('x-municipality-id') header: string | undefined, @Query() query: Record<string, unknown>, @Req() request: Request): Promise<VerificationResultDto> {
    return this.verification.verifyRequest(header, query, request.body);
  }
}
