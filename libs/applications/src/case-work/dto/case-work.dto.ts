import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, IsUUID, Matches } from 'class-validator';
import { TimelineEntryDto } from '../../dto/application.dto';

export const NOTE_MAX_LENGTH = 2000;

export class AssignClaimDto {
  @ApiProperty({ description: 'The colleague who takes the case: active staff of a department that owns the procedure, with a clerk, reviewer or approver role' })
  @IsUUID()
  staffId!: string;
}

export class CreateNoteDto {
  @ApiProperty({ minLength: 1, maxLength: NOTE_MAX_LENGTH, description: 'Trimmed; 1 to 2000 characters' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  // Counted in characters (code points), as PostgreSQL counts them for the column's check.
  @Matches(new RegExp(`^[\\s\\S]{1,${NOTE_MAX_LENGTH}}$`, 'u'), { message: `body must be 1 to ${NOTE_MAX_LENGTH} characters after trimming` })
  body!: string;
}

export class StaffRefDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Display name; null if the account is gone' }) name!: string | null;
}

export class ClaimDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ nullable: true, type: StaffRefDto }) claimedBy!: StaffRefDto | null;
  @ApiProperty({ nullable: true, type: String }) claimedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The holder's last action on the case; idle claims are released after CLAIM_IDLE_MINUTES" })
  lastActiveAt!: string | null;
}

export class NoteDto {
  @ApiProperty() id!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ type: StaffRefDto }) author!: StaffRefDto;
  @ApiProperty() createdAt!: string;
}

export class SubmissionRefDto {
  @ApiProperty({ description: "The application's revision at that submission" }) revision!: number;
  @ApiProperty() submittedAt!: string;
}

export class FieldChangeDto {
  @ApiProperty({ example: 'bankAccount.accountNumber' }) field!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The form schema title(s) along the path' }) title!: string | null;
  @ApiProperty({ nullable: true, description: 'Masked where sensitive' }) before!: unknown;
  @ApiProperty({ nullable: true, description: 'Masked where sensitive' }) after!: unknown;
  @ApiProperty({ description: 'Staff asked for this field to be corrected' }) flagged!: boolean;
}

export class SendBackDto {
  @ApiProperty({ type: [String] }) fields!: string[];
  @ApiProperty() message!: string;
  @ApiProperty() at!: string;
}

export class SubmissionDiffDto {
  @ApiProperty({ nullable: true, type: SubmissionRefDto, description: 'The older side; null when there is nothing to compare with' })
  from!: SubmissionRefDto | null;
  @ApiProperty({ nullable: true, type: SubmissionRefDto, description: 'The newer side; null means the current form (while returned for correction)' })
  to!: SubmissionRefDto | null;
  @ApiProperty({ type: [FieldChangeDto] }) changes!: FieldChangeDto[];
  @ApiProperty({ nullable: true, type: SendBackDto, description: 'The return for correction between the two sides, if any' })
  sendBack!: SendBackDto | null;
}

export class ResidentFieldChangeDto {
  @ApiProperty() field!: string;
  @ApiProperty({ type: Object, description: 'The field as the form names it; English falls back to the field name' }) label!: { ja: string; en: string };
  @ApiProperty({ nullable: true }) before!: unknown;
  @ApiProperty({ nullable: true }) after!: unknown;
  @ApiProperty({ description: 'One of the fields you were asked to correct' }) flagged!: boolean;
}

export class ResidentChangesDto {
  @ApiProperty({ nullable: true, type: String }) lastSubmittedAt!: string | null;
  @ApiProperty({ type: Object }) summary!: { ja: string; en: string };
  @ApiProperty({ type: [ResidentFieldChangeDto], description: 'Answers you changed since your last submission (not yet resubmitted)' }) changes!: ResidentFieldChangeDto[];
  @ApiProperty({ type: [TimelineEntryDto], description: 'What happened since your last submission' }) events!: TimelineEntryDto[];
  @ApiProperty({ nullable: true, type: Object, description: 'While returned for correction: the fields to fix and why' })
  sendBack!: { fields: string[]; message: string } | null;
}
