import { matchesAllWords, normalizeSearchText, searchWords } from './search-text';

describe('catalog search text', () => {
  it('folds full and half width, katakana to hiragana, case and spaces', () => {
    expect(normalizeSearchText('ＪＵＭＩＮＨＹＯ')).toBe('juminhyo');
    expect(normalizeSearchText('ﾎｲｸｴﾝ')).toBe('ほいくえん');
    expect(normalizeSearchText('ジドウテアテ')).toBe('じどうてあて');
    expect(normalizeSearchText('  住民票\u3000 の写し ')).toBe('住民票 の写し');
  });

  it('matches when every word appears, in any of the texts', () => {
    const texts = ['保育所等の利用申込み（ほいくえん）', 'Application for childcare'];
    expect(matchesAllWords(searchWords('ホイクエン'), texts)).toBe(true);
    expect(matchesAllWords(searchWords('保育　CHILDCARE'), texts)).toBe(true);
    expect(matchesAllWords(searchWords('保育 介護'), texts)).toBe(false);
    expect(matchesAllWords(searchWords('   '), texts)).toBe(true);
  });

  it('finds kanji names by a query typed in kana, in either script', () => {
    expect(matchesAllWords(searchWords('じゅうみんひょう'), ['住民票の写しの交付請求'])).toBe(true);
    expect(matchesAllWords(searchWords('ジュウミンヒョウ'), ['住民票の写しの交付請求'])).toBe(true);
    expect(matchesAllWords(searchWords('じどうてあて'), ['児童手当等の額の改定の請求及び届出'])).toBe(true);
    expect(matchesAllWords(searchWords('かいご'), ['住民票の写しの交付請求'])).toBe(false);
  });
});
