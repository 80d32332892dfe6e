import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApplicationDto } from '../../dto/application.dto';
import { IDENTITY_DOCUMENTS } from '../counter-entry.repository';

export class CounterEntryDto {
  @ApiProperty({ example: 'juminhyo' }) @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/) @MaxLength(64) procedureCode!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() formData?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The resident applying, when they have an account: the application becomes theirs to follow online' })
  @IsOptional()
  @IsUUID()
  residentId?: string;
  @ApiPropertyOptional({ description: 'The queue ticket (受付発券) of the visit, to link it to the application' }) @IsOptional() @IsUUID() ticketId?: string;
}

export class CounterSubmitDto {
  @ApiProperty({ description: 'The revision you last saw; a newer one is a 409' }) @IsInt() @Min(1) revision!: number;
}

export class IdentityCheckInputDto {
  @ApiProperty({ enum: IDENTITY_DOCUMENTS, description: 'The kind of document shown; never its number' }) @IsIn(IDENTITY_DOCUMENTS) method!: string;
  @ApiPropertyOptional({ description: 'How many documents were shown (e.g. 2 where one without a photo needs a second)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  documentsShown?: number;
  @ApiPropertyOptional({ description: 'A short remark; document numbers (six or more digits) are refused' }) @IsOptional() @IsString() @MaxLength(200) note?: string;
}

export class IdentityCheckDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: IDENTITY_DOCUMENTS }) method!: string;
  @ApiProperty({ nullable: true, type: Number }) documentsShown!: number | null;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ description: 'Staff member who checked' }) checkedBy!: string;
  @ApiProperty() checkedAt!: string;
}

/** An application as counter staff work on it: the resident's view plus who entered it and the identity checks. */
export class CounterApplicationDto extends ApplicationDto {
  @ApiProperty({ nullable: true, type: String }) applicantId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Staff member who entered it or took it over' }) enteredBy!: string | null;
  @ApiProperty({ description: 'Whether submitting needs an identity check at the counter (card-signature or in-person procedures)' })
  identityRequired!: boolean;
  @ApiProperty({ type: [IdentityCheckDto] }) identityChecks!: IdentityCheckDto[];
}

export class OpenHandoverDto {
  @ApiProperty({ description: 'The code from the QR or read from the resident’s screen', example: '7K3M-9QX2-H4RT-B8WN' }) @IsString() @MaxLength(40) code!: string;
}

export class HandoverDto {
  @ApiProperty({ description: 'Single-use, for 15 minutes; a new request replaces it' }) code!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ description: 'The staff page that opens the draft; what the QR holds' }) url!: string;
  @ApiProperty({ description: 'The QR code of the url, as an SVG document' }) qrSvg!: string;
}
