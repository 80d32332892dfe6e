import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const ACCESS_KINDS = ['application', 'attachment', 'individualNumber', 'signature', 'diff', 'notes', 'documents', 'documentDownload'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** One staff read of the resident's data. Never the staff member: departments only. */
export class AccessLogEntryDto {
  @ApiProperty({ description: 'The audit entry (its sequence number in the chain)' }) seq!: number;
  @ApiProperty({ example: '2026-12-05T10:15:00.000Z' }) at!: string;
  @ApiProperty({ type: [String], example: ['shimin'], description: 'Department(s) of the staff member who read' }) departments!: string[];
  @ApiProperty({ enum: ACCESS_KINDS }) what!: AccessKind;
  @ApiProperty({ nullable: true, type: String }) applicationId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'R8-000123' }) referenceNumber!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The reason given, where the read required one (an individual number reveal)' }) reason!: string | null;
}

export class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto], description: 'Newest first' }) entries!: AccessLogEntryDto[];
  @ApiProperty({ nullable: true, type: Number, description: '`before` for the next (older) page' }) nextBefore!: number | null;
}

export class AccessLogQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
}
