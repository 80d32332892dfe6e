import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LegalHoldDto {
  @IsString() @MinLength(1) @MaxLength(500)
  @ApiProperty({ example: '情報公開請求への対応のため', description: 'Why the case must be kept; stored with the hold, never in the audit log' })
  reason!: string;
}

export class LegalHoldStatusDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() held!: boolean;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) placedAt!: string | null;
}

export class RetentionPreviewRowDto {
  @ApiProperty({ example: 'juminhyo' }) procedureCode!: string;
  @ApiProperty({ enum: ['formAnswers', 'attachments', 'signatures', 'documents'] }) category!: string;
  @ApiProperty({ description: 'Closed cases whose data of this category the next run would erase' }) cases!: number;
}

/** What the next run would erase, counted; no personal data and no case ids. */
export class RetentionPreviewDto {
  @ApiProperty({ description: 'The moment the counts are for (now)' }) asOf!: string;
  @ApiProperty({ type: [RetentionPreviewRowDto] }) rows!: RetentionPreviewRowDto[];
  @ApiProperty({ description: 'Closed cases held from erasure by a legal hold' }) heldCases!: number;
}

export class CloseAccountDto {
  @IsString() @MinLength(1) @MaxLength(1024)
  @ApiProperty({ description: 'The current password, to confirm' })
  password!: string;
}
