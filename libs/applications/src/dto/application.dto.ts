import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { WORKFLOW_EVENTS } from '@madoguchi/workflow';

export class CreateApplicationDto {
  @ApiProperty({ example: 'juminhyo' }) @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/) @MaxLength(64) procedureCode!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() formData?: Record<string, unknown>;
}

export class UpdateFormDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) @IsObject() formData!: Record<string, unknown>;
  @ApiProperty({ description: 'The revision you last saw' }) @IsInt() @Min(1) revision!: number;
}

export class RevisionDto {
  @ApiPropertyOptional({ description: 'The revision you last saw; a newer one is a 409' }) @IsOptional() @IsInt() @Min(1) revision?: number;
}

export class WithdrawDto extends RevisionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** Review actions; approvers decide through /staff/applications/:id/approvals/… (libs/approvals). */
const STAFF_EVENTS = WORKFLOW_EVENTS.filter((event) => event.startsWith('staff.'));

export class StaffEventDto extends RevisionDto {
  @ApiProperty({ enum: STAFF_EVENTS }) @IsIn(STAFF_EVENTS) type!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) @IsOptional() @IsObject() payload?: Record<string, unknown>;
}

export class ApplicationDto {
  @ApiProperty() id!: string;
  @ApiProperty() procedureCode!: string;
  @ApiProperty() procedureVersion!: number;
  @ApiProperty({ nullable: true, type: String }) referenceNumber!: string | null;
  @ApiProperty() channel!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: Object, description: 'The state in plain words' }) status!: { ja: string; en: string };
  @ApiProperty() revision!: number;
  @ApiProperty({ type: [String] }) allowedEvents!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) formData!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: Number }) fee!: number | null;
  @ApiProperty({ nullable: true, type: Object, description: 'While returned for correction: the fields staff flagged and their message' })
  sendBack!: { fields: string[]; message: string } | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2026-05-11',
    description: 'Due date of the standard processing time (business days); null without one, and while returned for correction (the clock is paused)',
  })
  dueOn!: string | null;
}

export class TimelineEntryDto {
  @ApiProperty() at!: string;
  @ApiProperty() event!: string;
  @ApiProperty({ type: Object }) description!: { ja: string; en: string };
  @ApiProperty({ type: Object }) status!: { ja: string; en: string };
}

export class ApplicationSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() procedureCode!: string;
  @ApiProperty({ nullable: true, type: String }) referenceNumber!: string | null;
  @ApiProperty() state!: string;
  @ApiProperty({ type: Object }) status!: { ja: string; en: string };
  @ApiProperty() channel!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-05-11', description: 'As on the application: null without a standard processing time and while returned' })
  dueOn!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class SignApplicationDto {
  @ApiProperty({ description: 'Base64 RSA-SHA256 signature over the canonical content hash' }) @IsString() @MaxLength(4096) signature!: string;
  @ApiProperty({ description: 'Signing certificate, PEM or base64 DER' }) @IsString() @MaxLength(16384) certificate!: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(16384, { each: true }) intermediates?: string[];
}

export class CorrectionDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'New values of the flagged fields only' }) @IsObject() changes!: Record<string, unknown>;
  @ApiProperty() @IsInt() @Min(1) revision!: number;
}

export class ReceiptDto {
  @ApiProperty() referenceNumber!: string;
  @ApiProperty({ type: Object }) procedure!: { code: string; version: number; name: { ja: string; en: string } };
  @ApiProperty() channel!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ example: '令和8年11月22日' }) submittedOnWareki!: string;
  @ApiProperty({ nullable: true, type: Number }) fee!: number | null;
  @ApiProperty({ nullable: true, type: Number }) standardProcessingDays!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Due date from the standard processing time, in business days; null without one or while paused' })
  dueOn!: string | null;
  @ApiProperty({ type: Object }) status!: { ja: string; en: string };
}

export class ReuseAttachmentDto {
  @ApiProperty({ description: 'Id of a file from one of your earlier applications (GET /attachments)' }) @IsUUID() attachmentId!: string;
}
