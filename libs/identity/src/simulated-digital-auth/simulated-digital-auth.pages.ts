import type { InteractionDetails } from 'oidc-provider';
import { SIGN_CONTENT_HASH_PARAM } from './simulated-digital-auth.service';
import type { SimulatedCard } from './simulated-card.store';

/**
 * The simulator's hosted pages: plain HTML forms, no script, Japanese with
 * English. Every value is escaped. They stand for the other company's app,
 * so they do not use the portal's design.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STATUS_LABEL: Record<SimulatedCard['status'], string> = {
  valid: '有効 / valid',
  revoked: '失効済み（CRL に掲載）/ revoked (on the CRL)',
  untrustedCa: '信頼されない認証局が発行 / issued by an untrusted CA',
};

const ERROR_TEXT = {
  cardMissing: ['カードを選んでください。', 'Choose a card.'],
  secretFormat: ['入力の形式が違います。', 'That is not in the right format.'],
  wrongSecret: ['暗証番号が違います。', 'Wrong PIN or password.'],
  locked: ['このカードは暗証番号の誤りが続いたためロックされています。市区町村の窓口で初期化してください。', 'This card is locked after too many wrong entries. A municipal counter resets it.'],
} as const;

export interface InteractionPageInput {
  readonly details: InteractionDetails;
  readonly cards: readonly SimulatedCard[];
  readonly signing: boolean;
  readonly error?: keyof typeof ERROR_TEXT;
  readonly attemptsLeft?: number;
  readonly selectedCardId?: string;
}

export function interactionPage(input: InteractionPageInput): string {
  const { details, signing } = input;
  const action = `/simulated-digital-auth/interaction/${encodeURIComponent(details.uid)}`;
  const title = signing ? '電子署名 / Sign' : 'マイナンバーカードでログイン / Sign in with My Number Card';
  const error = input.error
    ? `<div role="alert" id="error"><p>${escapeHtml(ERROR_TEXT[input.error][0])}${input.attemptsLeft !== undefined && input.attemptsLeft > 0 ? ` 残り ${input.attemptsLeft} 回。` : ''}</p><p lang="en">${escapeHtml(ERROR_TEXT[input.error][1])}${input.attemptsLeft !== undefined && input.attemptsLeft > 0 ? ` ${input.attemptsLeft} attempts left.` : ''}</p></div>`
    : '';
  const cards = input.cards
    .map(
      (card) => `<li><label><input type="radio" name="card" value="${escapeHtml(card.id)}"${card.id === input.selectedCardId ? ' checked' : ''} required>
  ${escapeHtml(card.basic4.name)}（${escapeHtml(card.basic4.dateOfBirth)}）— ${escapeHtml(STATUS_LABEL[card.status])}</label></li>`,
    )
    .join('\n');
  const scopes = (details.params.scope ?? '').split(' ').filter(Boolean);
  const secretField = signing
    ? `<label for="secret">署名用電子証明書のパスワード（英大文字・数字 6〜16 文字）<span lang="en"> / Signing password (6–16 capital letters and digits)</span></label>
<input id="secret" name="secret" type="password" autocomplete="off" minlength="6" maxlength="16" pattern="[A-Z0-9]{6,16}" required>
<p>テスト用カードのパスワード: MADOGUCHI1 <span lang="en">(test cards)</span>。5 回間違えるとロックされます。</p>`
    : `<label for="secret">利用者証明用電子証明書の暗証番号（数字 4 桁）<span lang="en"> / PIN (4 digits)</span></label>
<input id="secret" name="secret" type="password" inputmode="numeric" autocomplete="off" minlength="4" maxlength="4" pattern="[0-9]{4}" required>
<p>テスト用カードの暗証番号: 1234 <span lang="en">(test cards)</span>。3 回間違えるとロックされます。</p>`;
  const signBlock = signing
    ? `<h2>署名する内容 / What you sign</h2><p>申請内容の SHA-256 ハッシュ値 <span lang="en">(SHA-256 of the application content)</span>:</p><p><code>${escapeHtml(details.params[SIGN_CONTENT_HASH_PARAM] ?? '')}</code></p>`
    : '';
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — デジタル認証（シミュレーター）</title></head>
<body><main>
<p><strong>これはシミュレーターです。本物のマイナンバーカードは使いません。</strong> <span lang="en">This is a simulator: no real card is used.</span></p>
<h1>${escapeHtml(title)}</h1>
${error}
<p>利用者: Madoguchi（${escapeHtml(details.params.client_id ?? '')}）。提供する情報 <span lang="en">(shared)</span>: ${escapeHtml(scopes.join(', '))}</p>
${signBlock}
<form method="post" action="${action}">
<fieldset><legend>カードを選ぶ / Choose a test card</legend><ul>
${cards}
</ul></fieldset>
${secretField}
<button type="submit" name="action" value="submit">${signing ? '署名する / Sign' : 'ログインする / Sign in'}</button>
<button type="submit" name="action" value="cancel" formnovalidate>やめる / Cancel</button>
</form>
</main></body></html>`;
}
