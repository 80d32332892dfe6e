import { STATE_LABELS, type CompiledProcedure, type WorkflowContext } from '@madoguchi/workflow';
import type { ApplicationDto, ApplicationSummaryDto, TimelineEntryDto } from './dto/application.dto';
import type { ApplicationEventEntity, ApplicationEntity } from '@madoguchi/engine';

const EVENT_DESCRIPTIONS: Record<string, { ja: string; en: string }> = {
  'application.created': { ja: '申請を作成しました', en: 'Application started' },
  'resident.submit': { ja: '申請を提出しました', en: 'Application submitted' },
  'resident.discard': { ja: '下書きを破棄しました', en: 'Draft discarded' },
  'resident.withdraw': { ja: '申請を取り下げました', en: 'Application withdrawn' },
  'resident.resubmit': { ja: '修正して再提出しました', en: 'Corrected and resubmitted' },
  'application.corrected': { ja: '申請内容を修正しました', en: 'Application corrected' },
  'application.handedOver': { ja: '窓口で申請の手続を引き継ぎました', en: 'Taken over at the counter' },
  'staff.accept': { ja: '審査が完了しました', en: 'Review completed' },
  'staff.assessFee': { ja: '手数料が決まりました', en: 'Fee assessed' },
  'staff.sendBack': { ja: '修正のお願いが届きました', en: 'Returned for correction' },
  'staff.reject': { ja: '申請は却下されました', en: 'Application rejected' },
  'approver.approve': { ja: '決裁が進みました', en: 'Approval step completed' },
  'approver.return': { ja: '審査に戻されました', en: 'Returned to review' },
  'approver.reject': { ja: '申請は却下されました', en: 'Application rejected' },
  'payment.succeeded': { ja: 'お支払いを確認しました', en: 'Payment received' },
  'booking.confirmed': { ja: '予約が確定しました', en: 'Booking confirmed' },
  'booking.released': { ja: '仮予約が取り消されました', en: 'Provisional booking released' },
  'document.issued': { ja: '書類を交付しました', en: 'Document issued' },
  'notification.sent': { ja: '通知を送付しました', en: 'Notice sent' },
  'deadline.reached': { ja: '期限が過ぎました', en: 'Deadline passed' },
};

/** `formData` must already be masked (SensitiveFormFields.mask). */
export function toApplicationDto(application: ApplicationEntity, compiled: CompiledProcedure, formData: Record<string, unknown>): ApplicationDto {
  const context = application.snapshot.context as Partial<Pick<WorkflowContext, 'fee' | 'sendBack'>> | undefined;
  // Only while the application waits for the correction: after resubmission the request is history (timeline).
  const sendBack = application.state === 'returned' && context?.sendBack ? { fields: [...context.sendBack.fields], message: context.sendBack.message } : null;
  return {
    id: application.id,
    procedureCode: application.procedureCode,
    procedureVersion: application.procedureVersion,
    referenceNumber: application.referenceNumber,
    channel: application.channel,
    state: application.state,
    status: STATE_LABELS[application.state] ?? { ja: application.state, en: application.state },
    revision: application.revision,
    allowedEvents: compiled.allowedEvents(application.snapshot),
    formData,
    fee: context?.fee?.amount ?? null,
    sendBack,
    createdAt: application.createdAt.toISOString(),
    submittedAt: application.submittedAt?.toISOString() ?? null,
    dueOn: application.dueOn,
  };
}

export function toSummary(application: ApplicationEntity): ApplicationSummaryDto {
  return {
    id: application.id,
    procedureCode: application.procedureCode,
    referenceNumber: application.referenceNumber,
    state: application.state,
    status: STATE_LABELS[application.state] ?? { ja: application.state, en: application.state },
    channel: application.channel,
    createdAt: application.createdAt.toISOString(),
    submittedAt: application.submittedAt?.toISOString() ?? null,
    dueOn: application.dueOn,
    updatedAt: application.updatedAt.toISOString(),
  };
}

/** Events in plain words for the resident: never internal state names. */
export function toTimeline(events: ApplicationEventEntity[]): TimelineEntryDto[] {
  return events.map((event) => ({
    at: event.occurredAt.toISOString(),
    event: event.type,
    description: EVENT_DESCRIPTIONS[event.type] ?? { ja: '状態が変わりました', en: 'Status changed' },
    status: STATE_LABELS[event.toState] ?? { ja: event.toState, en: event.toState },
  }));
}
