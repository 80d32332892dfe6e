import { ApplicationError } from '@madoguchi/engine';

export enum CaseWorkErrorCode {
  Claimed = 'APPLICATION_CLAIMED',
  NotClaimable = 'APPLICATION_NOT_CLAIMABLE',
  AssigneeInvalid = 'APPLICATION_ASSIGNEE_INVALID',
}

/** Refusals of claims and assignments; part of the applications' error family. */
export const CaseWorkErrors = {
  /** Someone else holds the case: only they act on it (or a reviewer releases it). */
  claimed(holder: { id: string; name: string | null }, claimedAt: Date | null): ApplicationError {
    return new ApplicationError(
      409,
      CaseWorkErrorCode.Claimed,
      {
        ja: `この申請は${holder.name ?? '他の職員'}さんが担当中です。`,
        en: `This application is claimed by ${holder.name ?? 'another staff member'}.`,
      },
      { claimedBy: holder, claimedAt: claimedAt?.toISOString() ?? null },
    );
  },

  notClaimable(state: string): ApplicationError {
    return new ApplicationError(
      409,
      CaseWorkErrorCode.NotClaimable,
      { ja: '処理が終わった申請は担当できません。', en: 'Only an application still in progress can be claimed.' },
      { state },
    );
  },

  assigneeInvalid(staffId: string): ApplicationError {
    return new ApplicationError(
      422,
      CaseWorkErrorCode.AssigneeInvalid,
      {
        ja: '指定された職員はこの申請を担当できません（在籍中で、この手続を所管する課の受付・審査・決裁の担当者である必要があります）。',
        en: 'That staff member cannot take this application: they must be active, in a department that owns the procedure, with a clerk, reviewer or approver role.',
      },
      { staffId },
    );
  },
};
