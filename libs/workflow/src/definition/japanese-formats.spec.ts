import { createFormAjv } from './form-schema-compiler';
import { isKatakana, isPhoneNumber, isPostalCode, warekiToIso } from './japanese-formats';
import { formErrorMessage } from './form-messages';

describe('Japanese form formats', () => {
  it('postal codes', () => {
    expect(['123-4567', '1234567'].map(isPostalCode)).toEqual([true, true]);
    expect(['123-456', '12-34567', '１２３-４５６７', '123-4567x'].map(isPostalCode)).toEqual([false, false, false, false]);
  });

  it('phone numbers: 10 or 11 digits from 0', () => {
    expect(['03-1234-5678', '0312345678', '090-1234-5678', '0467-12-3456'].map(isPhoneNumber)).toEqual([true, true, true, true]);
    expect(['3-1234-5678', '03-1234-567', '090-1234-56789', '03--1234-5678'].map(isPhoneNumber)).toEqual([false, false, false, false]);
  });

  it('katakana names, with spaces and the long-vowel mark', () => {
    expect(['マドグチ タロウ', 'サトウ　ハナコ', 'ヴィーナス'].map(isKatakana)).toEqual([true, true, true]);
    expect(['まどぐち', 'Madoguchi', '窓口', ' ', 'ﾏﾄﾞｸﾞﾁ'].map(isKatakana)).toEqual([false, false, false, false, false]);
  });

  it('era dates must exist and fall inside their era', () => {
    expect(warekiToIso('令和8年11月22日')).toBe('2026-11-22');
    expect(warekiToIso('令和元年5月1日')).toBe('2019-05-01');
    expect(warekiToIso('平成31年4月30日')).toBe('2019-04-30');
    expect(warekiToIso('昭和64年1月7日')).toBe('1989-01-07');
    expect(warekiToIso('平成31年5月1日')).toBeNull();
    expect(warekiToIso('令和元年4月30日')).toBeNull();
    expect(warekiToIso('令和8年2月30日')).toBeNull();
    expect(warekiToIso('2026-11-22')).toBeNull();
  });

  it('are usable as `format` in a strict form schema, with bilingual messages', () => {
    const validate = createFormAjv().compile({
      type: 'object',
      properties: {
        postalCode: { title: '郵便番号', type: 'string', format: 'jp-postal-code' },
        kana: { title: 'フリガナ', type: 'string', format: 'katakana' },
        birth: { title: '生年月日', type: 'string', format: 'wareki-date' },
        phone: { title: '電話番号', type: 'string', format: 'jp-phone' },
      },
    });
    expect(validate({ postalCode: '123-4567', kana: 'マドグチ', birth: '平成2年3月4日', phone: '03-1234-5678' })).toBe(true);
    expect(validate({ postalCode: '1234', kana: 'まどぐち', birth: '平成32年1月1日', phone: '12345' })).toBe(false);
    expect(validate.errors?.map((error) => (error.params as { format: string }).format).sort()).toEqual(['jp-phone', 'jp-postal-code', 'katakana', 'wareki-date']);
    const message = formErrorMessage(validate.errors![0], '郵便番号');
    expect(message.ja).toBe('「郵便番号」は郵便番号（例：123-4567）で入力してください。');
    expect(message.en).toBe('"郵便番号" must be a postal code (e.g. 123-4567).');
  });
});
