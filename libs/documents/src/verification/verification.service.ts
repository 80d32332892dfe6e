import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { formatWareki, isMunicipalityId, isoDateIn, type MunicipalityId, TenancyError } from '@madoguchi/kernel';
import { DocumentError } from '../document.errors';
import { type DocumentRecord, DocumentsRepository } from '../documents.repository';
import type { VerificationResultDto, VerifiedDocumentDto } from '../dto/document.dto';
import { VERIFICATION_MARK } from '../render/document-renderer';
import { normalizeVerificationCode } from '../verification-code';
import { verificationPage } from './verification.page';

/** A PDF sent for verification: ours are about 30 KB; anything this big is not one of them. */
export const MAX_VERIFY_PDF_BYTES = 2 * 1024 * 1024;

const MESSAGES: Record<VerificationResultDto['status'], { ja: string; en: string }> = {
  valid: {
    ja: 'この書類は正規に交付されたもので、取り消されていません。',
    en: 'This document was issued by the municipality and has not been revoked.',
  },
  revoked: {
    ja: 'この書類は取り消されています。有効な書類ではありません。',
    en: 'This document has been revoked. It is no longer valid.',
  },
  altered: {
    ja: 'この検証コードの書類は交付されていますが、お持ちのファイルは交付されたものと一致しません（改ざんまたは別のファイルの可能性があります）。',
    en: 'A document with this code was issued, but the file you hold does not match it (altered, or a different file).',
  },
  unknown: {
    ja: 'この検証コードの書類は見つかりません。コードをご確認ください。',
    en: 'No document with this verification code was found. Check the code.',
  },
};

/**
 * The public answer to "is this document ours, unaltered and in force?".
 * It shows what is printed on the document and nothing more (no
 * application, no applicant account, no internal reason), and for a revoked
 * document not even that: only that it is revoked.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly directory: MunicipalityDirectory,
  ) {}

  /**
   * Whose documents to search: the X-Municipality-Id header, else `m` from
   * the printed link (a page opened from a QR code sends no header), else
   * the instance's default.
   */
  municipality(header: string | undefined, query: string | undefined): MunicipalityId {
    const requested = header?.trim() || query?.trim() || this.directory.defaultId;
    if (!requested) throw TenancyError.required();
    if (!isMunicipalityId(requested) || !this.directory.has(requested)) throw TenancyError.unknown();
    return requested;
  }

  /** The HTML page (GET /verify and /verify/:code): the form, and the answer when a code is given. */
  async page(header: string | undefined, query: Record<string, unknown>, pathCode?: string): Promise<string> {
    const municipalityId = this.municipality(header, single(query.m));
    const code = (pathCode ?? single(query.code) ?? '').slice(0, 64);
    const sha256 = single(query.sha256)?.trim() ? single(query.sha256)!.trim().slice(0, 128) : undefined;
    const result = code.trim() === '' ? null : await this.byCode(municipalityId, code, sha256);
    return verificationPage({ code, municipalityId, sha256, result });
  }

  /** By code, with the SHA-256 of the file held when given. */
  async byCode(municipalityId: MunicipalityId, code: string, sha256?: string): Promise<VerificationResultDto> {
    const normalized = normalizeVerificationCode(code);
    if (!normalized) return this.result('unknown', false, null);
    const document = await this.documents.findByCode(municipalityId, normalized);
    if (!document) return this.result('unknown', sha256 !== undefined, null);
    if (sha256 !== undefined && sha256.toLowerCase() !== document.sha256) return this.result('altered', true, document);
    return this.result(document.status === 'revoked' ? 'revoked' : 'valid', sha256 !== undefined, document);
  }

  /** The JSON route: `{code, sha256?}`, or the PDF itself (its code read from the file when not given). */
  async verifyRequest(header: string | undefined, query: Record<string, unknown>, body: unknown): Promise<VerificationResultDto> {
    const municipalityId = this.municipality(header, single(query.m));
    if (Buffer.isBuffer(body)) return this.byPdf(municipalityId, body, single(query.code));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw DocumentError.verifyRequestInvalid('body must be a JSON object or a PDF');
    const { code, sha256, ...rest } = body as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw DocumentError.verifyRequestInvalid(`unknown fields: ${Object.keys(rest).slice(0, 5).join(', ')}`);
    if (typeof code !== 'string' || code.length === 0 || code.length > 64) throw DocumentError.verifyRequestInvalid('code must be a string of 1 to 64 characters');
    if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256))) {
      throw DocumentError.verifyRequestInvalid('sha256 must be 64 hexadecimal characters');
    }
    return this.byCode(municipalityId, code, sha256 as string | undefined);
  }

  /** The file itself: found by its hash, or, when changed, by the code it (still) names. */
  async byPdf(municipalityId: MunicipalityId, pdf: Buffer, codeParameter?: string): Promise<VerificationResultDto> {
    if (pdf.length === 0) throw DocumentError.verifyRequestInvalid('the PDF is empty');
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const given = codeParameter ? normalizeVerificationCode(codeParameter) : null;
    const byHash = await this.documents.findBySha256(municipalityId, sha256);
    if (byHash && (!given || given === byHash.verificationCode)) return this.result(byHash.status === 'revoked' ? 'revoked' : 'valid', true, byHash);
    const code = given ?? codeInPdf(pdf);
    if (!code) return this.result('unknown', true, null);
    const document = await this.documents.findByCode(municipalityId, code);
    return document ? this.result('altered', true, document) : this.result('unknown', true, null);
  }

  private result(status: VerificationResultDto['status'], contentChecked: boolean, document: DocumentRecord | null): VerificationResultDto {
    return { status, contentChecked, message: MESSAGES[status], document: document ? this.printedOf(document) : null };
  }

  private printedOf(document: DocumentRecord): VerifiedDocumentDto {
    const settings = this.directory.get(document.municipalityId);
    const timeZone = settings?.timeZone ?? 'Asia/Tokyo';
    const issuedOn = isoDateIn(document.issuedAt, timeZone);
    return {
      title: document.title,
      serial: document.serial,
      issuer: settings?.name ?? { ja: '', en: '' },
      issuedOn,
      issuedOnWareki: formatWareki(issuedOn),
      revokedOn: document.revokedAt ? isoDateIn(document.revokedAt, timeZone) : null,
      // A revoked document may have been issued to the wrong person: its contents are no longer shown.
      fields: document.status === 'revoked' ? [] : document.printed,
    };
  }
}

/** A query parameter given once, as text; repeated or nested ones count as absent. */
function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The code a PDF of ours names in its metadata (PdfRenderer writes it as a literal string). */
function codeInPdf(pdf: Buffer): string | null {
  const text = pdf.toString('latin1');
  const at = text.indexOf(VERIFICATION_MARK);
  if (at < 0) return null;
  return normalizeVerificationCode(text.slice(at + VERIFICATION_MARK.length, at + VERIFICATION_MARK.length + 16));
}
