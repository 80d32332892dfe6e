import { readFileSync } from 'node:fs';

/**
 * The Japanese font every document is set in: BIZ UD明朝 (Morisawa, SIL Open
 * Font License 1.1, which allows embedding) from the npm package
 * `@expo-google-fonts/biz-udmincho`, so `npm install` is all it takes.
 */
export const DOCUMENT_FONT_FILE = require.resolve('@expo-google-fonts/biz-udmincho/400Regular/BIZUDMincho_400Regular.ttf');
export const DOCUMENT_FONT_NAME = 'BIZUDMincho-Regular';

interface TableRecord {
  offset: number;
  length: number;
}

/** One glyph as the layout needs it: its id in the font and its advance in 1/1000 em (PDF text space). */
export interface GlyphInfo {
  gid: number;
  /** Advance width in thousandths of the em. */
  width: number;
}

/**
 * A TrueType font read once per process: the table directory, the cmap, the
 * horizontal metrics and the glyph locations. Everything a document needs
 * per page is a lookup in what was read here, and `subset` copies glyph
 * outlines as raw bytes. (pdf-lib's own path parses the 6 MB font with
 * fontkit for every document and shapes every string; for Japanese text
 * without ligatures the cmap alone gives the same glyphs.)
 */
export class TrueTypeFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly capHeight: number;
  readonly bbox: [number, number, number, number];
  readonly numGlyphs: number;
  private readonly tables = new Map<string, TableRecord>();
  private readonly view: DataView;
  private readonly glyphOffsets: Uint32Array;
  private readonly numberOfHMetrics: number;
  private readonly cmapLookup: (codePoint: number) => number;
  private readonly glyphCache = new Map<number, GlyphInfo>();

  private constructor(readonly bytes: Buffer) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const numTables = this.view.getUint16(4);
    for (let index = 0; index < numTables; index += 1) {
      const record = 12 + index * 16;
      const tag = bytes.toString('latin1', record, record + 4);
      this.tables.set(tag, { offset: this.view.getUint32(record + 8), length: this.view.getUint32(record + 12) });
    }
    const head = this.table('head');
    this.unitsPerEm = this.view.getUint16(head.offset + 18);
    this.bbox = [
      this.view.getInt16(head.offset + 36),
      this.view.getInt16(head.offset + 38),
      this.view.getInt16(head.offset + 40),
      this.view.getInt16(head.offset + 42),
    ].map((value) => this.scale(value)) as [number, number, number, number];
    const longOffsets = this.view.getInt16(head.offset + 50) === 1;
    const hhea = this.table('hhea');
    this.ascent = this.scale(this.view.getInt16(hhea.offset + 4));
    this.descent = this.scale(this.view.getInt16(hhea.offset + 6));
    this.numberOfHMetrics = this.view.getUint16(hhea.offset + 34);
    this.numGlyphs = this.view.getUint16(this.table('maxp').offset + 4);
    const os2 = this.tables.get('OS/2');
    this.capHeight = os2 && this.view.getUint16(os2.offset) >= 2 ? this.scale(this.view.getInt16(os2.offset + 88)) : this.ascent;
    const loca = this.table('loca');
    this.glyphOffsets = new Uint32Array(this.numGlyphs + 1);
    for (let gid = 0; gid <= this.numGlyphs; gid += 1) {
      this.glyphOffsets[gid] = longOffsets ? this.view.getUint32(loca.offset + gid * 4) : this.view.getUint16(loca.offset + gid * 2) * 2;
    }
    this.cmapLookup = this.readCmap();
  }

  static load(file: string = DOCUMENT_FONT_FILE): TrueTypeFont {
    return new TrueTypeFont(readFileSync(file));
  }

  /** The glyph for a character; .notdef (0) when the font has none. */
  glyph(codePoint: number): GlyphInfo {
    let info = this.glyphCache.get(codePoint);
    if (!info) {
      const gid = this.cmapLookup(codePoint);
      info = { gid, width: this.advanceOf(gid) };
      this.glyphCache.set(codePoint, info);
    }
    return info;
  }

  hasGlyph(codePoint: number): boolean {
    return this.glyph(codePoint).gid !== 0;
  }

  /** Width of a string at a size, in points. */
  widthOf(text: string, size: number): number {
    let total = 0;
    for (const character of text) total += this.glyph(character.codePointAt(0)!).width;
    return (total * size) / 1000;
  }

  /** Advance width of a glyph id in 1/1000 em. */
  advanceOf(gid: number): number {
    const hmtx = this.table('hmtx');
    const index = Math.min(gid, this.numberOfHMetrics - 1);
    return this.scale(this.view.getUint16(hmtx.offset + index * 4));
  }

  /**
   * A TrueType font program holding only `gids` (in that order: the first
   * must be 0, .notdef), renumbered 0…n-1, plus any glyph their composites
   * use (appended, and returned in `order`). Hinting tables are copied as
   * they are, since glyph instructions call into them. The tables are the
   * ones PDF requires for a CIDFontType2 program (ISO 32000-1, 9.9).
   */
  subset(gids: readonly number[]): { bytes: Uint8Array; order: number[] } {
    const order = [...gids];
    const newId = new Map<number, number>();
    order.forEach((gid, index) => newId.set(gid, index));
    const glyf = this.table('glyf');
    const pieces: Uint8Array[] = [];
    // Composites name their components by id: include those, then renumber.
    for (let index = 0; index < order.length; index += 1) {
      const gid = order[index];
      const start = glyf.offset + this.glyphOffsets[gid];
      const end = glyf.offset + this.glyphOffsets[gid + 1];
      if (end <= start) {
        pieces.push(new Uint8Array(0));
        continue;
      }
      const numberOfContours = this.view.getInt16(start);
      if (numberOfContours >= 0) {
        pieces.push(this.bytes.subarray(start, end));
        continue;
      }
      const copy = Uint8Array.from(this.bytes.subarray(start, end));
      const view = new DataView(copy.buffer);
      let cursor = 10;
      for (;;) {
        const flags = view.getUint16(cursor);
        const component = view.getUint16(cursor + 2);
        let mapped = newId.get(component);
        if (mapped === undefined) {
          mapped = order.length;
          order.push(component);
          newId.set(component, mapped);
        }
        view.setUint16(cursor + 2, mapped);
        cursor += 4 + (flags & 0x0001 ? 4 : 2);
        if (flags & 0x0008) cursor += 2;
        else if (flags & 0x0040) cursor += 4;
        else if (flags & 0x0080) cursor += 8;
        if (!(flags & 0x0020)) break;
      }
      pieces.push(copy);
    }

    const count = order.length;
    let glyfLength = 0;
    for (const piece of pieces) glyfLength += (piece.length + 3) & ~3;
    const glyfOut = new Uint8Array(glyfLength);
    const locaOut = new Uint8Array((count + 1) * 4);
    const locaView = new DataView(locaOut.buffer);
    let position = 0;
    pieces.forEach((piece, index) => {
      locaView.setUint32(index * 4, position);
      glyfOut.set(piece, position);
      position += (piece.length + 3) & ~3;
    });
    locaView.setUint32(count * 4, position);

    const hmtxIn = this.table('hmtx');
    const hmtxOut = new Uint8Array(count * 4);
    const hmtxView = new DataView(hmtxOut.buffer);
    order.forEach((gid, index) => {
      const metric = Math.min(gid, this.numberOfHMetrics - 1);
      hmtxView.setUint16(index * 4, this.view.getUint16(hmtxIn.offset + metric * 4));
      const lsb =
        gid < this.numberOfHMetrics
          ? this.view.getInt16(hmtxIn.offset + gid * 4 + 2)
          : this.view.getInt16(hmtxIn.offset + this.numberOfHMetrics * 4 + (gid - this.numberOfHMetrics) * 2);
      hmtxView.setInt16(index * 4 + 2, lsb);
    });

    const head = Uint8Array.from(this.raw('head'));
    const headView = new DataView(head.buffer);
    headView.setUint32(8, 0); // checkSumAdjustment, set below
    headView.setInt16(50, 1); // long loca offsets
    const hhea = Uint8Array.from(this.raw('hhea'));
    new DataView(hhea.buffer).setUint16(34, count);
    const maxp = Uint8Array.from(this.raw('maxp'));
    new DataView(maxp.buffer).setUint16(4, count);

    const tables: Array<[string, Uint8Array]> = [];
    for (const tag of ['cvt ', 'fpgm', 'prep']) if (this.tables.has(tag)) tables.push([tag, this.raw(tag)]);
    tables.push(['glyf', glyfOut], ['head', head], ['hhea', hhea], ['hmtx', hmtxOut], ['loca', locaOut], ['maxp', maxp]);
    tables.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    const bytes = writeFont(tables);
    // The whole-font checksum goes into head once everything else is in place.
    const headOffset = new DataView(bytes.buffer).getUint32(12 + tables.findIndex(([tag]) => tag === 'head') * 16 + 8);
    new DataView(bytes.buffer).setUint32(headOffset + 8, (0xb1b0afba - checksum(bytes)) >>> 0);
    return { bytes, order };
  }

  private scale(value: number): number {
    return Math.round((value * 1000) / this.unitsPerEm);
  }

  private table(tag: string): TableRecord {
    const record = this.tables.get(tag);
    if (!record) throw new Error(`font has no ${tag} table`);
    return record;
  }

  private raw(tag: string): Uint8Array {
    const record = this.table(tag);
    return this.bytes.subarray(record.offset, record.offset + record.length);
  }

  /** A lookup over the best Unicode cmap subtable: format 12 (full Unicode) or 4 (BMP). */
  private readCmap(): (codePoint: number) => number {
    const cmap = this.table('cmap');
    const view = this.view;
    const count = view.getUint16(cmap.offset + 2);
    let format12: number | null = null;
    let format4: number | null = null;
    for (let index = 0; index < count; index += 1) {
      const record = cmap.offset + 4 + index * 8;
      const platform = view.getUint16(record);
      const encoding = view.getUint16(record + 2);
      const offset = cmap.offset + view.getUint32(record + 4);
      const format = view.getUint16(offset);
      const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
      if (!unicode) continue;
      if (format === 12 && format12 === null) format12 = offset;
      if (format === 4 && format4 === null) format4 = offset;
    }
    if (format12 !== null) {
      const table = format12;
      const groups = view.getUint32(table + 12);
      return (codePoint) => {
        let low = 0;
        let high = groups - 1;
        while (low <= high) {
          const middle = (low + high) >> 1;
          const group = table + 16 + middle * 12;
          const start = view.getUint32(group);
          const end = view.getUint32(group + 4);
          if (codePoint < start) high = middle - 1;
          else if (codePoint > end) low = middle + 1;
          else return view.getUint32(group + 8) + (codePoint - start);
        }
        return 0;
      };
    }
    if (format4 !== null) {
      const table = format4;
      const segments = view.getUint16(table + 6) / 2;
      const ends = table + 14;
      const starts = ends + segments * 2 + 2;
      const deltas = starts + segments * 2;
      const rangeOffsets = deltas + segments * 2;
      return (codePoint) => {
        if (codePoint > 0xffff) return 0;
        for (let segment = 0; segment < segments; segment += 1) {
          if (codePoint > view.getUint16(ends + segment * 2)) continue;
          const start = view.getUint16(starts + segment * 2);
          if (codePoint < start) return 0;
          const delta = view.getInt16(deltas + segment * 2);
          const rangeOffset = view.getUint16(rangeOffsets + segment * 2);
          if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
          const glyph = view.getUint16(rangeOffsets + segment * 2 + rangeOffset + (codePoint - start) * 2);
          return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
        }
        return 0;
      };
    }
    throw new Error('font has no Unicode cmap');
  }
}

function checksum(data: Uint8Array): number {
  const padded = data.length % 4 === 0 ? data : Uint8Array.from({ length: (data.length + 3) & ~3 }, (_, index) => data[index] ?? 0);
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  let sum = 0;
  for (let offset = 0; offset < padded.length; offset += 4) sum = (sum + view.getUint32(offset)) >>> 0;
  return sum;
}

/** An sfnt file from tables already sorted by tag. */
function writeFont(tables: Array<[string, Uint8Array]>): Uint8Array {
  const count = tables.length;
  let total = 12 + count * 16;
  for (const [, data] of tables) total += (data.length + 3) & ~3;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 2 ** entrySelector * 16;
  view.setUint32(0, 0x00010000);
  view.setUint16(4, count);
  view.setUint16(6, searchRange);
  view.setUint16(8, entrySelector);
  view.setUint16(10, count * 16 - searchRange);
  let offset = 12 + count * 16;
  tables.forEach(([tag, data], index) => {
    const record = 12 + index * 16;
    for (let character = 0; character < 4; character += 1) out[record + character] = tag.charCodeAt(character);
    view.setUint32(record + 4, checksum(data));
    view.setUint32(record + 8, offset);
    view.setUint32(record + 12, data.length);
    out.set(data, offset);
    offset += (data.length + 3) & ~3;
  });
  return out;
}
