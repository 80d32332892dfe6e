import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import type { ProcedureDiff } from '../procedure-drafts/procedure-diff';
import type { DryRunReport } from '../procedure-drafts/procedure-dry-run';

/** A definition is a few kilobytes; the cap keeps a paste accident from filling the table. */
export const MAX_DRAFT_TEXT = 200_000;
export const DEFAULT_DRY_RUN_SAMPLE = 200;
export const MAX_DRY_RUN_SAMPLE = 1000;

export class ProcedureDraftCreateDto {
  @ApiProperty({ description: 'The procedure definition as YAML text (same format as config/procedures/*.yaml)' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_DRAFT_TEXT)
  yaml!: string;

  @ApiPropertyOptional({ description: 'File name shown in validation errors', example: 'juminhyo.yaml' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,100}$/)
  fileName?: string;
}

export class ProcedureDraftUpdateDto extends ProcedureDraftCreateDto {}

export class DryRunRequestDto {
  @ApiPropertyOptional({ description: `How many of the most recent cases to replay (default ${DEFAULT_DRY_RUN_SAMPLE})`, minimum: 1, maximum: MAX_DRY_RUN_SAMPLE })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_DRY_RUN_SAMPLE)
  sample?: number;
}

export interface DryRunView {
  draftId: string;
  code: string;
  /** The published version whose cases were replayed; null when none is published yet. */
  baseVersion: number | null;
  draftVersion: number;
  sample: number;
  at: string;
  report: DryRunReport;
}

export interface ProcedureDraftView {
  id: string;
  code: string;
  version: number;
  yaml: string;
  textHash: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The last dry run; `matchesText` is false once the text was edited after it (publishing then needs a new one). */
  dryRun: { at: string; baseVersion: number | null; matchesText: boolean; report: DryRunReport } | null;
  published: { version: number; by: string; at: string } | null;
}

export interface ProcedureDiffView extends ProcedureDiff {
  draftId: string;
}

export interface PublishedDraftView {
  draftId: string;
  code: string;
  version: number;
  publishedBy: string;
  publishedAt: string;
}

export type { ProcedureDefinition };
