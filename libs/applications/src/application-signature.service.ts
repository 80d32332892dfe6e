import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId, RequestError } from '@madoguchi/kernel';
import { canonicalContentHash, JpkiAuthService, type JpkiReverification, type JpkiVerificationRecord, reverifyRecord, SensitiveFormFields } from '@madoguchi/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { type ApplicationEntity, ApplicationError } from '@madoguchi/engine';

/**
 * Exactly what a resident signs: the application's identity and its answers
 * in clear (never the stored ciphertext of a sensitive field, which changes
 * when keys rotate).
 */
export function signingContent(application: ApplicationEntity, answers: Record<string, unknown>): Record<string, unknown> {
  return {
    municipalityId: application.municipalityId,
    applicationId: application.id,
    procedureCode: application.procedureCode,
    procedureVersion: application.procedureVersion,
    formData: answers,
  };
}

export class SignatureError extends RequestError {
  static required(): SignatureError {
    return new SignatureError(422, 'APPLICATION_SIGNATURE_REQUIRED', {
      ja: 'この手続はマイナンバーカードによる電子署名が必要です。入力内容を確定してから署名してください。',
      en: 'This procedure needs a My Number Card signature over the final content. Sign again after any change.',
    });
  }
  /**
   * Staff (or any non-resident actor) tried to move a case forward while no
   * valid signature covers its content as it is now: the case has to go back
   * to the resident (差戻し) to be signed again.
   */
  static unverified(): SignatureError {
    return new SignatureError(409, 'APPLICATION_SIGNATURE_UNVERIFIED', {
      ja: 'この申請の電子署名が現在の内容と一致しないため、審査・決裁を進められません。差戻しのうえ、申請者に改めて署名を依頼してください。',
      en: 'The My Number Card signature does not verify against the current content, so the case cannot move forward. Return it to the applicant to sign again.',
    });
  }
  static missing(): SignatureError {
    return new SignatureError(404, 'APPLICATION_SIGNATURE_NOT_FOUND', { ja: '電子署名がありません。', en: 'The application has no signature.' });
  }
}

/**
 * Signatures with the card's signing certificate (署名用電子証明書). The
 * verification record is stored with the application so it can be checked
 * again years later, after the certificate expired (long-term validation).
 */
@Injectable()
export class ApplicationSignatureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jpki: JpkiAuthService,
    private readonly sensitive: SensitiveFormFields,
    private readonly clock: Clock,
  ) {}

  private contentFor(application: ApplicationEntity): Record<string, unknown> {
    return signingContent(application, this.sensitive.open(application.municipalityId, application.id, application.formData));
  }

  contentOf(application: ApplicationEntity): { content: Record<string, unknown>; contentHash: string } {
    const content = this.contentFor(application);
    return { content, contentHash: canonicalContentHash(content) };
  }

  async sign(application: ApplicationEntity, signature: string, certificateChain: string[]): Promise<{ contentHash: string; basic4: unknown }> {
    const municipalityId = application.municipalityId as MunicipalityId;
    const verification = await this.jpki.verifySignature(municipalityId, this.contentFor(application), signature, certificateChain);
    await this.dataSource.transaction(async (manager) => {
      // The application row first: its lock orders this against submission
      // and resubmission. Only a draft, or a case returned for correction
      // (whose corrected content must be signed again before it goes back to
      // review), takes a signature; every earlier signature row is kept as
      // evidence of what was signed when.
      const [drafts]: [unknown[], number] = await manager.query(
        `UPDATE applications SET signature_hash = $3 WHERE municipality_id = $1 AND id = $2 AND (phase = 'draft' OR state = 'returned') AND form_data = $4::jsonb RETURNING id`,
        [municipalityId, application.id, verification.contentHash, JSON.stringify(application.formData)],
      );
      if (drafts.length !== 1) throw ApplicationError.notDraft();
      // Signing the same content again (with another card, say) replaces the
      // earlier signature, so what is stored is the binding just returned.
      await manager.query(
        `INSERT INTO application_signatures (municipality_id, application_id, content_hash, record, basic4, signed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (municipality_id, application_id, content_hash) DO UPDATE SET record = EXCLUDED.record, basic4 = EXCLUDED.basic4, signed_at = EXCLUDED.signed_at`,
        [municipalityId, application.id, verification.contentHash, JSON.stringify(verification.record), JSON.stringify(verification.basic4), this.clock.now()],
      );
    });
    return { contentHash: verification.contentHash, basic4: verification.basic4 };
  }

  /** Whether the current content carries a valid signature made over exactly it. */
  async assertSignedAsIs(application: ApplicationEntity): Promise<void> {
    if (!(await this.isSignedAsIs(application))) throw SignatureError.required();
  }

  /** The same check, as a question: the check-answers page says whether signing is still to do. */
  async isSignedAsIs(application: ApplicationEntity): Promise<boolean> {
    const rows: Array<{ signature_hash: string | null }> = await this.dataSource.query(
      `SELECT signature_hash FROM applications WHERE municipality_id = $1 AND id = $2`,
      [application.municipalityId, application.id],
    );
    return rows[0]?.signature_hash === this.contentOf(application).contentHash;
  }

  /**
   * Whether the signature the application points to verifies, from its
   * stored record alone, against the content as it is in `application` (the
   * row as locked by the engine). Read through the engine's transaction so a
   * signature and a transition are ordered by the row lock.
   */
  async verifiesAsIs(manager: EntityManager, application: ApplicationEntity): Promise<boolean> {
    const rows: Array<{ record: JpkiVerificationRecord }> = await manager.query(
      `SELECT s.record FROM application_signatures s JOIN applications a
          ON a.municipality_id = s.municipality_id AND a.id = s.application_id AND a.signature_hash = s.content_hash
        WHERE s.municipality_id = $1 AND s.application_id = $2`,
      [application.municipalityId, application.id],
    );
    if (!rows[0]) return false;
    try {
      await reverifyRecord(rows[0].record, this.contentFor(application));
      return true;
    } catch (error) {
      if (error instanceof RequestError) return false;
      throw error;
    }
  }

  /** Re-verifies the stored signature against the stored content, from the record alone. */
  async reverify(application: ApplicationEntity): Promise<JpkiReverification> {
    const rows: Array<{ record: JpkiVerificationRecord }> = await this.dataSource.query(
      `SELECT s.record FROM application_signatures s JOIN applications a
          ON a.municipality_id = s.municipality_id AND a.id = s.application_id AND a.signature_hash = s.content_hash
        WHERE s.municipality_id = $1 AND s.application_id = $2`,
      [application.municipalityId, application.id],
    );
    if (!rows[0]) throw SignatureError.missing();
    return reverifyRecord(rows[0].record, this.contentFor(application));
  }
}
