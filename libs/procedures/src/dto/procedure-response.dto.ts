import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class LocalizedTextDto {
  @ApiProperty() ja!: string;
  @ApiProperty() en!: string;
}

export class ChannelDto {
  @ApiProperty({ enum: ['online', 'counter', 'mail', 'convenienceStore'] }) channel!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Date the channel opened; null while planned' }) openedOn!: string | null;
  @ApiProperty() open!: boolean;
}

export class ProcedureSummaryTextDto {
  @ApiProperty({ enum: ['ja', 'ja-easy', 'en'] }) language!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'Who can apply' }) eligibility!: string;
  @ApiProperty({ description: 'What the resident needs' }) requirements!: string;
}

export class LocalizedFieldDto {
  @ApiProperty() title!: string;
  @ApiPropertyOptional() hint?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', properties: { value: { type: 'string' }, label: { type: 'string' } } }, description: '`value` is what the form stores' })
  choices?: Array<{ value: string; label: string }>;
}

export class ProcedureDetailTextDto extends ProcedureSummaryTextDto {
  @ApiProperty({ nullable: true, type: String }) documentName!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(LocalizedFieldDto) }, description: 'By property path (bankAccount.bankCode, children.name)' })
  fields!: Record<string, LocalizedFieldDto>;
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
  @ApiPropertyOptional({ type: ProcedureSummaryTextDto, description: 'Only with ?lang=' }) text?: ProcedureSummaryTextDto;
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
  @ApiPropertyOptional({ type: ProcedureDetailTextDto, description: 'Only with ?lang=' }) declare text?: ProcedureDetailTextDto;
}
