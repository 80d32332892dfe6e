import { formatWareki } from '@madoguchi/kernel';
import type { NotificationKind } from '@madoguchi/workflow';

export interface TemplateData {
  procedureName: { ja: string; en: string };
  referenceNumber: string | null;
  link: string;
  /** For notices about a fee due: what to pay and by when (the deadline's local date and time). */
  payment?: { amount: number | null; deadline: { date: string; time: string } | null };
  /** For a cancelled booking: what the cancellation policy gives back (0: nothing). */
  refund?: { amount: number };
}

const YEN = new Intl.NumberFormat('ja-JP');

/** 1,200円 */
export function yenText(amount: number): string {
  return `${YEN.format(amount)}円`;
}

/** 令和8年12月5日（2026年12月5日）17:00まで */
export function deadlineTextJa(deadline: { date: string; time: string }): string {
  const [year, month, day] = deadline.date.split('-').map(Number);
  return `${formatWareki(deadline.date)}（${year}年${month}月${day}日）${deadline.time}まで`;
}

function detailLines(data: TemplateData): { ja: string[]; en: string[] } {
  const ja: string[] = [];
  const en: string[] = [];
  if (data.payment?.amount != null) {
    ja.push(`お支払い金額：${yenText(data.payment.amount)}`);
    en.push(`Amount due: ${yenText(data.payment.amount)} (JPY ${YEN.format(data.payment.amount)})`);
  }
  if (data.payment?.deadline) {
    ja.push(`お支払い期限：${deadlineTextJa(data.payment.deadline)}`);
    en.push(`Pay by: ${data.payment.deadline.time} on ${data.payment.deadline.date} (Japan time)`);
  }
  if (data.refund) {
    if (data.refund.amount > 0) {
      ja.push(`返還額：${yenText(data.refund.amount)}（お支払いに使われた方法で返金します）`);
      en.push(`Refund: ${yenText(data.refund.amount)} (JPY ${YEN.format(data.refund.amount)}), returned the way you paid`);
    } else {
      ja.push('返還額：0円（取消しの時期により、規定上返還はありません）');
      en.push('Refund: none (under the cancellation policy, nothing is refunded this close to the date)');
    }
  }
  return { ja, en };
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
  bookingCancelled: { ja: '施設の予約を取り消しました。', en: 'Your booking has been cancelled.' },
};

/**
 * Bilingual mail text. Deliberately thin: the procedure, the reference number,
 * what is owed or given back and by when, and a link — no names, addresses or
 * answers, which stay behind the login.
 */
export function renderNotification(kind: NotificationKind, data: TemplateData): { subject: string; text: string } {
  const line = LINES[kind];
  const reference = data.referenceNumber ?? '—';
  const details = detailLines(data);
  return {
    subject: `【窓口】${data.procedureName.ja}（受付番号 ${reference}）/ ${data.procedureName.en}`,
    text: [
      line.ja,
      `手続：${data.procedureName.ja}`,
      `受付番号：${reference}`,
      ...details.ja,
      `詳細：${data.link}`,
      '',
      line.en,
      `Procedure: ${data.procedureName.en}`,
      `Reference number: ${reference}`,
      ...details.en,
      `Details: ${data.link}`,
      '',
    ].join('\n'),
  };
}
