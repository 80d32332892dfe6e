import { Injectable } from '@nestjs/common';
import { type MunicipalityId, nextInSequence, sequenceScope } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { Bilingual, DocumentKind, PrintedField } from './layout/document-content';

export type DocumentStatus = 'issued' | 'revoked';

/** A stored document without its bytes. */
export interface DocumentRecord {
  municipalityId: MunicipalityId;
  id: string;
  applicationId: string;
  kind: DocumentKind;
  title: Bilingual;
  serial: string;
  fiscalYear: number;
  issueKey: string;
  verificationCode: string;
  sha256: string;
  byteSize: number;
  printed: PrintedField[];
  status: DocumentStatus;
  issuedAt: Date;
  issuedBy: { kind: 'system' | 'staff' | 'resident'; id: string | null };
  revokedAt: Date | null;
  revokedBy: string | null;
  revokedReason: string | null;
  replaces: string | null;
  replacedBy: string | null;
}

export interface DocumentInsert extends Omit<DocumentRecord, 'municipalityId' | 'status' | 'revokedAt' | 'revokedBy' | 'revokedReason' | 'replacedBy'> {
  pdf: Uint8Array;
}

interface Row {
  municipality_id: MunicipalityId;
  id: string;
  application_id: string;
  kind: DocumentKind;
  title_ja: string;
  title_en: string;
  serial: string;
  fiscal_year: number;
  issue_key: string;
  verification_code: string;
  sha256: string;
  byte_size: number;
  printed: PrintedField[];
  status: DocumentStatus;
  issued_at: Date;
  issued_by_kind: 'system' | 'staff' | 'resident';
  issued_by_id: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoked_reason: string | null;
  replaces: string | null;
  replaced_by: string | null;
}

// Never the bytes: lists and verification read only these.
const COLUMNS = `municipality_id, id, application_id, kind, title_ja, title_en, serial, fiscal_year, issue_key, verification_code, sha256,
  byte_size, printed, status, issued_at, issued_by_kind, issued_by_id, revoked_at, revoked_by, revoked_reason, replaces, replaced_by`;

function toRecord(row: Row): DocumentRecord {
  return {
    municipalityId: row.municipality_id,
    id: row.id,
    applicationId: row.application_id,
    kind: row.kind,
    title: { ja: row.title_ja, en: row.title_en },
    serial: row.serial,
    fiscalYear: row.fiscal_year,
    issueKey: row.issue_key,
    verificationCode: row.verification_code,
    sha256: row.sha256,
    byteSize: row.byte_size,
    printed: row.printed,
    status: row.status,
    issuedAt: row.issued_at,
    issuedBy: { kind: row.issued_by_kind, id: row.issued_by_id },
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokedReason: row.revoked_reason,
    replaces: row.replaces,
    replacedBy: row.replaced_by,
  };
}

/** The only code that touches documents and their serials (plus two reads the issuer needs, marked below). */
@Injectable()
export class DocumentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Serialises issuance per application until the transaction ends: the
   * check for an existing document and the insert of a new one happen under
   * it, so two deliveries of one message cannot both issue (and no serial is
   * drawn for nothing).
   */
  async lockApplication(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`documents:${municipalityId}:${applicationId}`]);
  }

  /** The next serial of a series in a fiscal year, inside the caller's transaction. */
  async nextSerial(manager: EntityManager, municipalityId: MunicipalityId, series: 'C' | 'U', fiscalYear: number): Promise<number> {
    return nextInSequence(manager, municipalityId, 'document-serial', sequenceScope(series, fiscalYear));
  }

  async insert(manager: EntityManager, municipalityId: MunicipalityId, document: DocumentInsert): Promise<void> {
    await manager.query(
      `INSERT INTO documents (municipality_id, id, application_id, kind, title_ja, title_en, serial, fiscal_year, issue_key, verification_code,
         sha256, byte_size, pdf, printed, status, issued_at, issued_by_kind, issued_by_id, replaces)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'issued', $15, $16, $17, $18)`,
      [
        municipalityId,
        document.id,
        document.applicationId,
        document.kind,
        document.title.ja,
        document.title.en,
        document.serial,
        document.fiscalYear,
        document.issueKey,
        document.verificationCode,
        document.sha256,
        document.byteSize,
        Buffer.from(document.pdf),
        JSON.stringify(document.printed),
        document.issuedAt,
        document.issuedBy.kind,
        document.issuedBy.id,
        document.replaces,
      ],
    );
  }

  async findByIssueKey(municipalityId: MunicipalityId, applicationId: string, issueKey: string, manager: EntityManager = this.dataSource.manager): Promise<DocumentRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM documents WHERE municipality_id = $1 AND application_id = $2 AND issue_key = $3`, [
      municipalityId,
      applicationId,
      issueKey,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async find(municipalityId: MunicipalityId, id: string, manager: EntityManager = this.dataSource.manager): Promise<DocumentRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM documents WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Locks the document row until the caller's transaction ends (revocation, reissue). */
  async lock(manager: EntityManager, municipalityId: MunicipalityId, id: string): Promise<DocumentRecord | null> {
    const rows: Row[] = await manager.query(`SELECT ${COLUMNS} FROM documents WHERE municipality_id = $1 AND id = $2 FOR UPDATE`, [municipalityId, id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The documents of one kind still in force for an application, locked for the caller's transaction. */
  async lockIssuedOfKind(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, kind: DocumentKind): Promise<DocumentRecord[]> {
    const rows: Row[] = await manager.query(
      `SELECT ${COLUMNS} FROM documents WHERE municipality_id = $1 AND application_id = $2 AND kind = $3 AND status = 'issued' ORDER BY issued_at FOR UPDATE`,
      [municipalityId, applicationId, kind],
    );
    return rows.map(toRecord);
  }

  async listForApplication(municipalityId: MunicipalityId, applicationId: string): Promise<DocumentRecord[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM documents WHERE municipality_id = $1 AND application_id = $2 ORDER BY issued_at, serial`,
      [municipalityId, applicationId],
    );
    return rows.map(toRecord);
  }

  async pdf(municipalityId: MunicipalityId, id: string): Promise<Buffer | null> {
    const rows: Array<{ pdf: Buffer }> = await this.dataSource.query(`SELECT pdf FROM documents WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
    return rows[0]?.pdf ?? null;
  }

  async findByCode(municipalityId: MunicipalityId, verificationCode: string): Promise<DocumentRecord | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM documents WHERE municipality_id = $1 AND verification_code = $2`, [
      municipalityId,
      verificationCode,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findBySha256(municipalityId: MunicipalityId, sha256: string): Promise<DocumentRecord | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM documents WHERE municipality_id = $1 AND sha256 = $2 LIMIT 1`, [
      municipalityId,
      sha256,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async revoke(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    id: string,
    revocation: { at: Date; by: string; reason: string; replacedBy: string | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE documents SET status = 'revoked', revoked_at = $3, revoked_by = $4, revoked_reason = $5, replaced_by = $6
        WHERE municipality_id = $1 AND id = $2 AND status = 'issued'`,
      [municipalityId, id, revocation.at, revocation.by, revocation.reason, revocation.replacedBy],
    );
  }

  /**
   * Read of another library's table: the 基本4情報 of the My Number Card
   * signature the application carries (applications' signature store), to
   * find the applicant in the resident registry. Never logged.
   */
  async signatureBasic4(municipalityId: MunicipalityId, applicationId: string): Promise<{ name: string; dateOfBirth: string } | null> {
    const rows: Array<{ basic4: { name?: string; dateOfBirth?: string } | null }> = await this.dataSource.query(
      `SELECT s.basic4 FROM application_signatures s JOIN applications a
          ON a.municipality_id = s.municipality_id AND a.id = s.application_id AND a.signature_hash = s.content_hash
        WHERE s.municipality_id = $1 AND s.application_id = $2`,
      [municipalityId, applicationId],
    );
    const basic4 = rows[0]?.basic4;
    return basic4?.name && basic4.dateOfBirth ? { name: basic4.name, dateOfBirth: basic4.dateOfBirth } : null;
  }
}
