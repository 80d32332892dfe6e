import { API_PREFIX } from '@madoguchi/kernel';
import type { VerificationResultDto } from '../dto/document.dto';

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STATUS_HEADINGS: Record<VerificationResultDto['status'], { ja: string; en: string; mark: string }> = {
  valid: { ja: '有効な書類です', en: 'Valid document', mark: '✓' },
  revoked: { ja: '取り消された書類です', en: 'Revoked document', mark: '✕' },
  altered: { ja: '内容が一致しません', en: 'The file does not match', mark: '!' },
  unknown: { ja: '見つかりません', en: 'Not found', mark: '?' },
};

/**
 * The public verification page: plain HTML, no script, Japanese with
 * English. A GET form takes the code and, optionally, the SHA-256 of the
 * file held (`sha256sum file.pdf`, `certutil -hashfile file.pdf SHA256`).
 * The form submits back to where the API serves this page (under the API
 * prefix); the printed QR link points at the resident pages' /verify instead.
 */
export function verificationPage(input: { code: string; municipalityId: string; sha256?: string; result: VerificationResultDto | null }): string {
  const { result } = input;
  const heading = result ? STATUS_HEADINGS[result.status] : null;
  const document = result?.document ?? null;
  const rows = document
    ? [
        ['書類 / Document', `${document.title.ja}（${document.title.en}）`],
        ['発行番号 / Serial', document.serial],
        ['交付者 / Issued by', `${document.issuer.ja}（${document.issuer.en}）`],
        ['交付日 / Issued on', `${document.issuedOnWareki}（${document.issuedOn}）`],
        ...(document.revokedOn ? [['取消日 / Revoked on', document.revokedOn]] : []),
        ...document.fields.map((field) => [`${field.label.ja} / ${field.label.en}`, field.value]),
      ]
    : [];
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>書類の検証 / Document verification</title>
<style>
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:44rem;margin:1rem auto;padding:0 1rem;line-height:1.6;color:#111}
.status{border:3px solid;padding:.75rem 1rem;border-radius:.5rem;margin:1rem 0}
.valid{border-color:#1a7f37;background:#eefbf0}.revoked,.altered{border-color:#b42318;background:#fff1f0}.unknown{border-color:#6b7280;background:#f3f4f6}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.4rem;text-align:left;vertical-align:top}th{background:#eee;width:38%;font-weight:normal}
label{display:block;margin-top:.75rem}input{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}button{margin-top:.75rem;font-size:1rem;padding:.5rem 1.25rem}
.en{color:#444;font-size:.9em}
</style>
</head>
<body>
<main>
<h1>書類の検証 <span class="en">Document verification</span></h1>
${
  heading && result
    ? `<section class="status ${result.status}" role="status">
<h2>${heading.mark} ${escape(heading.ja)} <span class="en">${escape(heading.en)}</span></h2>
<p>${escape(result.message.ja)}<br><span class="en">${escape(result.message.en)}</span></p>
${result.contentChecked ? '' : '<p>ファイルの内容はまだ照合していません。下の欄にファイルのSHA-256を入力すると、改ざんがないかも確認できます。<br><span class="en">The file itself was not compared yet: enter its SHA-256 below to check it was not altered.</span></p>'}
</section>`
    : ''
}
${
  rows.length > 0
    ? `<h2>書類に記載されている内容 <span class="en">What the document says</span></h2>
<table>
${rows.map(([label, value]) => `<tr><th scope="row">${escape(label)}</th><td>${escape(value)}</td></tr>`).join('\n')}
</table>`
    : ''
}
<form method="get" action="/${API_PREFIX}/verify">
<input type="hidden" name="m" value="${escape(input.municipalityId)}">
<label for="code">検証コード <span class="en">Verification code</span></label>
<input id="code" name="code" value="${escape(input.code)}" autocomplete="off" inputmode="latin" maxlength="64" placeholder="XXXX-XXXX-XXXX-XXXX">
<label for="sha256">ファイルのSHA-256（任意） <span class="en">SHA-256 of the file (optional)</span></label>
<input id="sha256" name="sha256" value="${escape(input.sha256 ?? '')}" autocomplete="off" maxlength="64" pattern="[0-9a-fA-F]{64}">
<button type="submit">確認する / Verify</button>
</form>
<p class="en">Windows: <code>certutil -hashfile file.pdf SHA256</code> — macOS / Linux: <code>shasum -a 256 file.pdf</code></p>
</main>
</body>
</html>
`;
}
