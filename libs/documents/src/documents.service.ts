import { CaseAccess, QUEUE_ROLES, ApplicationError, staffReadDetails } from '@madoguchi/engine';
import { Inject, Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { type AppConfig, MunicipalityDirectory } from '@madoguchi/config';
import { IdentityError, type ResidentPrincipal, type StaffPrincipal } from '@madoguchi/identity';
import { APP_CONFIG, Clock, type MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { DocumentKind } from './layout/document-content';
import { DocumentError } from './document.errors';
import { DocumentIssuer } from './document-issuer.service';
import { toDocumentDto, toStaffDocumentDto } from './document.mapper';
import { type DocumentRecord, DocumentsRepository } from './documents.repository';
import type { DocumentDto, StaffDocumentDto } from './dto/document.dto';

/** Revoking and reissuing change what the municipality certified: reviewers and approvers only. */
const DECIDING_ROLES = ['reviewer', 'approver'] as const;

export const DocumentAuditActions = {
  Revoked: 'document.revoked',
  Reissued: 'document.reissued',
} as const;

export interface PdfFile {
  fileName: string;
  data: Buffer;
}

/**
 * Documents of applications for their residents and for staff. Residents
 * reach only their own applications' documents; staff only those of
 * applications their departments own (else 404, existence not confirmed).
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
    private readonly documents: DocumentsRepository,
    private readonly issuer: DocumentIssuer,
    private readonly audit: AuditService,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // Residents

  async listMine(resident: ResidentPrincipal, applicationId: string): Promise<DocumentDto[]> {
    await this.access.residentCase(resident, applicationId);
    const documents = await this.documents.listForApplication(resident.municipalityId, applicationId);
    return documents.map((document) => toDocumentDto(document, this.config.publicBaseUrl, this.timeZone(resident.municipalityId)));
  }

  async pdfOfMine(resident: ResidentPrincipal, applicationId: string, documentId: string): Promise<PdfFile> {
    await this.access.residentCase(resident, applicationId);
    const document = await this.documents.find(resident.municipalityId, documentId);
    if (!document || document.applicationId !== applicationId) throw DocumentError.notFound();
    if (document.status === 'revoked') throw DocumentError.revoked(document.replacedBy);
    return this.file(resident.municipalityId, document);
  }

  /** 受付票 of a submitted application: issued (with its own serial and verification code) on first request. */
  async receipt(resident: ResidentPrincipal, applicationId: string): Promise<PdfFile> {
    const application = await this.access.residentCase(resident, applicationId);
    if (!application.submittedAt || !application.referenceNumber) throw ApplicationError.notSubmitted();
    const receipt = await this.issuer.receiptFor(application, { kind: 'resident', id: resident.id });
    return this.file(resident.municipalityId, receipt);
  }

  // Staff

  async staffList(staff: StaffPrincipal, applicationId: string): Promise<StaffDocumentDto[]> {
    const application = await this.access.staffCase(staff, applicationId, QUEUE_ROLES);
    const documents = await this.documents.listForApplication(staff.municipalityId, applicationId);
    // Which certificates a resident was issued is their personal data: the list is a read.
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id: applicationId },
      details: { fields: ['documents'], count: documents.length, ...staffReadDetails(application, 'documents') },
    });
    return documents.map((document) => toStaffDocumentDto(document, this.config.publicBaseUrl, this.timeZone(staff.municipalityId)));
  }

  /** The PDF of a document of a case of the staff member's departments, revoked or not; the read is audited. */
  async staffPdf(staff: StaffPrincipal, applicationId: string, documentId: string): Promise<PdfFile> {
    const application = await this.access.staffCase(staff, applicationId, QUEUE_ROLES);
    const document = await this.documents.find(staff.municipalityId, documentId);
    if (!document || document.applicationId !== applicationId) throw DocumentError.notFound();
    const file = await this.file(staff.municipalityId, document);
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id: applicationId },
      details: { fields: ['document'], documentId, serial: document.serial, ...staffReadDetails(application, 'documentDownload') },
    });
    return file;
  }

  /** Revokes a document issued in error; verification says so from then on. */
  async revoke(staff: StaffPrincipal, documentId: string, reason: string): Promise<StaffDocumentDto> {
    requireRole(staff, DECIDING_ROLES);
    const document = await this.staffDocument(staff, documentId);
    const municipalityId = staff.municipalityId;
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.documents.lock(manager, municipalityId, document.id);
      if (!locked) throw DocumentError.notFound();
      if (locked.status === 'revoked') throw DocumentError.alreadyRevoked(locked.replacedBy);
      await this.documents.revoke(manager, municipalityId, document.id, { at: this.clock.now(), by: staff.id, reason, replacedBy: null });
      // Ids only: the reason is free text and may name the resident.
      await this.audit.record(
        municipalityId,
        {
          actor: { kind: 'staff', id: staff.id },
          action: DocumentAuditActions.Revoked,
          target: { type: 'document', id: document.id },
          details: { applicationId: document.applicationId, serial: document.serial },
        },
        manager,
      );
    });
    return this.staffDto(municipalityId, document.id);
  }

  /**
   * Revokes, inside the caller's transaction, the documents of a kind an
   * application no longer warrants (a use permit of a cancelled booking):
   * verification then says revoked. Returns how many it revoked.
   */
  async revokeInForce(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    applicationId: string,
    kind: DocumentKind,
    revocation: { reason: string; actor: { kind: 'staff' | 'resident' | 'system'; id: string } },
  ): Promise<number> {
    const documents = await this.documents.lockIssuedOfKind(manager, municipalityId, applicationId, kind);
    const at = this.clock.now();
    for (const document of documents) {
      await this.documents.revoke(manager, municipalityId, document.id, { at, by: revocation.actor.id, reason: revocation.reason, replacedBy: null });
      await this.audit.record(
        municipalityId,
        {
          actor: { kind: revocation.actor.kind, id: revocation.actor.id },
          action: DocumentAuditActions.Revoked,
          target: { type: 'document', id: document.id },
          details: { applicationId, serial: document.serial },
        },
        manager,
      );
    }
    return documents.length;
  }

  /** A new document (new serial and code, content gathered again) replacing this one, which is revoked. */
  async reissue(staff: StaffPrincipal, documentId: string, reason: string): Promise<StaffDocumentDto> {
    requireRole(staff, DECIDING_ROLES);
    const document = await this.staffDocument(staff, documentId);
    const application = await this.access.staffCase(staff, document.applicationId, DECIDING_ROLES);
    const municipalityId = staff.municipalityId;
    const replacement = await this.dataSource.transaction(async (manager) => {
      await this.documents.lockApplication(manager, municipalityId, document.applicationId);
      const locked = await this.documents.lock(manager, municipalityId, document.id);
      if (!locked) throw DocumentError.notFound();
      // A replayed or concurrent reissue finds it revoked by the first.
      if (locked.status === 'revoked') throw DocumentError.alreadyRevoked(locked.replacedBy);
      const issued = await this.issuer.reissueIn(manager, application, locked, reason, { kind: 'staff', id: staff.id });
      await this.audit.record(
        municipalityId,
        {
          actor: { kind: 'staff', id: staff.id },
          action: DocumentAuditActions.Reissued,
          target: { type: 'document', id: document.id },
          details: { applicationId: document.applicationId, serial: document.serial, replacedBy: issued.id, newSerial: issued.serial },
        },
        manager,
      );
      return issued;
    });
    return this.staffDto(municipalityId, replacement.id);
  }

  /** A document of an application of the staff member's departments; 404 otherwise. */
  private async staffDocument(staff: StaffPrincipal, documentId: string): Promise<DocumentRecord> {
    const document = await this.documents.find(staff.municipalityId, documentId);
    if (!document) throw DocumentError.notFound();
    try {
      await this.access.staffCase(staff, document.applicationId, DECIDING_ROLES);
    } catch (error) {
      // Another department's document is as unknown as a missing one.
      if (error instanceof ApplicationError) throw DocumentError.notFound();
      throw error;
    }
    return document;
  }

  private async staffDto(municipalityId: MunicipalityId, id: string): Promise<StaffDocumentDto> {
    const document = await this.documents.find(municipalityId, id);
    if (!document) throw DocumentError.notFound();
    return toStaffDocumentDto(document, this.config.publicBaseUrl, this.timeZone(municipalityId));
  }

  private async file(municipalityId: MunicipalityId, document: DocumentRecord): Promise<PdfFile> {
    const data = await this.documents.pdf(municipalityId, document.id);
    if (!data) throw DocumentError.notFound();
    return { fileName: `${document.title.ja}_${document.serial}.pdf`, data };
  }

  private timeZone(municipalityId: MunicipalityId): string {
    return this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
  }
}

function requireRole(staff: StaffPrincipal, roles: readonly string[]): void {
  if (!staff.roles.some((role) => roles.includes(role))) throw IdentityError.forbidden();
}
