import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export const SERVICE_CODE_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

export class LocalizedNameDto {
  @ApiProperty({ example: '住民票・印鑑証明' }) @IsString() @MinLength(1) @MaxLength(100) ja!: string;
  @ApiProperty({ example: 'Residence and seal certificates' }) @IsString() @MinLength(1) @MaxLength(100) en!: string;
}

export class CounterServiceUpdateDto {
  @ApiProperty({ type: LocalizedNameDto }) @ValidateNested() @Type(() => LocalizedNameDto) name!: LocalizedNameDto;
  @ApiProperty({ example: 'A', description: 'One capital letter printed before the number (A-001); unique among active services' })
  @Matches(/^[A-Z]$/)
  ticketPrefix!: string;
  @ApiPropertyOptional({ default: 0, description: 'Online bookings taken per 15-minute slot; 0 takes none' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  slotCapacity?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class CounterServiceCreateDto extends CounterServiceUpdateDto {
  @ApiProperty({ example: 'certificates' }) @Matches(SERVICE_CODE_PATTERN) code!: string;
}

export class CounterUpdateDto {
  @ApiProperty({ type: LocalizedNameDto, example: { ja: '市民課 1番窓口', en: 'Citizens Division, counter 1' } })
  @ValidateNested()
  @Type(() => LocalizedNameDto)
  name!: LocalizedNameDto;
  @ApiProperty({ type: [String], description: 'Codes of the services this counter serves' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(SERVICE_CODE_PATTERN, { each: true })
  serviceCodes!: string[];
  @ApiPropertyOptional({ default: true, description: 'Staffed now (counts towards the estimated wait)' }) @IsOptional() @IsBoolean() open?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class CounterCreateDto extends CounterUpdateDto {}

export class CounterServiceDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedNameDto }) name!: LocalizedNameDto;
  @ApiProperty() ticketPrefix!: string;
  @ApiProperty() slotCapacity!: number;
  @ApiProperty() active!: boolean;
}

export class CounterDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: LocalizedNameDto }) name!: LocalizedNameDto;
  @ApiProperty({ type: [String] }) serviceCodes!: string[];
  @ApiProperty() open!: boolean;
  @ApiProperty() active!: boolean;
}
