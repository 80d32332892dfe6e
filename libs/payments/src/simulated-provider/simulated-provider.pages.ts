import { PAYMENT_METHOD_LABELS } from '../domain/payment-status';
import type { SimPayment } from './sim.repository';
import { TEST_CARDS } from './test-cards';

/**
 * The simulated provider's hosted pages: server-rendered HTML with plain
 * forms, usable without JavaScript, labelled for screen readers, Japanese
 * first. Every interpolated value goes through `escape`.
 */

export function escape(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const yen = (amount: number) => `${amount.toLocaleString('ja-JP')}円`;

const jst = (date: Date) =>
  new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' }).format(date);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} | 決済シミュレーター</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:1rem auto;padding:0 1rem;line-height:1.7;color:#1a1a1a}
label{display:block;margin-top:1rem;font-weight:bold}
input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box;border:2px solid #555}
button{font-size:1.1rem;padding:.6rem 1.2rem;margin-top:1.2rem;border:2px solid #003a8c;background:#0050b3;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#003a8c}
.notice{border-left:6px solid #a8071a;padding:.5rem 1rem;background:#fff1f0}
.box{border:1px solid #888;padding:1rem;margin:1rem 0}
dt{font-weight:bold}
</style>
</head>
<body>
<header><p>決済シミュレーター（テスト用の決済サービスです。実際のお金は動きません）</p></header>
<main>
<h1>${escape(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function summary(payment: SimPayment): string {
  return `<dl class="box">
<dt>お支払い内容</dt><dd>${escape(payment.description)}</dd>
<dt>金額</dt><dd>${escape(yen(payment.amount))}</dd>
<dt>お支払い期限</dt><dd>${escape(jst(payment.expiresAt))}</dd>
</dl>`;
}

function base(payment: SimPayment): string {
  return `/simulated-provider/${escape(payment.merchantId)}/pay/${escape(payment.id)}`;
}

const CARD_PROBLEMS: Record<string, string> = {
  number: 'カード番号を正しく入力してください。',
  expiry: '有効期限（月/年）を正しく入力してください。',
  cvc: 'セキュリティコード（3桁または4桁）を入力してください。',
  unknownCard: 'このシミュレーターではテスト用のカード番号のみ使えます。',
};

/** The page the resident is redirected to, by method and status. */
export function paymentPage(payment: SimPayment, options: { problem?: string } = {}): string {
  if (payment.status !== 'started' || !payment.method) return resultPage(payment);
  const method = payment.method;
  const label = PAYMENT_METHOD_LABELS[method].ja;
  if (method === 'card') {
    if (payment.challengePending) return challengePage(payment);
    const problem = options.problem ? `<p class="notice" role="alert" id="problem">${escape(CARD_PROBLEMS[options.problem] ?? options.problem)}</p>` : '';
    return layout(
      'クレジットカードでのお支払い',
      `${summary(payment)}${problem}
<form method="post" action="${base(payment)}/card">
<label for="number">カード番号</label>
<input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required${problem ? ' aria-describedby="problem"' : ''}>
<label for="expiry">有効期限（月/年　例: 12/30）</label>
<input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="MM/YY" required>
<label for="cvc">セキュリティコード</label>
<input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required>
<button type="submit">${escape(yen(payment.amount))}を支払う</button>
</form>
<details><summary>テスト用カード番号</summary><ul>
<li>${TEST_CARDS.success}: 承認されます</li>
<li>${TEST_CARDS.decline}: 拒否されます</li>
<li>${TEST_CARDS.challenge}: 本人認証（3-Dセキュア）が求められます</li>
</ul></details>`,
    );
  }
  if (method === 'konbini') {
    return layout(
      'コンビニでのお支払い',
      `${summary(payment)}
<dl class="box"><dt>お支払い番号</dt><dd><strong>${escape(payment.konbiniPaymentNumber)}</strong></dd></dl>
<p>お支払い期限までに、コンビニのレジまたは端末でお支払い番号をお伝えください。この画面は印刷またはメモしてください。</p>
<form method="post" action="/simulated-provider/${escape(payment.merchantId)}/konbini/pay">
<input type="hidden" name="paymentNumber" value="${escape(payment.konbiniPaymentNumber)}">
<button type="submit" class="secondary">店頭で支払ったことにする（シミュレーション）</button>
</form>`,
    );
  }
  if (method === 'payeasy') {
    const numbers = payment.instructions ?? {};
    return layout(
      'ペイジーでのお支払い',
      `${summary(payment)}
<dl class="box">
<dt>収納機関番号</dt><dd>${escape(numbers.collectorNumber)}</dd>
<dt>お客様番号</dt><dd>${escape(numbers.customerNumber)}</dd>
<dt>確認番号</dt><dd>${escape(numbers.confirmationNumber)}</dd>
</dl>
<p>ATMまたはインターネットバンキングで「税金・料金払込み」を選び、上の番号を入力してください。</p>
<form method="post" action="/simulated-provider/${escape(payment.merchantId)}/payeasy/pay">
<input type="hidden" name="customerNumber" value="${escape(numbers.customerNumber)}">
<input type="hidden" name="confirmationNumber" value="${escape(numbers.confirmationNumber)}">
<button type="submit" class="secondary">インターネットバンキングで支払う（シミュレーション）</button>
</form>`,
    );
  }
  return layout(
    `${label}でのお支払い`,
    `${summary(payment)}
<div class="box" role="img" aria-label="${escape(label)}のお支払い用QRコード（シミュレーション）">
<pre aria-hidden="true">█▀▀▀█ ▄▀▄ █▀▀▀█
█   █ ▀█▀ █   █
▀▀▀▀▀ █▀█ ▀▀▀▀▀
${escape(payment.id.slice(3, 18))}</pre>
</div>
<p>スマートフォンの${escape(label)}アプリでQRコードを読み取ってください。</p>
<form method="post" action="${base(payment)}/qr">
<button type="submit">${escape(label)}アプリで支払う（シミュレーション）</button>
</form>`,
  );
}

export function challengePage(payment: SimPayment): string {
  return layout(
    '本人認証（3-Dセキュア）',
    `${summary(payment)}
<p>カード会社による本人認証です（シミュレーション）。</p>
<form method="post" action="${base(payment)}/3ds">
<input type="hidden" name="outcome" value="pass">
<button type="submit">認証する</button>
</form>
<form method="post" action="${base(payment)}/3ds">
<input type="hidden" name="outcome" value="fail">
<button type="submit" class="secondary">認証に失敗する</button>
</form>`,
  );
}

export function resultPage(payment: SimPayment): string {
  const messages: Record<string, [string, string]> = {
    succeeded: ['お支払いが完了しました', 'ありがとうございました。申請の画面に戻って状況をご確認ください。'],
    failed: ['お支払いできませんでした', 'カードが利用できませんでした。別の方法でもう一度お試しください。'],
    cancelled: ['お支払いは取り消されました', 'このお支払いは取り消されています。'],
    expired: ['お支払い期限を過ぎました', 'このお支払いは期限切れです。'],
    authorised: ['お支払いを処理しています', 'しばらくしてから申請の画面で状況をご確認ください。'],
    created: ['お支払い方法が選ばれていません', '申請の画面からお支払い方法を選んでください。'],
  };
  const [title, text] = messages[payment.status] ?? messages.created;
  const back = payment.returnUrl ? `<p><a href="${escape(payment.returnUrl)}">申請の画面に戻る</a></p>` : '';
  return layout(title, `${summary(payment)}<p role="status">${escape(text)}</p>${back}`);
}

export function errorPage(status: number, message: string): string {
  const titles: Record<number, string> = { 404: 'お支払いが見つかりません', 409: 'この操作はできません', 410: 'お支払い期限を過ぎました' };
  return layout(titles[status] ?? 'エラーが発生しました', `<p class="notice" role="alert">${escape(message)}</p>`);
}
