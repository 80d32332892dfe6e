import { API_PREFIX, formatWareki, isoDateIn } from '@madoguchi/kernel';
import type { DocumentRecord } from './documents.repository';
import type { DocumentDto, StaffDocumentDto } from './dto/document.dto';
import { formatVerificationCode } from './layout/japanese-format';
import { verifyUrl } from './document-issuer.service';

/** The fields a resident sees of their document (never the bytes, never who revoked it). */
export function toDocumentDto(document: DocumentRecord, publicBaseUrl: string, timeZone: string): DocumentDto {
  return {
    id: document.id,
    applicationId: document.applicationId,
    kind: document.kind,
    title: document.title,
    serial: document.serial,
    issuedAt: document.issuedAt.toISOString(),
    issuedOnWareki: formatWareki(isoDateIn(document.issuedAt, timeZone)),
    status: document.status,
    revokedAt: document.revokedAt?.toISOString() ?? null,
    replacedBy: document.replacedBy,
    verificationCode: formatVerificationCode(document.verificationCode),
    sha256: document.sha256,
    byteSize: document.byteSize,
    verifyUrl: verifyUrl(publicBaseUrl, document.municipalityId, document.verificationCode),
    // A path of the JSON API the client calls with its token, not a resident page.
    downloadPath: document.status === 'issued' ? `/${API_PREFIX}/applications/${document.applicationId}/documents/${document.id}/pdf` : null,
  };
}

export function toStaffDocumentDto(document: DocumentRecord, publicBaseUrl: string, timeZone: string): StaffDocumentDto {
  return {
    ...toDocumentDto(document, publicBaseUrl, timeZone),
    replaces: document.replaces,
    revokedBy: document.revokedBy,
    revokedReason: document.revokedReason,
    issuedBy: document.issuedBy,
  };
}
