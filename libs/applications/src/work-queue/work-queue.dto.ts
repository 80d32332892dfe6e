import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATE_LABELS } from '@madoguchi/workflow';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';

export const QUEUE_SORTS = ['dueOn', 'submittedAt', 'updatedAt'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const QUEUE_ORDERS = ['asc', 'desc'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];
export const QUEUE_CHANNELS = ['online', 'counter', 'mail', 'convenienceStore'] as const;
export const QUEUE_CLAIMED = ['me', 'none', 'others', 'any'] as const;
export type QueueClaimed = (typeof QUEUE_CLAIMED)[number];
export const QUEUE_DEFAULT_LIMIT = 50;
export const QUEUE_MAX_LIMIT = 100;

/**
 * States a queue can be filtered by: every state the engine labels except
 * the two that are never submitted, so a state the engine gains is accepted
 * without touching this file, and a typo is a 400 rather than an empty page.
 */
function queueStates(): string[] {
  return Object.keys(STATE_LABELS).filter((state) => state !== 'draft' && state !== 'discarded');
}

const DATE_MESSAGE = (field: string) => ({ message: `${field} must be a date YYYY-MM-DD that exists` });

/** `a,b` and `state=a&state=b` both mean a list; anything else is left for the validators to refuse. */
function commaList({ value }: { value: unknown }): unknown {
  if (typeof value === 'string') return value.split(',');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.flatMap((item: string) => item.split(','));
  return value;
}

/** `GET /staff/applications`: the work queue of the caller's departments. */
export class WorkQueueQuery {
  @ApiPropertyOptional({ description: 'One state or a comma list. Without it the queue lists open cases (every active state).', example: 'underReview,returned' })
  @IsOptional()
  @Transform(commaList)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsIn(queueStates(), { each: true, message: 'state must be one of the known states (not draft or discarded)' })
  state?: string[];

  @ApiPropertyOptional({ example: 'juminhyo' }) @IsOptional() @Matches(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/) @MaxLength(64) procedureCode?: string;

  @ApiPropertyOptional({ enum: QUEUE_CHANNELS }) @IsOptional() @IsIn(QUEUE_CHANNELS) channel?: (typeof QUEUE_CHANNELS)[number];

  @ApiPropertyOptional({ description: 'Submitted on or after this date (municipality time zone)', example: '2026-04-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE('submittedFrom'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('submittedFrom'))
  submittedFrom?: string;

  @ApiPropertyOptional({ description: 'Submitted on or before this date (municipality time zone)', example: '2026-04-30' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE('submittedTo'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('submittedTo'))
  submittedTo?: string;

  @ApiPropertyOptional({ description: 'Submitted at least this many calendar days ago', minimum: 0, maximum: 3650 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  minAgeDays?: number;

  @ApiPropertyOptional({ description: 'Due strictly before this date', example: '2026-05-01' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE_MESSAGE('dueBefore'))
  @IsISO8601({ strict: true }, DATE_MESSAGE('dueBefore'))
  dueBefore?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: past the due date (a paused clock is never overdue); false: the rest' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({ enum: QUEUE_CLAIMED, description: 'Whose claim: me, none (unclaimed), others, any (default)' })
  @IsOptional()
  @IsIn(QUEUE_CLAIMED)
  claimed?: QueueClaimed;

  @ApiPropertyOptional({ enum: QUEUE_SORTS, default: 'dueOn' }) @IsOptional() @IsIn(QUEUE_SORTS) sort?: QueueSort;

  @ApiPropertyOptional({ enum: QUEUE_ORDERS, default: 'asc', description: 'Cases without a due date come last either way; ties by id' })
  @IsOptional()
  @IsIn(QUEUE_ORDERS)
  order?: QueueOrder;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same sort and order' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'cursor must be a nextCursor value as returned' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: QUEUE_MAX_LIMIT, default: QUEUE_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(QUEUE_MAX_LIMIT)
  limit?: number;
}

export class QueueItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() procedureCode!: string;
  @ApiProperty({ type: Object, example: { ja: '住民票の写しの交付請求', en: 'Request for a certificate of residence' } }) procedureName!: { ja: string; en: string };
  @ApiProperty({ nullable: true, type: String }) referenceNumber!: string | null;
  @ApiProperty() state!: string;
  @ApiProperty({ type: Object, description: 'The state in plain words' }) status!: { ja: string; en: string };
  @ApiProperty({ enum: QUEUE_CHANNELS }) channel!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty({ description: 'Calendar days since submission' }) ageDays!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Due date from the standard processing time; null without one and while paused' }) dueOn!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Business days to the due date, negative when overdue; while paused, those left when it paused' })
  daysLeft!: number | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'The due-date clock is paused (returned for correction)' }) paused!: boolean;
  @ApiProperty({ nullable: true, type: String }) claimedBy!: string | null;
  @ApiProperty() updatedAt!: string;
}

export class WorkQueuePageDto {
  @ApiProperty({ type: [QueueItemDto] }) items!: QueueItemDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
  @ApiProperty({ description: 'Cases matching the filters, across all pages' }) total!: number;
}
