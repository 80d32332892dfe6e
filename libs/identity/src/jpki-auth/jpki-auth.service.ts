import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ResidentRepository } from '../accounts/resident.repository';
import { tokenHash } from '../crypto/tokens';
import { type CertificateInput, JpkiError, verifyContentSignature, verifyNonceSignature, type JpkiContentVerification } from '../jpki';
import { JpkiTrustStore } from './jpki-trust.store';

export const JPKI_NONCE_TTL_MS = 5 * 60_000;

/**
 * My Number Card sign-in and signing, around the pure verifier in ../jpki:
 * single-use nonces with a short life, the municipality's CRLs, and the
 * resident account a card is linked to.
 */
@Injectable()
export class JpkiAuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly trust: JpkiTrustStore,
    private readonly residents: ResidentRepository,
    private readonly clock: Clock,
  ) {}

  async issueNonce(municipalityId: MunicipalityId): Promise<{ nonce: string; expiresAt: string }> {
    const nonce = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + JPKI_NONCE_TTL_MS);
    await this.dataSource.query(
      `INSERT INTO jpki_nonces (municipality_id, nonce_hash, purpose, expires_at, created_at) VALUES ($1, $2, 'login', $3, $4)`,
      [municipalityId, tokenHash(nonce), expiresAt, now],
    );
    return { nonce, expiresAt: expiresAt.toISOString() };
  }

  /** Verifies a card login and returns the resident it belongs to (created on first use). */
  async login(
    municipalityId: MunicipalityId,
    input: { nonce: string; signature: string; certificateChain: CertificateInput[] },
  ): Promise<string> {
    const now = this.clock.now();
    await this.consumeNonce(municipalityId, input.nonce, now);
    const verification = await verifyNonceSignature({
      certificateChain: input.certificateChain,
      nonce: input.nonce,
      signature: input.signature,
      anchors: this.trust.anchors(),
      crls: await this.trust.crls(municipalityId),
      at: now,
    });
    const subject = `${verification.issuer}|${verification.serialNumber}`;
    const existing = await this.residents.findByJpkiSubject(municipalityId, subject);
    if (existing) return existing.id;
    const id = randomUUID();
    await this.residents.insert(municipalityId, { id, email: null, passwordHash: null, jpkiSubject: subject, now });
    // A concurrent first login with the same card may have won the insert.
    return (await this.residents.findByJpkiSubject(municipalityId, subject))?.id ?? id;
  }

  async verifySignature(municipalityId: MunicipalityId, content: unknown, signature: string, certificateChain: CertificateInput[]): Promise<JpkiContentVerification> {
    return verifyContentSignature({
      certificateChain,
      content,
      signature,
      anchors: this.trust.anchors(),
      crls: await this.trust.crls(municipalityId),
      at: this.clock.now(),
    });
  }

  private async consumeNonce(municipalityId: MunicipalityId, nonce: string, now: Date): Promise<void> {
    const hash = tokenHash(nonce);
    const [consumed]: [unknown[], number] = await this.dataSource.query(
      `UPDATE jpki_nonces SET used_at = $3 WHERE municipality_id = $1 AND nonce_hash = $2 AND used_at IS NULL AND expires_at > $3 RETURNING nonce_hash`,
      [municipalityId, hash, now],
    );
    if (consumed.length === 1) return;
    const rows: Array<{ used_at: Date | null }> = await this.dataSource.query(
      `SELECT used_at FROM jpki_nonces WHERE municipality_id = $1 AND nonce_hash = $2`,
      [municipalityId, hash],
    );
    if (rows[0]?.used_at) throw JpkiError.nonceReplayed();
    // Expired, or never issued here: either way it is not a live nonce.
    throw JpkiError.nonceExpired();
  }
}
