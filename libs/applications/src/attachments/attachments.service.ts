import { type ApplicationEntity, staffReadDetails, ApplicationRepository, ApplicationError } from '@madoguchi/engine';
import { Inject, Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import type { ResidentPrincipal, StaffPrincipal } from '@madoguchi/identity';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock, type MunicipalityId } from '@madoguchi/kernel';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AttachmentError, type AttachmentPolicy, checkUpload, cleanFileName, CONTENT_TYPES, DEFAULT_ATTACHMENT_POLICY } from './attachment-policy';
import { type AttachmentMeta, AttachmentRepository } from './attachment.repository';

export interface AttachmentDto {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

const toDto = (meta: AttachmentMeta): AttachmentDto => ({
  id: meta.id,
  fileName: meta.fileName,
  contentType: meta.contentType,
  sizeBytes: meta.sizeBytes,
  sha256: meta.sha256,
});

/**
 * Files attached to applications, stored in PostgreSQL once per resident and
 * content. A resident can attach again a file from an earlier application
 * instead of uploading it again (ワンスオンリー).
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly attachments: AttachmentRepository,
    private readonly applications: ApplicationRepository,
    private readonly registry: ProcedureRegistry,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async upload(resident: ResidentPrincipal, applicationId: string, fileNameHeader: string | undefined, bytes: Buffer): Promise<AttachmentDto> {
    const policy = await this.editablePolicy(resident, applicationId);
    const fileName = cleanFileName(fileNameHeader);
    const { type, sha256 } = checkUpload(bytes, policy);
    return this.attach(resident.municipalityId, applicationId, policy, async (manager, now) => {
      await this.assertQuota(manager, resident, sha256, bytes.length);
      return this.attachments.store(manager, resident.municipalityId, {
        id: randomUUID(),
        ownerResidentId: resident.id,
        sha256,
        contentType: CONTENT_TYPES[type],
        fileName,
        data: bytes,
        now,
      });
    });
  }

  /**
   * Inside the upload's transaction, under the resident's quota lock: a
   * concurrent upload waits for this one to commit and then counts it. A file
   * the resident already stores (same SHA-256) adds nothing.
   */
  private async assertQuota(manager: EntityManager, resident: ResidentPrincipal, sha256: string, size: number): Promise<void> {
    await this.applications.lockResidentQuota(manager, resident.municipalityId, resident.id);
    if (await this.attachments.isStored(manager, resident.municipalityId, resident.id, sha256)) return;
    const used = await this.attachments.storedBytes(manager, resident.municipalityId, resident.id);
    const max = this.config.maxAttachmentBytesPerResident;
    if (used + size > max) throw AttachmentError.quotaExceeded(max, used);
  }

  /** Attaches a file the resident submitted before. */
  async reuse(resident: ResidentPrincipal, applicationId: string, attachmentId: string): Promise<AttachmentDto> {
    const policy = await this.editablePolicy(resident, applicationId);
    const existing = await this.attachments.findOwned(resident.municipalityId, resident.id, attachmentId);
    if (!existing) throw AttachmentError.notFound();
    const type = (Object.entries(CONTENT_TYPES).find(([, contentType]) => contentType === existing.contentType)?.[0] ?? null) as AttachmentPolicy['types'][number] | null;
    if (!type || !policy.types.includes(type)) throw AttachmentError.typeNotAccepted(policy.types);
    if (existing.sizeBytes > policy.maxBytes) throw AttachmentError.tooLarge(policy.maxBytes);
    return this.attach(resident.municipalityId, applicationId, policy, async () => existing.id);
  }

  async remove(resident: ResidentPrincipal, applicationId: string, attachmentId: string): Promise<void> {
    await this.editablePolicy(resident, applicationId);
    await this.dataSource.transaction(async (manager) => {
      // Same lock order as an upload (application row, then the quota).
      await this.applications.lock(manager, resident.municipalityId, applicationId);
      await this.applications.lockResidentQuota(manager, resident.municipalityId, resident.id);
      const removed = await this.attachments.unlink(manager, resident.municipalityId, applicationId, attachmentId);
      if (!removed) throw AttachmentError.notFound();
      await this.attachments.deleteIfUnlinked(manager, resident.municipalityId, attachmentId);
    });
  }

  async listForApplication(resident: ResidentPrincipal, applicationId: string): Promise<AttachmentDto[]> {
    await this.owned(resident, applicationId);
    return (await this.attachments.listForApplication(resident.municipalityId, applicationId)).map(toDto);
  }

  async listMine(resident: ResidentPrincipal): Promise<AttachmentDto[]> {
    return (await this.attachments.listForResident(resident.municipalityId, resident.id)).map(toDto);
  }

  async download(resident: ResidentPrincipal, applicationId: string, attachmentId: string): Promise<{ meta: AttachmentDto; data: Buffer }> {
    await this.owned(resident, applicationId);
    return this.contentOf(resident.municipalityId, applicationId, attachmentId);
  }

  /** Staff: what is attached (name, type, size); the caller checked department access. */
  async staffList(application: ApplicationEntity): Promise<AttachmentDto[]> {
    return (await this.attachments.listForApplication(application.municipalityId as MunicipalityId, application.id)).map(toDto);
  }

  /** Staff download: the caller checked department access; the read is audited. */
  async staffDownload(staff: StaffPrincipal, application: ApplicationEntity, attachmentId: string): Promise<{ meta: AttachmentDto; data: Buffer }> {
    const applicationId = application.id;
    const file = await this.contentOf(staff.municipalityId, applicationId, attachmentId);
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id: applicationId },
      details: { fields: ['attachment'], attachmentId, ...staffReadDetails(application, 'attachment') },
    });
    return file;
  }

  private async contentOf(municipalityId: MunicipalityId, applicationId: string, attachmentId: string): Promise<{ meta: AttachmentDto; data: Buffer }> {
    const file = await this.attachments.content(municipalityId, applicationId, attachmentId);
    if (!file) throw AttachmentError.notFound();
    return { meta: toDto(file.meta), data: file.data };
  }

  private async attach(
    municipalityId: MunicipalityId,
    applicationId: string,
    policy: AttachmentPolicy,
    store: (manager: import('typeorm').EntityManager, now: Date) => Promise<string>,
  ): Promise<AttachmentDto> {
    const now = this.clock.now();
    const attachmentId = await this.dataSource.transaction(async (manager) => {
      // The application row lock serialises concurrent uploads, so the count holds.
      const application = await this.applications.lock(manager, municipalityId, applicationId);
      if (!application || (application.phase !== 'draft' && application.state !== 'returned')) throw AttachmentError.notEditable();
      if ((await this.attachments.countLinked(manager, municipalityId, applicationId)) >= policy.maxCount) throw AttachmentError.limit(policy.maxCount);
      const id = await store(manager, now);
      await this.attachments.link(manager, municipalityId, applicationId, id, now);
      return id;
    });
    const linked = await this.attachments.listForApplication(municipalityId, applicationId);
    return toDto(linked.find((meta) => meta.id === attachmentId)!);
  }

  private async owned(resident: ResidentPrincipal, applicationId: string) {
    const application = await this.applications.find(resident.municipalityId, applicationId);
    if (!application || application.applicantId !== resident.id) throw ApplicationError.notFound(applicationId);
    return application;
  }

  private async editablePolicy(resident: ResidentPrincipal, applicationId: string): Promise<AttachmentPolicy> {
    const application = await this.owned(resident, applicationId);
    if (application.phase !== 'draft' && application.state !== 'returned') throw AttachmentError.notEditable();
    const compiled = await this.registry.get(resident.municipalityId, application.procedureCode, application.procedureVersion);
    return compiled.definition.attachments ?? DEFAULT_ATTACHMENT_POLICY;
  }
}
