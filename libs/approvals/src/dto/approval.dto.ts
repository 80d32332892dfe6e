import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import type { ChainVerification } from '../approval-chain';

export class DecideDto {
  @ApiPropertyOptional({ description: 'The revision you last saw; a newer one is a 409' }) @IsOptional() @IsInt() @Min(1) revision?: number;
  @ApiPropertyOptional({ description: 'The step you are deciding (0-based); another step current now is a 409' }) @IsOptional() @IsInt() @Min(0) step?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) comment?: string;
  /** Return only. */
  @ApiPropertyOptional({ enum: ['previous', 'clerk'] }) @IsOptional() @IsIn(['previous', 'clerk']) to?: 'previous' | 'clerk';
  /** Reject only. */
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
  /** Final approval of a subsidy only: the amount granted, at most the amount applied for (default: that amount). */
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) grantAmount?: number;
}

export class ApproveDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) revision?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) step?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) comment?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) grantAmount?: number;
}

export class ReturnDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) revision?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) step?: number;
  @ApiProperty({ enum: ['previous', 'clerk'], description: 'Back one step of the route, or to the clerk (審査)' }) @IsIn(['previous', 'clerk']) to!: 'previous' | 'clerk';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) comment!: string;
}

export class RejectDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) revision?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) step?: number;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class CreateDelegationDto {
  @ApiProperty({ description: 'Staff member who decides in your place (代決)' }) @IsUUID() delegateId!: string;
  @ApiProperty({ example: '2026-12-01T00:00:00+09:00' }) @IsISO8601({ strict: true }) startsAt!: string;
  @ApiProperty({ example: '2026-12-05T00:00:00+09:00' }) @IsISO8601({ strict: true }) endsAt!: string;
  @ApiProperty({ example: '出張のため' }) @IsString() @IsNotEmpty() @MaxLength(200) reason!: string;
}

export class StepDto {
  @ApiProperty() index!: number;
  @ApiProperty({ enum: ['level', 'consultation'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) level!: string | null;
  @ApiProperty({ type: [String] }) departments!: string[];
  @ApiProperty({ nullable: true, type: Object, description: 'The approval rule that added this step' }) addedByRule!: Record<string, unknown> | null;
}

export class PendingApprovalDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ nullable: true, type: String }) referenceNumber!: string | null;
  @ApiProperty() procedureCode!: string;
  @ApiProperty({ type: Object }) procedureName!: { ja: string; en: string };
  @ApiProperty() revision!: number;
  @ApiProperty() round!: number;
  @ApiProperty({ type: StepDto }) step!: StepDto;
  @ApiProperty() stepCount!: number;
  @ApiProperty({ type: [String] }) waitingDepartments!: string[];
  @ApiProperty({ description: 'The department your decision counts for' }) department!: string;
  @ApiProperty({ nullable: true, type: String, description: '代決: the absent approver you would decide for' }) onBehalfOf!: string | null;
  @ApiProperty({ nullable: true, type: String }) submittedAt!: string | null;
  @ApiProperty() waitingSince!: string;
}

export class DecisionDto {
  @ApiProperty() seq!: number;
  @ApiProperty() round!: number;
  @ApiProperty() step!: number;
  @ApiProperty() stepKind!: string;
  @ApiProperty() department!: string;
  @ApiProperty({ enum: ['approved', 'returnedToPrevious', 'returnedToClerk', 'rejected'] }) outcome!: string;
  @ApiProperty() approverId!: string;
  @ApiProperty({ nullable: true, type: String }) approverLevel!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '代決: decided for this absent approver' }) onBehalfOf!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty() decidedAt!: string;
  @ApiProperty() contentHash!: string;
  @ApiProperty({ nullable: true, type: String }) previousHash!: string | null;
  @ApiProperty() hash!: string;
}

export class GrantDecisionDto {
  @ApiProperty({ example: 'R8-kankyo-00001' }) decisionNumber!: string;
  @ApiProperty({ enum: ['grant', 'nonGrant'] }) kind!: string;
  @ApiProperty({ type: Object, example: { ja: '交付決定', en: 'Grant decision' } }) title!: { ja: string; en: string };
  @ApiProperty({ nullable: true, type: Number }) amount!: number | null;
  @ApiProperty({ nullable: true, type: Number }) requestedAmount!: number | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() decidedAt!: string;
  @ApiProperty({ example: '令和8年11月22日' }) decidedOnWareki!: string;
  @ApiProperty({ nullable: true, type: String }) approvalHash!: string | null;
}

export class ApprovalViewDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() state!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({ nullable: true, type: Number }) round!: number | null;
  @ApiProperty({ nullable: true, type: String }) status!: string | null;
  @ApiProperty({ type: [StepDto] }) route!: StepDto[];
  @ApiProperty({ nullable: true, type: Number }) stepIndex!: number | null;
  @ApiProperty({ type: [String] }) waitingDepartments!: string[];
  @ApiProperty({ type: [DecisionDto] }) decisions!: DecisionDto[];
  @ApiProperty({ type: Object }) verification!: ChainVerification;
  @ApiProperty({ nullable: true, type: GrantDecisionDto }) grantDecision!: GrantDecisionDto | null;
}

export class DelegationDto {
  @ApiProperty() id!: string;
  @ApiProperty() delegatorId!: string;
  @ApiProperty() delegateId!: string;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'In force now' }) active!: boolean;
}
