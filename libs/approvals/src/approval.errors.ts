import { RequestError } from '@madoguchi/kernel';

export enum ApprovalErrorCode {
  NotAuthorized = 'APPROVAL_NOT_AUTHORIZED',
  SeparationOfDuties = 'APPROVAL_SEPARATION_OF_DUTIES',
  StepAlreadyDecided = 'APPROVAL_STEP_ALREADY_DECIDED',
  NoPreviousStep = 'APPROVAL_NO_PREVIOUS_STEP',
  GrantAmountInvalid = 'APPROVAL_GRANT_AMOUNT_INVALID',
  DelegationInvalid = 'APPROVAL_DELEGATION_INVALID',
  DelegationNotFound = 'APPROVAL_DELEGATION_NOT_FOUND',
  DecisionNotFound = 'APPROVAL_DECISION_NOT_FOUND',
}

export class ApprovalError extends RequestError {
  static notAuthorized(step: { index: number; level: string | null; departments: string[] }): ApprovalError {
    return new ApprovalError(
      403,
      ApprovalErrorCode.NotAuthorized,
      { ja: 'この段階を決裁する権限がありません（職位または所属が足りません）。', en: 'You may not decide this step of the approval route (level or department).' },
      { step: step.index, requiredLevel: step.level, departments: step.departments },
    );
  }

  static separationOfDuties(): ApprovalError {
    return new ApprovalError(403, ApprovalErrorCode.SeparationOfDuties, {
      ja: 'この申請の受付・審査に関わった職員、またはこの決裁ですでに承認した職員は決裁できません。',
      en: 'Whoever entered or reviewed this application, or already approved a step of it, cannot decide it.',
    });
  }

  static stepAlreadyDecided(expected: number, current: number): ApprovalError {
    return new ApprovalError(
      409,
      ApprovalErrorCode.StepAlreadyDecided,
      { ja: 'この段階はすでに決裁されました。画面を更新してください。', en: 'This step has already been decided. Reload to see where the route stands.' },
      { expectedStep: expected, currentStep: current },
    );
  }

  static noPreviousStep(): ApprovalError {
    return new ApprovalError(422, ApprovalErrorCode.NoPreviousStep, {
      ja: '最初の段階です。前の段階には戻せません。起案者（審査担当）へ差し戻してください。',
      en: 'This is the first step: there is no previous step. Return it to the clerk instead.',
    });
  }

  static grantAmountInvalid(requested: number | null): ApprovalError {
    return new ApprovalError(
      422,
      ApprovalErrorCode.GrantAmountInvalid,
      { ja: '交付決定額は0円以上、申請額以下の整数で、最終決裁でのみ指定できます。', en: 'The grant amount must be a whole number of yen from 0 to the amount applied for, given at the final approval only.' },
      { requestedAmount: requested },
    );
  }

  static delegationInvalid(reason: string, ja: string): ApprovalError {
    return new ApprovalError(422, ApprovalErrorCode.DelegationInvalid, { ja, en: reason }, { reason });
  }

  static delegationNotFound(id: string): ApprovalError {
    return new ApprovalError(404, ApprovalErrorCode.DelegationNotFound, { ja: '代決の設定が見つかりません。', en: 'Delegation not found.' }, { id });
  }

  static decisionNotFound(): ApprovalError {
    return new ApprovalError(404, ApprovalErrorCode.DecisionNotFound, { ja: '交付決定はまだありません。', en: 'There is no grant decision yet.' });
  }
}
