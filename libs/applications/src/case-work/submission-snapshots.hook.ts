import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type TransitionContext, type TransitionHook, TransitionHooks, type TransitionWrites } from '@madoguchi/engine';

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
  ) {}

  onModuleInit(): void {
    this.hooks.register(this);
  }

  contribute({ municipalityId, application, input, result, at, revision, writes }: TransitionContext & { revision: number; writes: TransitionWrites }): void {
    const submitted = result.from === 'draft' && result.to !== 'discarded';
    if (!submitted && input.type !== 'resident.resubmit') return;
    writes.rows.push({
      table: 'application_submissions',
      values: {
        municipality_id: municipalityId,
        application_id: application.id,
        seq: revision,
        form_data: JSON.stringify(application.formData),
        submitted_at: at,
        actor_kind: input.actor.kind,
        actor_id: input.actor.id,
      },
    });
  }
}
