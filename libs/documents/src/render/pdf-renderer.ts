import { deflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, type PDFContext, type PDFRef, PDFString } from 'pdf-lib';
import { create as createQr } from 'qrcode';
import { A4, type DrawOp, type Rgb } from './draw-ops';
import { DOCUMENT_FONT_NAME, type TrueTypeFont } from './truetype-font';

/**
 * Glyphs used by one document, numbered in order of first use (0 is
 * .notdef). The text in content streams is written in these numbers, so a
 * prepared template's glyphs keep their numbers in every document made from
 * it and its content stream is written once.
 */
export class GlyphSet {
  private constructor(
    readonly gids: number[],
    private readonly ids: Map<number, number>,
    /** Unicode text of each subset id (for ToUnicode, so the text can be copied and searched). */
    readonly unicode: string[],
  ) {}

  static empty(): GlyphSet {
    return new GlyphSet([0], new Map([[0, 0]]), ['']);
  }

  fork(): GlyphSet {
    return new GlyphSet([...this.gids], new Map(this.ids), [...this.unicode]);
  }

  /** The text as a PDF hex string of subset ids, two bytes each (Identity-H). */
  encode(font: TrueTypeFont, text: string): string {
    let hex = '<';
    for (const character of text) {
      const { gid } = font.glyph(character.codePointAt(0)!);
      let id = this.ids.get(gid);
      if (id === undefined) {
        id = this.gids.length;
        this.gids.push(gid);
        this.ids.set(gid, id);
        this.unicode.push(character);
      }
      hex += HEX4[id] ?? id.toString(16).padStart(4, '0');
    }
    return `${hex}>`;
  }
}

const HEX4: string[] = Array.from({ length: 4096 }, (_, id) => id.toString(16).padStart(4, '0'));

/** A template's fixed part, written and compressed once. */
export interface PreparedTemplate {
  glyphs: GlyphSet;
  /** Deflated content stream of the fixed drawing. */
  content: Uint8Array;
}

export interface DocumentMetadata {
  title: string;
  subject: string;
  /** Machine-readable marks (e.g. the verification code), also findable in the bytes. */
  keywords: string[];
  author: string;
  issuedAt: Date;
}

/**
 * Writes documents with pdf-lib, fast: the font is read once per process
 * (TrueTypeFont), a template's fixed drawing is encoded and compressed once
 * (`prepare`), and per document only the variable drawing, a subset of the
 * glyphs it uses and the font objects are written.
 */
export class PdfRenderer {
  private readonly prepared = new Map<string, PreparedTemplate>();

  constructor(readonly font: TrueTypeFont) {}

  /** The fixed part of a template, made the first time a key is asked for. */
  prepare(key: string, build: () => DrawOp[]): PreparedTemplate {
    let template = this.prepared.get(key);
    if (!template) {
      const glyphs = GlyphSet.empty();
      const content = deflateSync(Buffer.from(`q\n${this.content(build(), glyphs)}Q\n`, 'latin1'));
      template = { glyphs, content };
      this.prepared.set(key, template);
    }
    return template;
  }

  async render(template: PreparedTemplate, ops: DrawOp[], metadata: DocumentMetadata): Promise<Uint8Array> {
    const glyphs = template.glyphs.fork();
    const variable = deflateSync(Buffer.from(this.content(ops, glyphs), 'latin1'));
    const document = await PDFDocument.create({ updateMetadata: false });
    const context = document.context;
    const page = document.addPage([A4.width, A4.height]);
    const fixedRef = context.register(context.stream(template.content, { Filter: 'FlateDecode' }));
    const variableRef = context.register(context.stream(variable, { Filter: 'FlateDecode' }));
    page.node.set(PDFName.of('Contents'), context.obj([fixedRef, variableRef]));
    page.node.setFontDictionary(PDFName.of('F1'), this.embedFont(context, glyphs));
    document.setTitle(metadata.title, { showInWindowTitleBar: true });
    document.setSubject(metadata.subject);
    document.setKeywords(metadata.keywords);
    document.setAuthor(metadata.author);
    document.setCreator('Madoguchi');
    document.setProducer('Madoguchi (pdf-lib)');
    document.setLanguage('ja-JP');
    document.setCreationDate(metadata.issuedAt);
    document.setModificationDate(metadata.issuedAt);
    // Also as plain (literal) strings under a key of our own: a PDF uploaded for
    // verification names its code even if someone changed other bytes.
    const info = document.context.lookup(document.context.trailerInfo.Info, PDFDict);
    info.set(PDFName.of('MadoguchiMarks'), PDFString.of(metadata.keywords.join(' ')));
    // Plain objects (no object streams): nothing to compress twice, and the
    // keywords stay readable in the bytes for verification by upload.
    return document.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  }

  /**
   * A document of several A4 pages (a report, not a certificate: no
   * template, no verification mark), the pages sharing one font subset.
   */
  async renderPages(pages: DrawOp[][], metadata: Omit<DocumentMetadata, 'keywords'> & { keywords?: string[] }): Promise<Uint8Array> {
    const glyphs = GlyphSet.empty();
    const contents = pages.map((ops) => deflateSync(Buffer.from(this.content(ops, glyphs), 'latin1')));
    const document = await PDFDocument.create({ updateMetadata: false });
    const context = document.context;
    const fontRef = this.embedFont(context, glyphs);
    for (const content of contents) {
      const page = document.addPage([A4.width, A4.height]);
      page.node.set(PDFName.of('Contents'), context.register(context.stream(content, { Filter: 'FlateDecode' })));
      page.node.setFontDictionary(PDFName.of('F1'), fontRef);
    }
    document.setTitle(metadata.title, { showInWindowTitleBar: true });
    document.setSubject(metadata.subject);
    if (metadata.keywords) document.setKeywords(metadata.keywords);
    document.setAuthor(metadata.author);
    document.setCreator('Madoguchi');
    document.setProducer('Madoguchi (pdf-lib)');
    document.setLanguage('ja-JP');
    document.setCreationDate(metadata.issuedAt);
    document.setModificationDate(metadata.issuedAt);
    return document.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  }

  /** Content stream operators for the ops, with text in the glyph set's numbers. */
  private content(ops: DrawOp[], glyphs: GlyphSet): string {
    let out = '';
    for (const op of ops) {
      switch (op.op) {
        case 'text': {
          const color = op.color ? `${rgb(op.color)} rg ` : '';
          const radians = ((op.angle ?? 0) * Math.PI) / 180;
          const [cos, sin] = op.angle ? [Math.cos(radians), Math.sin(radians)] : [1, 0];
          const matrix = `${num(cos)} ${num(sin)} ${num(-sin)} ${num(cos)} ${num(op.x)} ${num(op.y)}`;
          out += `BT ${color}/F1 ${num(op.size)} Tf ${matrix} Tm ${glyphs.encode(this.font, op.text)} Tj ET${op.color ? ' 0 0 0 rg' : ''}\n`;
          break;
        }
        case 'line': {
          const style = `${op.color ? `${rgb(op.color)} RG ` : ''}${op.dash ? `[${num(op.dash[0])} ${num(op.dash[1])}] 0 d ` : ''}`;
          const reset = `${op.color ? ' 0 0 0 RG' : ''}${op.dash ? ' [] 0 d' : ''}`;
          out += `${style}${num(op.width)} w ${num(op.x1)} ${num(op.y1)} m ${num(op.x2)} ${num(op.y2)} l S${reset}\n`;
          break;
        }
        case 'rect':
          out += op.fill
            ? `${rgb(op.fill)} rg ${num(op.x)} ${num(op.y)} ${num(op.width)} ${num(op.height)} re f 0 0 0 rg\n`
            : `${num(op.lineWidth)} w ${num(op.x)} ${num(op.y)} ${num(op.width)} ${num(op.height)} re S\n`;
          break;
        case 'circle':
          out += `${rgb(op.color)} RG ${num(op.lineWidth)} w ${circlePath(op.x, op.y, op.radius)} S 0 0 0 RG\n`;
          break;
        case 'qr':
          out += qrPath(op.data, op.x, op.y, op.size);
          break;
      }
    }
    return out;
  }

  /** Type0 font over a CIDFontType2 subset: FontFile2, descriptor, widths and ToUnicode. */
  private embedFont(context: PDFContext, glyphs: GlyphSet): PDFRef {
    const font = this.font;
    const { bytes, order } = font.subset(glyphs.gids);
    const name = `${subsetTag(order)}+${DOCUMENT_FONT_NAME}`;
    const fontFile = context.register(context.stream(deflateSync(bytes), { Filter: 'FlateDecode', Length1: bytes.length }));
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: name,
        Flags: 4,
        FontBBox: font.bbox,
        ItalicAngle: 0,
        Ascent: font.ascent,
        Descent: font.descent,
        CapHeight: font.capHeight,
        StemV: 80,
        FontFile2: fontFile,
      }),
    );
    const widths = PDFArray.withContext(context);
    for (const gid of order) widths.push(PDFNumber.of(font.advanceOf(gid)));
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: name,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        W: [0, widths],
        CIDToGIDMap: 'Identity',
      }),
    );
    const toUnicode = context.register(context.stream(deflateSync(Buffer.from(toUnicodeCmap(glyphs.unicode), 'latin1')), { Filter: 'FlateDecode' }));
    return context.register(
      context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: name, Encoding: 'Identity-H', DescendantFonts: [cidFont], ToUnicode: toUnicode }),
    );
  }
}

function num(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function rgb(color: Rgb): string {
  return color.map(num).join(' ');
}

/** A circle as four Bézier arcs. */
function circlePath(x: number, y: number, r: number): string {
  const k = r * 0.5523;
  return (
    `${num(x + r)} ${num(y)} m ` +
    `${num(x + r)} ${num(y + k)} ${num(x + k)} ${num(y + r)} ${num(x)} ${num(y + r)} c ` +
    `${num(x - k)} ${num(y + r)} ${num(x - r)} ${num(y + k)} ${num(x - r)} ${num(y)} c ` +
    `${num(x - r)} ${num(y - k)} ${num(x - k)} ${num(y - r)} ${num(x)} ${num(y - r)} c ` +
    `${num(x + k)} ${num(y - r)} ${num(x + r)} ${num(y - k)} ${num(x + r)} ${num(y)} c`
  );
}

/** The QR code as filled rectangles, one per horizontal run of dark modules: sharp at any zoom, no image. */
export function qrPath(data: string, x: number, y: number, size: number): string {
  const modules = createQr(data, { errorCorrectionLevel: 'M' }).modules;
  const count = modules.size;
  const cell = size / count;
  let out = '';
  for (let row = 0; row < count; row += 1) {
    let column = 0;
    while (column < count) {
      if (!modules.get(row, column)) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < count && modules.get(row, column)) column += 1;
      out += `${num(x + start * cell)} ${num(y + size - (row + 1) * cell)} ${num((column - start) * cell)} ${num(cell)} re\n`;
    }
  }
  return `${out}f\n`;
}

/** Six capital letters naming the subset (ISO 32000-1, 9.6.4), the same for the same glyphs. */
function subsetTag(gids: number[]): string {
  let hash = 0x811c9dc5;
  for (const gid of gids) hash = Math.imul(hash ^ gid, 0x01000193) >>> 0;
  let tag = '';
  for (let index = 0; index < 6; index += 1) {
    tag += String.fromCharCode(65 + (hash % 26));
    hash = Math.floor(hash / 26) + index * 7919;
  }
  return tag;
}

/** ToUnicode CMap: subset id → the character it was used for. */
function toUnicodeCmap(unicode: string[]): string {
  const entries: string[] = [];
  for (let id = 1; id < unicode.length; id += 1) {
    let utf16 = '';
    for (let index = 0; index < unicode[id].length; index += 1) utf16 += unicode[id].charCodeAt(index).toString(16).padStart(4, '0');
    entries.push(`<${id.toString(16).padStart(4, '0')}> <${utf16}>`);
  }
  let blocks = '';
  for (let start = 0; start < entries.length; start += 100) {
    const block = entries.slice(start, start + 100);
    blocks += `${block.length} beginbfchar\n${block.join('\n')}\nendbfchar\n`;
  }
  return (
    '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
    '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n' +
    blocks +
    'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n'
  );
}
