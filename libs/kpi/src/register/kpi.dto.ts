import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { KPI_DIRECTIONS, KPI_MEASURES, KPI_SOURCES, type KpiDirection, type KpiMeasure, type KpiSource } from './kpi.types';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class KpiNameDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) ja!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) en!: string;
}

export class KpiBaselineDto {
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) value!: number;
  @ApiProperty({ example: '2023-03-31' }) @Matches(ISO_DATE) date!: string;
}

export class KpiTargetDto {
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) value!: number;
  @ApiProperty({ example: 2025, description: 'The Gregorian year the target fiscal year starts in' }) @IsInt() @Min(2000) @Max(2100) fiscalYear!: number;
}

/** One KPI of the register, as the YAML file and PUT /admin/kpis/:code give it (the code is the key). */
export class KpiInputDto {
  @ApiProperty({ type: KpiNameDto }) @ValidateNested() @Type(() => KpiNameDto) name!: KpiNameDto;
  @ApiProperty({ example: '件' }) @IsString() @MinLength(1) @MaxLength(20) unit!: string;
  @ApiProperty({ type: KpiBaselineDto }) @ValidateNested() @Type(() => KpiBaselineDto) baseline!: KpiBaselineDto;
  @ApiProperty({ type: KpiTargetDto }) @ValidateNested() @Type(() => KpiTargetDto) target!: KpiTargetDto;
  @ApiProperty({ enum: KPI_DIRECTIONS }) @IsIn(KPI_DIRECTIONS) direction!: KpiDirection;
  @ApiProperty({ enum: KPI_SOURCES }) @IsIn(KPI_SOURCES) source!: KpiSource;
  @ApiPropertyOptional({ enum: KPI_MEASURES, description: 'Required when measured, absent when entered' })
  @IsOptional()
  @IsIn(KPI_MEASURES)
  measure?: KpiMeasure;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @Matches(CODE, { each: true }) procedureCodes?: string[];
  @ApiPropertyOptional({ example: 'johoseisaku' }) @IsOptional() @Matches(/^[a-z][a-z0-9-]{0,39}$/) department?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiPropertyOptional({ description: 'false retires the KPI (kept with its history)' }) @IsOptional() @IsBoolean() active?: boolean;
}

export class KpiConfigEntryDto extends KpiInputDto {
  @ApiProperty() @Matches(CODE) code!: string;
}

export class KpiValueInputDto {
  @ApiProperty({ example: '2026-10', description: 'The month the value is for (YYYY-MM)' }) @Matches(/^\d{4}-(0[1-9]|1[0-2])$/) month!: string;
  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-1e12) @Max(1e12) value!: number;
  @ApiPropertyOptional({ description: 'Why, e.g. the source of the figure or what a correction fixes' }) @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class DashboardQuery {
  @ApiPropertyOptional({ example: 2026, description: 'Fiscal year (the Gregorian year it starts in); default the current one' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear?: number;
  @ApiPropertyOptional({ example: 'shimin' }) @IsOptional() @Matches(/^[a-z][a-z0-9-]{0,39}$/) department?: string;
}

export class ChartQuery extends DashboardQuery {
  @ApiPropertyOptional({ enum: ['ja', 'en'], description: 'Language of the chart text (default ja)' }) @IsOptional() @IsIn(['ja', 'en']) lang?: 'ja' | 'en';
}
