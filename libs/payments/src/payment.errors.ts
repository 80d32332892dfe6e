import { RequestError } from '@madoguchi/kernel';

export enum PaymentErrorCode {
  NotFound = 'PAYMENT_NOT_FOUND',
  NotDue = 'PAYMENT_NOT_DUE',
  NoFeeDue = 'PAYMENT_NO_FEE_DUE',
  DeadlinePassed = 'PAYMENT_DEADLINE_PASSED',
  AlreadyPaid = 'PAYMENT_ALREADY_PAID',
  InProgress = 'PAYMENT_IN_PROGRESS',
  ProviderUnavailable = 'PAYMENT_PROVIDER_UNAVAILABLE',
  ProviderRefused = 'PAYMENT_PROVIDER_REFUSED',
  NotCaptured = 'PAYMENT_NOT_CAPTURED',
  RefundExceedsRemaining = 'PAYMENT_REFUND_EXCEEDS_REMAINING',
  WebhookSignatureInvalid = 'PAYMENT_WEBHOOK_SIGNATURE_INVALID',
  WebhookTimestampOutOfRange = 'PAYMENT_WEBHOOK_TIMESTAMP_OUT_OF_RANGE',
  WebhookMalformed = 'PAYMENT_WEBHOOK_MALFORMED',
  WebhookUnknownPayment = 'PAYMENT_WEBHOOK_UNKNOWN_PAYMENT',
  UnknownProvider = 'PAYMENT_UNKNOWN_PROVIDER',
  InvalidDate = 'PAYMENT_INVALID_DATE',
  CounterAmountInsufficient = 'PAYMENT_COUNTER_AMOUNT_INSUFFICIENT',
  CounterAmountMismatch = 'PAYMENT_COUNTER_AMOUNT_MISMATCH',
  OnlinePaymentOpen = 'PAYMENT_ONLINE_PAYMENT_OPEN',
  RefundNotFound = 'PAYMENT_REFUND_NOT_FOUND',
  RefundNotAtCounter = 'PAYMENT_REFUND_NOT_AT_COUNTER',
  RefundAlreadyPaidOut = 'PAYMENT_REFUND_ALREADY_PAID_OUT',
}

export class PaymentError extends RequestError {
  static notFound(id: string): PaymentError {
    return new PaymentError(404, PaymentErrorCode.NotFound, { ja: 'お支払いが見つかりません。', en: 'Payment not found.' }, { id });
  }

  static notDue(state: string): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.NotDue,
      {
        ja: 'この申請は現在お支払いを受け付けていません。',
        en: `The application is "${state}" and does not take a payment now.`,
      },
      { state },
    );
  }

  static noFeeDue(): PaymentError {
    return new PaymentError(409, PaymentErrorCode.NoFeeDue, {
      ja: 'この申請にお支払いいただく手数料はありません。',
      en: 'No fee is due for this application.',
    });
  }

  static deadlinePassed(deadline: Date): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.DeadlinePassed,
      { ja: 'お支払い期限を過ぎています。', en: 'The payment deadline has passed.' },
      { deadline: deadline.toISOString() },
    );
  }

  static alreadyPaid(paymentId: string): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.AlreadyPaid,
      { ja: 'この申請の手数料はお支払い済みです。', en: 'The fee for this application has already been paid.' },
      { paymentId },
    );
  }

  static inProgress(paymentId: string): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.InProgress,
      {
        ja: 'お支払いの手続き中です。しばらくしてから状況をご確認ください。',
        en: 'A payment is being completed. Check its status again shortly.',
      },
      { paymentId },
    );
  }

  static providerUnavailable(): PaymentError {
    return new PaymentError(503, PaymentErrorCode.ProviderUnavailable, {
      ja: '決済サービスに接続できません。時間をおいてもう一度お試しください。',
      en: 'The payment service cannot be reached. Please try again later.',
    });
  }

  static providerRefused(providerCode: string): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.ProviderRefused,
      {
        ja: '決済サービスがこのお支払いを受け付けませんでした。画面を更新して状況をご確認ください。',
        en: 'The payment service refused this payment. Reload and check its status.',
      },
      { providerCode },
    );
  }

  static notCaptured(paymentId: string, status: string): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.NotCaptured,
      { ja: 'このお支払いは完了していないため返金できません。', en: `The payment is "${status}"; only a captured payment can be refunded.` },
      { paymentId, status },
    );
  }

  static refundExceedsRemaining(requested: number, remaining: number): PaymentError {
    return new PaymentError(
      422,
      PaymentErrorCode.RefundExceedsRemaining,
      {
        ja: `返金額が返金可能な金額（${remaining}円）を超えています。`,
        en: `The refund (${requested} yen) is more than what remains refundable (${remaining} yen).`,
      },
      { requested, remaining },
    );
  }

  static webhookSignatureInvalid(problem: string): PaymentError {
    return new PaymentError(
      400,
      PaymentErrorCode.WebhookSignatureInvalid,
      { ja: '署名を確認できませんでした。', en: 'The webhook signature is not valid.' },
      { problem },
    );
  }

  static webhookTimestampOutOfRange(): PaymentError {
    return new PaymentError(400, PaymentErrorCode.WebhookTimestampOutOfRange, {
      ja: '送信時刻が許容範囲外です。',
      en: 'The webhook timestamp is outside the accepted window.',
    });
  }

  static webhookMalformed(): PaymentError {
    return new PaymentError(400, PaymentErrorCode.WebhookMalformed, {
      ja: '通知の内容を読み取れませんでした。',
      en: 'The webhook body is not a valid event.',
    });
  }

  /** 409, not 404: the provider retries, and our commit of the payment may simply not be visible yet. */
  static webhookUnknownPayment(providerPaymentId: string): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.WebhookUnknownPayment,
      { ja: '対応するお支払いが見つかりません。', en: 'No payment matches this event (yet).' },
      { providerPaymentId },
    );
  }

  static unknownProvider(name: string): PaymentError {
    return new PaymentError(404, PaymentErrorCode.UnknownProvider, { ja: '決済サービスが見つかりません。', en: `No payment provider "${name}" is configured.` }, { provider: name });
  }

  // Counter (窓口収納): staff see these at the desk.

  static counterAmountInsufficient(due: number, received: number): PaymentError {
    return new PaymentError(
      422,
      PaymentErrorCode.CounterAmountInsufficient,
      {
        ja: `お預かり金額（${received}円）が手数料（${due}円）に足りません。`,
        en: `The amount received (${received} yen) is less than the fee due (${due} yen).`,
      },
      { due, received },
    );
  }

  /** A terminal charges exactly what it is told: any other amount is a typing error at the desk. */
  static counterAmountMismatch(method: string, due: number, received: number): PaymentError {
    return new PaymentError(
      422,
      PaymentErrorCode.CounterAmountMismatch,
      {
        ja: `端末でのお支払いは手数料と同額（${due}円）でなければなりません（入力：${received}円）。`,
        en: `A terminal payment must be exactly the fee due (${due} yen), not ${received} yen.`,
      },
      { method, due, received },
    );
  }

  /** The resident is paying online right now: taking money at the desk too could take it twice. */
  static onlinePaymentOpen(paymentId: string, status: string, method: string | null): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.OnlinePaymentOpen,
      {
        ja: 'オンラインでのお支払いが手続き中のため、窓口で収納できません。しばらくしてから状況をご確認ください。',
        en: `An online payment (${method ?? 'no method yet'}, "${status}") is in progress for this application; the counter cannot take the fee now.`,
      },
      { paymentId, status, method },
    );
  }

  static refundNotFound(refundId: string): PaymentError {
    return new PaymentError(404, PaymentErrorCode.RefundNotFound, { ja: '返金が見つかりません。', en: 'Refund not found.' }, { refundId });
  }

  static refundNotAtCounter(refundId: string, status: string): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.RefundNotAtCounter,
      {
        ja: 'この返金は窓口でお返しするものではありません。',
        en: `The refund is "${status}": only a refund of a counter payment waiting at the desk is paid out here.`,
      },
      { refundId, status },
    );
  }

  /** Two desks must not both hand the money back. */
  static refundAlreadyPaidOut(refundId: string, paidOutBy: string, paidOutAt: Date): PaymentError {
    return new PaymentError(
      409,
      PaymentErrorCode.RefundAlreadyPaidOut,
      { ja: 'この返金は窓口でお返し済みです。', en: 'This refund has already been paid out at the counter.' },
      { refundId, paidOutBy, paidOutAt: paidOutAt.toISOString() },
    );
  }

  static invalidDate(value: string): PaymentError {
    return new PaymentError(400, PaymentErrorCode.InvalidDate, { ja: '日付が正しくありません。', en: `"${value}" is not a date (YYYY-MM-DD).` }, { value });
  }
}
