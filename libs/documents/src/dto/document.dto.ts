import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LocalizedTextDto {
  @ApiProperty({ example: '住民票の写し' }) ja!: string;
  @ApiProperty({ example: 'Certificate of residence' }) en!: string;
}

export class PrintedFieldDto {
  @ApiProperty({ type: LocalizedTextDto }) label!: LocalizedTextDto;
  @ApiProperty({ example: '桜ヶ丘市本町一丁目2番3号' }) value!: string;
}

/** A document of the resident's own application. */
export class DocumentDto {
  @ApiProperty() id!: string;
  @ApiProperty() applicationId!: string;
  @ApiProperty({ example: 'residenceCertificate' }) kind!: string;
  @ApiProperty({ type: LocalizedTextDto }) title!: LocalizedTextDto;
  @ApiProperty({ example: 'R8-C000123' }) serial!: string;
  @ApiProperty() issuedAt!: string;
  @ApiProperty({ example: '令和8年11月22日' }) issuedOnWareki!: string;
  @ApiProperty({ enum: ['issued', 'revoked'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The document that replaced this one' }) replacedBy!: string | null;
  @ApiProperty({ example: 'ABCD-2345-EFGH-6789', description: 'Printed on the document; whoever receives it can verify with it' }) verificationCode!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the PDF as issued' }) sha256!: string;
  @ApiProperty() byteSize!: number;
  @ApiProperty({ description: 'Public verification page (the QR code on the document)' }) verifyUrl!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Download path; null once revoked' }) downloadPath!: string | null;
}

/** What staff see: the resident's view plus who revoked, why, and what it replaced. */
export class StaffDocumentDto extends DocumentDto {
  @ApiProperty({ nullable: true, type: String }) replaces!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedReason!: string | null;
  @ApiProperty({ example: { kind: 'system', id: 'documents' } }) issuedBy!: { kind: string; id: string | null };
}

export class RevokeDocumentDto {
  @ApiProperty({ example: '宛名の誤りのため', minLength: 1, maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class ReissueDocumentDto extends RevokeDocumentDto {}

export class VerifyDocumentDto {
  @ApiProperty({ example: 'ABCD-2345-EFGH-6789' }) code!: string;
  @ApiPropertyOptional({ description: 'SHA-256 (hex) of the PDF you hold' }) sha256?: string;
}

export class VerifiedDocumentDto {
  @ApiProperty({ type: LocalizedTextDto }) title!: LocalizedTextDto;
  @ApiProperty() serial!: string;
  @ApiProperty({ type: LocalizedTextDto, description: 'Who issued it' }) issuer!: LocalizedTextDto;
  @ApiProperty({ example: '2026-11-22' }) issuedOn!: string;
  @ApiProperty({ example: '令和8年11月22日' }) issuedOnWareki!: string;
  @ApiProperty({ nullable: true, type: String }) revokedOn!: string | null;
  @ApiProperty({ type: [PrintedFieldDto], description: 'Exactly what is printed on it (withheld once revoked)' }) fields!: PrintedFieldDto[];
}

export class VerificationResultDto {
  @ApiProperty({ enum: ['valid', 'revoked', 'altered', 'unknown'] }) status!: 'valid' | 'revoked' | 'altered' | 'unknown';
  @ApiProperty({ description: 'Whether the bytes (or their hash) were compared, not only the code' }) contentChecked!: boolean;
  @ApiProperty({ type: LocalizedTextDto }) message!: LocalizedTextDto;
  @ApiProperty({ nullable: true, type: VerifiedDocumentDto }) document!: VerifiedDocumentDto | null;
}
