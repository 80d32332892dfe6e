import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { ApplicationAccessService } from '../application-access.service';
import type { AttachmentDto } from '../attachments/attachments.service';
import type { ApplicationDto, TimelineEntryDto } from '../dto/application.dto';
import { CaseNotesService } from './case-notes.service';
import { ClaimsService } from './claims.service';
import type { ClaimDto, NoteDto, StaffRefDto, SubmissionDiffDto } from './dto/case-work.dto';
import { SubmissionDiffsService } from './submission-diffs.service';

/** Everything the office's case page shows, read through the same services as the JSON routes. */
export interface CaseFile {
  /** As GET /staff/applications/:id: masked form data, the events the engine allows now (an audited read). */
  application: ApplicationDto;
  definition: ProcedureDefinition;
  timeline: TimelineEntryDto[];
  notes: NoteDto[];
  diff: SubmissionDiffDto;
  claim: ClaimDto;
  colleagues: StaffRefDto[];
  /** Names, types and sizes of the attached files (opening one is a separate, audited read). */
  attachments: AttachmentDto[];
}

/**
 * The case page in one call. Each part keeps its own access check (role,
 * then department: another department's case is "not found"); the
 * application read comes first so a refused caller reads nothing else.
 */
@Injectable()
export class CaseFileService {
  constructor(
    private readonly access: ApplicationAccessService,
    private readonly claims: ClaimsService,
    private readonly notes: CaseNotesService,
    private readonly diffs: SubmissionDiffsService,
  ) {}

  async open(staff: StaffPrincipal, id: string): Promise<CaseFile> {
    const application = await this.access.staffGet(staff, id);
    const [definition, timeline, notes, diff, claim, colleagues, attachments] = await Promise.all([
      this.access.procedureOf({ municipalityId: staff.municipalityId, procedureCode: application.procedureCode, procedureVersion: application.procedureVersion }),
      this.access.staffTimeline(staff, id),
      this.notes.list(staff, id),
      this.diffs.staffDiff(staff, id),
      this.claims.current(staff, id),
      this.claims.colleagues(staff, id),
      this.access.staffAttachments(staff, id),
    ]);
    return { application, definition, timeline, notes, diff, claim, colleagues, attachments };
  }
}
