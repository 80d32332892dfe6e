import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type TransitionContext, type TransitionHook, TransitionHooks } from '../transition-hooks';
import { CaseWorkRepository } from './case-work.repository';

/**
 * Keeps the form exactly as submitted, at every submission and
 * resubmission, so staff can see what a correction changed and the resident
 * what they changed since. The locked row is the state before the
 * transition, which is the form being submitted; it is stored sealed (the
 * individual number stays encrypted), as on the application.
 */
@Injectable()
export class SubmissionSnapshotsHook implements TransitionHook, OnModuleInit {
  readonly name = 'submission-snapshots';

  constructor(
    private readonly hooks: TransitionHooks,
    private readonly submissions: CaseWorkRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  async after({ manager, municipalityId, application, input, result, at, revision }: TransitionContext & { revision: number }): Promise<void> {
    const submitted = result.from === 'draft' && result.to !== 'discarded';
    if (!submitted && input.type !== 'resident.resubmit') return;
    await this.submissions.insertSubmission(manager, municipalityId, application.id, { seq: revision, formData: application.formData, at, actor: input.actor });
  }
}
