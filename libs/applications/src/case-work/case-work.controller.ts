import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiController } from '@madoguchi/kernel';
import { ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { CaseNotesService } from './case-notes.service';
import { ClaimsService } from './claims.service';
import { AssignClaimDto, ClaimDto, CreateNoteDto, NoteDto, SubmissionDiffDto } from './dto/case-work.dto';
import { SubmissionDiffsService } from './submission-diffs.service';

const uuid = new ParseUUIDPipe();

/** Claims, internal notes and resubmission diffs: staff of the departments owning the procedure. */
@ApiTags('applications (staff)')
@ApiController('staff/applications')
@StaffOnly('clerk', 'reviewer', 'approver')
export class CaseWorkController {
  constructor(
    private readonly claims: ClaimsService,
    private readonly notes: CaseNotesService,
    private readonly diffs: SubmissionDiffsService,
  ) {}

  @Post(':id/claim')
  @HttpCode(200)
  claim(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<ClaimDto> {
    return this.claims.claim(staff, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  release(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<ClaimDto> {
    return this.claims.release(staff, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  assign(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: AssignClaimDto): Promise<ClaimDto> {
    return this.claims.assign(staff, id, body.staffId);
  }

  @Post(':id/notes')
  addNote(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: CreateNoteDto): Promise<NoteDto> {
    return this.notes.add(staff, id, body.body);
  }

  @Get(':id/notes')
  listNotes(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<NoteDto[]> {
    return this.notes.list(staff, id);
  }

  @Get(':id/diff')
  diff(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<SubmissionDiffDto> {
    return this.diffs.staffDiff(staff, id);
  }
}
