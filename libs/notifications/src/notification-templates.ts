import type { NotificationKind } from '@madoguchi/workflow';

export interface TemplateData {
  procedureName: { ja: string; en: string };
  referenceNumber: string | null;
  link: string;
}

const LINES: Record<NotificationKind, { ja: string; en: string }> = {
  received: { ja: '申請を受け付けました。', en: 'We have received your application.' },
  returnedForCorrection: {
    ja: '申請内容の修正をお願いします。マイページで修正箇所をご確認ください。',
    en: 'Please correct your application. See what to fix on your page.',
  },
  paymentDue: { ja: '手数料のお支払いをお願いします。期限までにお支払いください。', en: 'A fee is due. Please pay it before the deadline.' },
  paymentReceived: { ja: 'お支払いを確認しました。', en: 'We have received your payment.' },
  approved: { ja: '申請が承認（決裁）されました。', en: 'Your application has been approved.' },
  rejected: { ja: '申請は却下されました。理由はマイページでご確認ください。', en: 'Your application was rejected. See the reason on your page.' },
  documentReady: { ja: '書類の交付準備ができました。マイページからご確認ください。', en: 'Your document is ready. Open your page to see it.' },
  bookingConfirmed: { ja: '施設の予約が確定しました。', en: 'Your booking is confirmed.' },
  expired: { ja: '期限が過ぎたため、申請は終了しました。', en: 'The deadline passed and the application was closed.' },
  deadlineApproaching: {
    ja: 'お支払いの期限が近づいています。期限を過ぎると申請は終了します。',
    en: 'The payment deadline is near. After it passes, the application is closed.',
  },
};

/**
 * Bilingual mail text. Deliberately thin: the procedure, the reference number
 * and a link — no names, addresses or answers, which stay behind the login.
 */
export function renderNotification(kind: NotificationKind, data: TemplateData): { subject: string; text: string } {
  const line = LINES[kind];
  const reference = data.referenceNumber ?? '—';
  return {
    subject: `【窓口】${data.procedureName.ja}（受付番号 ${reference}）/ ${data.procedureName.en}`,
    text: [
      line.ja,
      `手続：${data.procedureName.ja}`,
      `受付番号：${reference}`,
      `詳細：${data.link}`,
      '',
      line.en,
      `Procedure: ${data.procedureName.en}`,
      `Reference number: ${reference}`,
      `Details: ${data.link}`,
      '',
    ].join('\n'),
  };
}
