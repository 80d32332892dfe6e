import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { AREA_RATINGS, type AreaRating, ITEM_MARKS, type ItemMark, type RatingDecision } from '../evaluation/area-rating';

export class LocalizedLabelDto {
  @ApiProperty({ example: '電子申請の受付' }) @IsString() @MinLength(1) @MaxLength(200) ja!: string;
  @ApiProperty({ example: 'Accepting applications online' }) @IsString() @MinLength(1) @MaxLength(200) en!: string;
}

export class EvaluationAreaCreateDto {
  @ApiProperty({ example: 'open-data' }) @Matches(/^[a-z][a-z0-9-]{0,39}$/) code!: string;
  @ApiProperty({ type: LocalizedLabelDto }) @ValidateNested() @Type(() => LocalizedLabelDto) name!: LocalizedLabelDto;
}

export class EvaluationItemInputDto {
  @ApiProperty({ type: LocalizedLabelDto }) @ValidateNested() @Type(() => LocalizedLabelDto) label!: LocalizedLabelDto;
  @ApiProperty({ enum: ITEM_MARKS, description: '先進的 / 普通 / 検討が必要 / 遅れている' }) @IsIn(ITEM_MARKS) mark!: ItemMark;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'National rate in percent (0–100)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  nationalRate?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Prefectural rate in percent (0–100)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  prefecturalRate?: number | null;
}

export class EvaluationAreaEntryDto {
  @ApiProperty({ type: [EvaluationItemInputDto] }) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => EvaluationItemInputDto) items!: EvaluationItemInputDto[];
  @ApiPropertyOptional({ description: '良い点' }) @IsOptional() @IsString() @MaxLength(4000) goodPoints?: string;
  @ApiPropertyOptional({ description: '検討点' }) @IsOptional() @IsString() @MaxLength(4000) pointsToStudy?: string;
  @ApiPropertyOptional({ enum: AREA_RATINGS, nullable: true, description: 'The rating entered by hand, e.g. the one published last year' })
  @IsOptional()
  @IsIn(AREA_RATINGS)
  publishedRating?: AreaRating | null;
}

export interface LocalizedLabel {
  ja: string;
  en: string;
}

export interface EvaluationAreaView {
  code: string;
  name: LocalizedLabel;
  position: number;
}

export interface EvaluationItemView {
  label: LocalizedLabel;
  mark: ItemMark;
  markLabel: LocalizedLabel;
  nationalRate: number | null;
  prefecturalRate: number | null;
}

export interface RatingTrailView {
  counts: { advanced: number; normal: number; needsStudy: number; behind: number; total: number };
  fractions: { advancedAndNormalOfAll: string; advancedOfAdvancedAndNormal: string; shortfallOfAll: string; behindOfShortfall: string };
  writtenMatches: AreaRating[];
  decision: RatingDecision;
  reason: LocalizedLabel;
}

export interface AreaEvaluationView {
  code: string;
  name: LocalizedLabel;
  /** Null while nothing was saved for this fiscal year. */
  revision: number | null;
  enteredBy: string | null;
  enteredAt: string | null;
  items: EvaluationItemView[];
  goodPoints: string;
  pointsToStudy: string;
  computed: { rating: AreaRating; label: LocalizedLabel; trail: RatingTrailView };
  published: { rating: AreaRating; label: LocalizedLabel } | null;
  /** Null without a published rating; otherwise whether it matches, and why not. */
  mismatch: { matches: boolean; reason: LocalizedLabel | null } | null;
}

export interface EvaluationYearView {
  fiscalYear: number;
  areas: AreaEvaluationView[];
  /** How the cases the written rule leaves open are decided, for the screen and the report. */
  rule: { written: LocalizedLabel; boundaries: Array<{ case: string; ja: string; en: string }> };
}
