import { staffReadDetails, type ApplicationEntity, type ApplicationEventEntity, ApplicationError, ApplicationRepository } from '@madoguchi/engine';
import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { type ResidentPrincipal, type StaffPrincipal, SensitiveFormFields } from '@madoguchi/identity';
import { ProcedureRegistry } from '@madoguchi/procedures';
import { ApplicationAccessService } from '../application-access.service';
import { toTimeline } from '../application.mapper';
import { CaseWorkRepository, type SubmissionRecord } from './case-work.repository';
import type { FieldChangeDto, ResidentChangesDto, SendBackDto, SubmissionDiffDto, SubmissionRefDto } from './dto/case-work.dto';
import { changedFields, valueAt } from './form-diff';

/**
 * What changed between submissions, from the snapshots SubmissionSnapshotsHook
 * keeps. Staff see the last resubmission against the one before it (or,
 * while the case is returned, the resident's pending corrections against the
 * last submission); the resident sees what they changed since their last
 * submission and what happened since. Sensitive answers are compared opened
 * and shown masked.
 */
@Injectable()
export class SubmissionDiffsService {
  constructor(
    private readonly access: ApplicationAccessService,
    private readonly submissions: CaseWorkRepository,
    private readonly applications: ApplicationRepository,
    private readonly registry: ProcedureRegistry,
    private readonly sensitive: SensitiveFormFields,
    private readonly audit: AuditService,
  ) {}

  async staffDiff(staff: StaffPrincipal, id: string): Promise<SubmissionDiffDto> {
    const application = await this.access.staffCase(staff, id);
    const [latest, previous] = await this.submissions.latestSubmissions(staff.municipalityId, id, 2);
    // While returned the newest answers are the pending corrections, not yet a submission.
    const returned = application.state === 'returned';
    const from = returned ? latest : previous;
    const to = returned ? undefined : latest;
    let diff: SubmissionDiffDto = { from: null, to: to ? ref(to) : null, changes: [], sendBack: null };
    if (from) {
      const events = await this.applications.events(staff.municipalityId, id);
      const sendBack = lastSendBack(events, from.seq, to?.seq);
      diff = {
        from: ref(from),
        to: to ? ref(to) : null,
        changes: await this.changes(application, from.formData, to ? to.formData : application.formData, sendBack?.fields ?? []),
        sendBack,
      };
    }
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ApplicationRead,
      target: { type: 'application', id },
      details: { fields: [...new Set(diff.changes.map((change) => change.field.split('.')[0]))], view: 'submissionDiff', ...staffReadDetails(application, 'diff') },
    });
    return diff;
  }

  async residentChanges(resident: ResidentPrincipal, id: string): Promise<ResidentChangesDto> {
    const application = await this.access.residentCase(resident, id);
    if (!application.submittedAt) throw ApplicationError.notSubmitted();
    const [latest] = await this.submissions.latestSubmissions(resident.municipalityId, id, 1);
    const events = await this.applications.events(resident.municipalityId, id);
    // Applications submitted before snapshots were kept: the event log still says when.
    const since = latest?.seq ?? lastSubmissionSeq(events);
    const sendBackContext = (application.snapshot.context as { sendBack?: { fields: string[]; message: string } | null }).sendBack;
    const sendBack = application.state === 'returned' && sendBackContext ? { fields: [...sendBackContext.fields], message: sendBackContext.message } : null;
    const changes = latest ? await this.changes(application, latest.formData, application.formData, sendBack?.fields ?? []) : [];
    return {
      lastSubmittedAt: latest?.submittedAt.toISOString() ?? application.submittedAt.toISOString(),
      summary:
        changes.length > 0
          ? { ja: `前回の提出から${changes.length}項目を変更しました。再提出するまで担当者には届きません。`, en: `You changed ${changes.length} answer(s) since your last submission. Staff see them once you resubmit.` }
          : { ja: '前回の提出から変更した項目はありません。', en: 'You have changed no answers since your last submission.' },
      changes: changes.map((change) => ({
        field: change.field,
        label: { ja: change.title ?? change.field, en: change.field },
        before: change.before,
        after: change.after,
        flagged: change.flagged,
      })),
      events: toTimeline(events.filter((event) => event.seq > since)),
      sendBack,
    };
  }

  private async changes(application: ApplicationEntity, beforeSealed: Record<string, unknown>, afterSealed: Record<string, unknown>, flagged: string[]): Promise<FieldChangeDto[]> {
    const { municipalityId, id } = application;
    const compiled = await this.registry.get(municipalityId as never, application.procedureCode, application.procedureVersion);
    const fields = changedFields(this.sensitive.open(municipalityId, id, beforeSealed), this.sensitive.open(municipalityId, id, afterSealed), compiled.definition.form.schema);
    const before = this.sensitive.mask(municipalityId, id, beforeSealed);
    const after = this.sensitive.mask(municipalityId, id, afterSealed);
    return fields.map(({ field, title }) => ({
      field,
      title,
      before: valueAt(before, field),
      after: valueAt(after, field),
      flagged: flagged.some((name) => name === field || field.startsWith(`${name}.`) || name.startsWith(`${field}.`)),
    }));
  }
}

function ref(submission: SubmissionRecord): SubmissionRefDto {
  return { revision: submission.seq, submittedAt: submission.submittedAt.toISOString() };
}

/** The last return for correction after `afterSeq` (and up to `uptoSeq`, when given). */
function lastSendBack(events: ApplicationEventEntity[], afterSeq: number, uptoSeq?: number): SendBackDto | null {
  const event = events.filter((candidate) => candidate.type === 'staff.sendBack' && candidate.seq > afterSeq && (uptoSeq === undefined || candidate.seq <= uptoSeq)).at(-1);
  if (!event) return null;
  const fields = Array.isArray(event.payload.fields) ? event.payload.fields.filter((field): field is string => typeof field === 'string') : [];
  const message = typeof event.payload.message === 'string' ? event.payload.message.trim() : '';
  return { fields, message, at: event.occurredAt.toISOString() };
}

function lastSubmissionSeq(events: ApplicationEventEntity[]): number {
  return events.filter((event) => (event.fromState === 'draft' && event.toState !== 'draft') || event.type === 'resident.resubmit').at(-1)?.seq ?? 0;
}
