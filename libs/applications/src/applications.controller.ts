import { Body, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, StreamableFile } from '@nestjs/common';
import { ApiController } from '@madoguchi/kernel';
import type { Request } from 'express';
import { type AttachmentDto, AttachmentsService } from './attachments/attachments.service';
import { ApiHeader } from '@nestjs/swagger';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsIdempotencyKey, ApiFileResponse } from '@madoguchi/kernel';
import { CurrentResident, CurrentStaff, ResidentOnly, type ResidentPrincipal, RevealDto, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import {
  ApplicationDto,
  ApplicationSummaryDto,
  CreateApplicationDto,
  RevisionDto,
  StaffEventDto,
  TimelineEntryDto,
  UpdateFormDto,
  WithdrawDto,
  SignApplicationDto,
  CorrectionDto,
  ReceiptDto,
  ReuseAttachmentDto,
} from './dto/application.dto';
import type { JpkiReverification } from '@madoguchi/identity';
import { ApplicationAccessService } from './application-access.service';
import { WorkQueuePageDto, WorkQueueQuery } from './work-queue/work-queue.dto';
import { ResidentChangesDto } from './case-work/dto/case-work.dto';
import { SubmissionDiffsService } from './case-work/submission-diffs.service';

const uuid = new ParseUUIDPipe();

/** Downloads: never rendered inline, never sniffed into something else. */
function fileResponse(file: { meta: { fileName: string; contentType: string }; data: Buffer }): StreamableFile {
  return new StreamableFile(file.data, {
    type: file.meta.contentType,
    disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.meta.fileName)}`,
    length: file.data.length,
  });
}

@ApiTags('applications (resident)')
@ApiController('applications')
@ResidentOnly()
export class ResidentApplicationsController {
  constructor(
    private readonly access: ApplicationAccessService,
    private readonly attachments: AttachmentsService,
    private readonly diffs: SubmissionDiffsService,
  ) {}

  @Post(':id/attachments')
  @ApiHeader({ name: 'X-File-Name', required: true, description: 'Percent-encoded UTF-8 file name' })
  upload(
    @CurrentResident() resident: ResidentPrincipal,
    @Param('id', uuid) id: string,
    @Headers('x-file-name') fileName: string | undefined,
    @Req() request: Request,
  ): Promise<AttachmentDto> {
    return this.attachments.upload(resident, id, fileName, Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
  }

  @Post(':id/attachments/reuse')
  reuse(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: ReuseAttachmentDto): Promise<AttachmentDto> {
    return this.attachments.reuse(resident, id, body.attachmentId);
  }

  @Get(':id/attachments')
  listAttachments(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<AttachmentDto[]> {
    return this.attachments.listForApplication(resident, id);
  }

  @Get(':id/attachments/:attachmentId')
  @ApiFileResponse('application/octet-stream', 'The attachment as uploaded; Content-Type is its own type (PDF, JPEG, PNG, …).')
  async download(
    @CurrentResident() resident: ResidentPrincipal,
    @Param('id', uuid) id: string,
    @Param('attachmentId', uuid) attachmentId: string,
  ): Promise<StreamableFile> {
    return fileResponse(await this.attachments.download(resident, id, attachmentId));
  }

  @Delete(':id/attachments/:attachmentId')
  @HttpCode(204)
  removeAttachment(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Param('attachmentId', uuid) attachmentId: string): Promise<void> {
    return this.attachments.remove(resident, id, attachmentId);
  }

  @Post()
  @AcceptsIdempotencyKey()
  create(
    @CurrentResident() resident: ResidentPrincipal,
    @Body() body: CreateApplicationDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ApplicationDto> {
    return this.access.create(resident, body.procedureCode, body.formData, idempotencyKey);
  }

  @Get()
  list(@CurrentResident() resident: ResidentPrincipal): Promise<ApplicationSummaryDto[]> {
    return this.access.listMine(resident);
  }

  @Get(':id')
  get(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<ApplicationDto> {
    return this.access.getMine(resident, id);
  }

  @Get(':id/timeline')
  timeline(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<TimelineEntryDto[]> {
    return this.access.timeline(resident, id);
  }

  /** What you changed since your last submission, what happened since, and what staff asked you to fix. */
  @Get(':id/changes')
  changes(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<ResidentChangesDto> {
    return this.diffs.residentChanges(resident, id);
  }

  @Get(':id/signing-content')
  signingContent(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<{ content: Record<string, unknown>; contentHash: string }> {
    return this.access.signingContent(resident, id);
  }

  @Post(':id/signature')
  @HttpCode(200)
  sign(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: SignApplicationDto): Promise<{ contentHash: string; basic4: unknown }> {
    return this.access.sign(resident, id, body.signature, [body.certificate, ...(body.intermediates ?? [])]);
  }

  @Put(':id/form')
  updateForm(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: UpdateFormDto): Promise<ApplicationDto> {
    return this.access.updateForm(resident, id, body.formData, body.revision);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @AcceptsIdempotencyKey()
  submit(
    @CurrentResident() resident: ResidentPrincipal,
    @Param('id', uuid) id: string,
    @Body() body: RevisionDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ApplicationDto> {
    return this.access.submit(resident, id, body.revision, idempotencyKey);
  }

  @Put(':id/corrections')
  correct(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: CorrectionDto): Promise<ApplicationDto> {
    return this.access.correct(resident, id, body.changes, body.revision);
  }

  @Post(':id/discard')
  @HttpCode(200)
  discard(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: RevisionDto): Promise<ApplicationDto> {
    return this.access.discard(resident, id, body.revision);
  }

  @Get(':id/receipt')
  receipt(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<ReceiptDto> {
    return this.access.receipt(resident, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: WithdrawDto): Promise<ApplicationDto> {
    return this.access.residentEvent(resident, id, 'resident.withdraw', body.reason ? { reason: body.reason } : {}, body.revision);
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  resubmit(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: RevisionDto): Promise<ApplicationDto> {
    return this.access.residentEvent(resident, id, 'resident.resubmit', {}, body.revision);
  }
}

@ApiTags('applications (staff)')
@ApiController('staff/applications')
@StaffOnly('clerk', 'reviewer', 'approver')
export class StaffApplicationsController {
  constructor(private readonly access: ApplicationAccessService) {}

  /** The work queue of your departments: filters, sort and keyset pages (see WorkQueueQuery). */
  @Get()
  queue(@CurrentStaff() staff: StaffPrincipal, @Query() query: WorkQueueQuery): Promise<WorkQueuePageDto> {
    return this.access.queue(staff, query);
  }

  @Get(':id')
  get(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<ApplicationDto> {
    return this.access.staffGet(staff, id);
  }

  @Get(':id/attachments/:attachmentId')
  @ApiFileResponse('application/octet-stream', 'The attachment as uploaded; Content-Type is its own type (PDF, JPEG, PNG, …).')
  async attachment(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Param('attachmentId', uuid) attachmentId: string): Promise<StreamableFile> {
    return fileResponse(await this.access.staffAttachment(staff, id, attachmentId));
  }

  @Post(':id/individual-number/reveal')
  @StaffOnly('reviewer', 'approver')
  @HttpCode(200)
  revealIndividualNumber(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: RevealDto): Promise<{ individualNumber: string }> {
    return this.access.staffRevealIndividualNumber(staff, id, body.purpose);
  }

  @Get(':id/signature')
  signature(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<JpkiReverification> {
    return this.access.staffReverifySignature(staff, id);
  }

  @Post(':id/events')
  @HttpCode(200)
  event(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: StaffEventDto): Promise<ApplicationDto> {
    return this.access.staffEvent(staff, id, body);
  }
}

@ApiTags('applications (resident)')
@ApiController('attachments')
@ResidentOnly()
export class ResidentAttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  /** Files submitted before, to attach again without uploading (ワンスオンリー). */
  @Get()
  list(@CurrentResident() resident: ResidentPrincipal): Promise<AttachmentDto[]> {
    return this.attachments.listMine(resident);
  }
}
