import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';

export interface AttachmentMeta {
  id: string;
  ownerResidentId: string;
  sha256: string;
  contentType: string;
  sizeBytes: number;
  fileName: string;
  createdAt: Date;
}

interface Row {
  id: string;
  owner_resident_id: string;
  sha256: string;
  content_type: string;
  size_bytes: number;
  file_name: string;
  created_at: Date;
}

const META = 'a.id, a.owner_resident_id, a.sha256, a.content_type, a.size_bytes, a.file_name, a.created_at';
const toMeta = (row: Row): AttachmentMeta => ({
  id: row.id,
  ownerResidentId: row.owner_resident_id,
  sha256: row.sha256,
  contentType: row.content_type,
  sizeBytes: row.size_bytes,
  fileName: row.file_name,
  createdAt: row.created_at,
});

@Injectable()
export class AttachmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the bytes once per resident and content; returns the id of the stored copy. */
  async store(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    file: { id: string; ownerResidentId: string; sha256: string; contentType: string; fileName: string; data: Buffer; now: Date },
  ): Promise<string> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO attachments (municipality_id, id, owner_resident_id, sha256, content_type, size_bytes, file_name, data, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (municipality_id, owner_resident_id, sha256) DO UPDATE SET file_name = attachments.file_name
       RETURNING id`,
      [municipalityId, file.id, file.ownerResidentId, file.sha256, file.contentType, file.data.length, file.fileName, file.data, file.now],
    );
    return rows[0].id;
  }

  /** Bytes a resident stores: each stored file once, however many applications it is attached to. */
  async storedBytes(manager: EntityManager, municipalityId: MunicipalityId, residentId: string): Promise<number> {
    const rows: Array<{ bytes: string }> = await manager.query(
      `SELECT coalesce(sum(size_bytes), 0)::bigint AS bytes FROM attachments WHERE municipality_id = $1 AND owner_resident_id = $2`,
      [municipalityId, residentId],
    );
    return Number(rows[0].bytes);
  }

  async isStored(manager: EntityManager, municipalityId: MunicipalityId, residentId: string, sha256: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM attachments WHERE municipality_id = $1 AND owner_resident_id = $2 AND sha256 = $3`, [
      municipalityId,
      residentId,
      sha256,
    ]);
    return rows.length > 0;
  }

  /** Deletes the stored file once no application holds it any more, so removing it frees the resident's quota. */
  async deleteIfUnlinked(manager: EntityManager, municipalityId: MunicipalityId, attachmentId: string): Promise<void> {
    await manager.query(
      `DELETE FROM attachments a WHERE a.municipality_id = $1 AND a.id = $2
         AND NOT EXISTS (SELECT 1 FROM application_attachments l WHERE l.municipality_id = a.municipality_id AND l.attachment_id = a.id)`,
      [municipalityId, attachmentId],
    );
  }

  async link(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, attachmentId: string, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO application_attachments (municipality_id, application_id, attachment_id, attached_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [municipalityId, applicationId, attachmentId, now],
    );
  }

  async unlink(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, attachmentId: string): Promise<boolean> {
    const [, count]: [unknown[], number] = await manager.query(
      `DELETE FROM application_attachments WHERE municipality_id = $1 AND application_id = $2 AND attachment_id = $3`,
      [municipalityId, applicationId, attachmentId],
    );
    return count === 1;
  }

  async countLinked(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string): Promise<number> {
    const rows: Array<{ n: number }> = await manager.query(
      `SELECT count(*)::int AS n FROM application_attachments WHERE municipality_id = $1 AND application_id = $2`,
      [municipalityId, applicationId],
    );
    return rows[0].n;
  }

  async listForApplication(municipalityId: MunicipalityId, applicationId: string): Promise<AttachmentMeta[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${META} FROM application_attachments l JOIN attachments a ON a.municipality_id = l.municipality_id AND a.id = l.attachment_id
        WHERE l.municipality_id = $1 AND l.application_id = $2 ORDER BY l.attached_at`,
      [municipalityId, applicationId],
    );
    return rows.map(toMeta);
  }

  async listForResident(municipalityId: MunicipalityId, residentId: string): Promise<AttachmentMeta[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${META} FROM attachments a WHERE a.municipality_id = $1 AND a.owner_resident_id = $2 ORDER BY a.created_at DESC LIMIT 200`,
      [municipalityId, residentId],
    );
    return rows.map(toMeta);
  }

  async findOwned(municipalityId: MunicipalityId, residentId: string, attachmentId: string): Promise<AttachmentMeta | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${META} FROM attachments a WHERE a.municipality_id = $1 AND a.id = $2 AND a.owner_resident_id = $3`, [
      municipalityId,
      attachmentId,
      residentId,
    ]);
    return rows[0] ? toMeta(rows[0]) : null;
  }

  /** The bytes of an attachment linked to the application, or null. */
  async content(municipalityId: MunicipalityId, applicationId: string, attachmentId: string): Promise<{ meta: AttachmentMeta; data: Buffer } | null> {
    const rows: Array<Row & { data: Buffer }> = await this.dataSource.query(
      `SELECT ${META}, a.data FROM application_attachments l JOIN attachments a ON a.municipality_id = l.municipality_id AND a.id = l.attachment_id
        WHERE l.municipality_id = $1 AND l.application_id = $2 AND l.attachment_id = $3`,
      [municipalityId, applicationId, attachmentId],
    );
    return rows[0] ? { meta: toMeta(rows[0]), data: rows[0].data } : null;
  }
}
