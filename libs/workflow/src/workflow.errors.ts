import { RequestError } from '@madoguchi/kernel';

export enum WorkflowErrorCode {
  UnknownEvent = 'WORKFLOW_UNKNOWN_EVENT',
  EventNotAllowed = 'WORKFLOW_EVENT_NOT_ALLOWED',
  ConditionsNotMet = 'WORKFLOW_EVENT_CONDITIONS_NOT_MET',
  RevisionConflict = 'WORKFLOW_REVISION_CONFLICT',
}

export class WorkflowError extends RequestError {
  static unknownEvent(event: string): WorkflowError {
    return new WorkflowError(400, WorkflowErrorCode.UnknownEvent, {
      ja: `「${event}」という操作はありません。`,
      en: `There is no event "${event}".`,
    }, { event });
  }

  static notAllowed(event: string, state: string, allowedEvents: string[]): WorkflowError {
    return new WorkflowError(
      409,
      WorkflowErrorCode.EventNotAllowed,
      {
        ja: 'この申請は現在の状態ではその操作を受け付けられません。画面を更新して状態をご確認ください。',
        en: `The application is "${state}" and does not accept "${event}" now.`,
      },
      { event, state, allowedEvents },
    );
  }

  static conditionsNotMet(event: string, state: string): WorkflowError {
    return new WorkflowError(
      422,
      WorkflowErrorCode.ConditionsNotMet,
      {
        ja: '操作に必要な情報が不足しているか、権限の条件を満たしていません。',
        en: `"${event}" is accepted in "${state}", but its conditions are not met (missing reason, fields or approval level).`,
      },
      { event, state },
    );
  }

  static revisionConflict(expected: number, actual: number): WorkflowError {
    return new WorkflowError(
      409,
      WorkflowErrorCode.RevisionConflict,
      {
        ja: '他の操作で申請が更新されました。画面を更新してからもう一度お試しください。',
        en: `The application changed meanwhile (revision ${actual}, you had ${expected}). Reload and try again.`,
      },
      { expectedRevision: expected, currentRevision: actual },
    );
  }
}
