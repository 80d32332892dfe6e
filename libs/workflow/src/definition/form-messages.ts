import type { ErrorObject } from 'ajv';
import type { LocalizedText } from './procedure-definition';

const FORMAT_LABELS: Record<string, LocalizedText> = {
  'jp-postal-code': { ja: '郵便番号（例：123-4567）', en: 'a postal code (e.g. 123-4567)' },
  'jp-phone': { ja: '電話番号（例：03-1234-5678）', en: 'a phone number (e.g. 03-1234-5678)' },
  katakana: { ja: '全角カタカナ', en: 'full-width katakana' },
  'wareki-date': { ja: '和暦の日付（例：令和8年11月22日）', en: 'a Japanese-era date (e.g. 令和8年11月22日)' },
  date: { ja: '日付（例：2026-11-22）', en: 'a date (e.g. 2026-11-22)' },
  email: { ja: 'メールアドレス', en: 'an e-mail address' },
  uri: { ja: 'URL', en: 'a URL' },
};

/**
 * A message a resident understands for one ajv error, naming the field by
 * its title in the form. Never echoes the value entered.
 */
export function formErrorMessage(error: ErrorObject, title: string | undefined): LocalizedText {
  const name = title ? `「${title}」` : 'この項目';
  const nameEn = title ? `"${title}"` : 'This field';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { ja: `${name}を入力してください。`, en: `${nameEn} is required.` };
    case 'type':
      return { ja: `${name}の形式が正しくありません。`, en: `${nameEn} has the wrong type (expected ${String(params.type)}).` };
    case 'format': {
      const label = FORMAT_LABELS[String(params.format)] ?? { ja: '正しい形式', en: 'the right format' };
      return { ja: `${name}は${label.ja}で入力してください。`, en: `${nameEn} must be ${label.en}.` };
    }
    case 'minLength':
      return { ja: `${name}は${String(params.limit)}文字以上で入力してください。`, en: `${nameEn} needs at least ${String(params.limit)} characters.` };
    case 'maxLength':
      return { ja: `${name}は${String(params.limit)}文字以内で入力してください。`, en: `${nameEn} allows at most ${String(params.limit)} characters.` };
    case 'minimum':
      return { ja: `${name}は${String(params.limit)}以上にしてください。`, en: `${nameEn} must be at least ${String(params.limit)}.` };
    case 'maximum':
      return { ja: `${name}は${String(params.limit)}以下にしてください。`, en: `${nameEn} must be at most ${String(params.limit)}.` };
    case 'enum':
      return { ja: `${name}は選択肢から選んでください。`, en: `${nameEn} must be one of the listed choices.` };
    case 'pattern':
      return { ja: `${name}の形式が正しくありません。`, en: `${nameEn} is not in the expected format.` };
    case 'maxItems':
      return { ja: `${name}は${String(params.limit)}件までです。`, en: `${nameEn} allows at most ${String(params.limit)} entries.` };
    case 'minItems':
      return { ja: `${name}は${String(params.limit)}件以上必要です。`, en: `${nameEn} needs at least ${String(params.limit)} entries.` };
    case 'additionalProperties':
      return { ja: 'この申請にない項目が含まれています。', en: `Unknown field "${String(params.additionalProperty)}".` };
    default:
      return { ja: `${name}の内容をご確認ください。`, en: `${nameEn} is not valid.` };
  }
}
