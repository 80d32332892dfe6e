import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LocalizedTextDto {
  @ApiProperty() ja!: string;
  @ApiProperty() en!: string;
}

export class ChannelDto {
  @ApiProperty({ enum: ['online', 'counter', 'mail', 'convenienceStore'] }) channel!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Date the channel opened; null while planned' }) openedOn!: string | null;
  @ApiProperty() open!: boolean;
}

export class ProcedureSummaryDto {
  @ApiProperty() code!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: LocalizedTextDto }) name!: LocalizedTextDto;
  @ApiProperty() category!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ nullable: true, type: String }) nationalCategory!: string | null;
  @ApiProperty({ nullable: true, type: LocalizedTextDto }) nationalCategoryLabel!: LocalizedTextDto | null;
  @ApiProperty({ nullable: true, type: String }) nationalCode!: string | null;
  @ApiProperty() targeted!: boolean;
  @ApiProperty({ description: 'Online end to end today' }) online!: boolean;
  @ApiProperty({ type: [ChannelDto] }) channels!: ChannelDto[];
  @ApiProperty() identity!: string;
}

export class FeeDto {
  @ApiProperty() rule!: string;
  @ApiPropertyOptional() amount?: number;
  @ApiPropertyOptional() quantityField?: string;
  @ApiPropertyOptional() timing?: string;
  @ApiPropertyOptional() paymentDeadlineHours?: number;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } }) reductions?: Array<{ code: string; label: LocalizedTextDto; percent: number }>;
}

export class ProcedureDetailDto extends ProcedureSummaryDto {
  @ApiPropertyOptional({ type: LocalizedTextDto }) description?: LocalizedTextDto;
  @ApiPropertyOptional() standardProcessingDays?: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JSON Schema of the form' }) formSchema!: Record<string, unknown>;
  @ApiProperty({ type: FeeDto }) fee!: FeeDto;
  @ApiProperty({ type: [String] }) steps!: string[];
  @ApiProperty({ nullable: true, type: Object }) document!: { kind: string; name: LocalizedTextDto; delivery: string } | null;
}
