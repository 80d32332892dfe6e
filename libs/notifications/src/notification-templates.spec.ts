import { renderNotification } from './notification-templates';

const base = { procedureName: { ja: '体育館の利用', en: 'Gym use' }, referenceNumber: 'R-1', link: 'https://madoguchi.example.jp/applications/a' };

describe('notification texts', () => {
  it('a fee due says how much and by when, in 和暦 with the Gregorian date and the time, in both languages', () => {
    const { text } = renderNotification('paymentDue', { ...base, payment: { amount: 1200, deadline: { date: '2026-12-05', time: '17:00' } } });
    expect(text).toContain('お支払い金額：1,200円');
    expect(text).toContain('お支払い期限：令和8年12月5日（2026年12月5日）17:00まで');
    expect(text).toContain('Amount due: 1,200円 (JPY 1,200)');
    expect(text).toContain('Pay by: 17:00 on 2026-12-05 (Japan time)');
  });

  it('a fee due without a known deadline still says the amount, and invents no deadline', () => {
    const { text } = renderNotification('paymentDue', { ...base, payment: { amount: 300, deadline: null } });
    expect(text).toContain('お支払い金額：300円');
    expect(text).not.toContain('お支払い期限');
  });

  it('a cancelled booking says what is refunded, or that the policy refunds nothing', () => {
    const refunded = renderNotification('bookingCancelled', { ...base, refund: { amount: 2400 } }).text;
    expect(refunded).toContain('施設の予約を取り消しました。');
    expect(refunded).toContain('返還額：2,400円');
    expect(refunded).toContain('Refund: 2,400円');
    const none = renderNotification('bookingCancelled', { ...base, refund: { amount: 0 } }).text;
    expect(none).toContain('規定上返還はありません');
    expect(none).toContain('Refund: none');
  });
});
