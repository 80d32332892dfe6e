/**
 * Text as the catalog search compares it, so that residents find a
 * procedure however their keyboard wrote the words: full-width and
 * half-width forms folded (NFKC: ＡＢＣ→abc, ｶﾞ→ガ), katakana read as
 * hiragana (ホイクエン = ほいくえん), case and spaces ignored.
 */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (character) => String.fromCharCode(character.charCodeAt(0) - 0x60))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a query: each must appear somewhere in what is searched. */
export function searchWords(query: string): string[] {
  return normalizeSearchText(query).split(' ').filter((word) => word.length > 0);
}

/**
 * Readings of the words residents search the catalog for, so that a query
 * typed in kana (often on a phone, before conversion) finds the kanji
 * names: じゅうみんひょう → 住民票. A name containing the kanji is also
 * searchable by its reading. Extend it when a search log shows a miss.
 */
const READINGS: ReadonlyArray<readonly [string, string]> = [
  ['住民票', 'じゅうみんひょう'],
  ['印鑑', 'いんかん'],
  ['証明', 'しょうめい'],
  ['納税', 'のうぜい'],
  ['所得', 'しょとく'],
  ['課税', 'かぜい'],
  ['児童手当', 'じどうてあて'],
  ['児童', 'じどう'],
  ['手当', 'てあて'],
  ['保育', 'ほいく'],
  ['保育所', 'ほいくしょ'],
  ['保育園', 'ほいくえん'],
  ['子育て', 'こそだて'],
  ['妊娠', 'にんしん'],
  ['出生', 'しゅっしょう'],
  ['医療', 'いりょう'],
  ['介護', 'かいご'],
  ['要介護', 'ようかいご'],
  ['認定', 'にんてい'],
  ['保険', 'ほけん'],
  ['転入', 'てんにゅう'],
  ['転出', 'てんしゅつ'],
  ['転居', 'てんきょ'],
  ['引越', 'ひっこし'],
  ['被災', 'ひさい'],
  ['罹災', 'りさい'],
  ['災害', 'さいがい'],
  ['補助', 'ほじょ'],
  ['補助金', 'ほじょきん'],
  ['給付', 'きゅうふ'],
  ['予約', 'よやく'],
  ['体育館', 'たいいくかん'],
  ['公民館', 'こうみんかん'],
  ['防犯', 'ぼうはん'],
  ['太陽光', 'たいようこう'],
  ['届出', 'とどけで'],
  ['申請', 'しんせい'],
];

/** The text with the reading of every known word it contains appended. */
function withReadings(normalized: string): string {
  const readings = READINGS.filter(([kanji]) => normalized.includes(kanji)).map(([, reading]) => reading);
  return readings.length > 0 ? `${normalized} ${readings.join(' ')}` : normalized;
}

/** True when every word of the query appears in one of the texts. */
export function matchesAllWords(words: string[], texts: string[]): boolean {
  if (words.length === 0) return true;
  const haystack = texts.map((text) => withReadings(normalizeSearchText(text))).join('\n');
  return words.every((word) => haystack.includes(word));
}
