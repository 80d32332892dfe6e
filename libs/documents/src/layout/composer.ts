import type { DrawOp, Rgb } from '../render/draw-ops';
import type { TrueTypeFont } from '../render/truetype-font';

/** 〓 (geta): the mark Japanese registers print for a character the typeface lacks (外字). */
const MISSING = '〓';
/** Characters a line must not start with (行頭禁則). */
const NO_LINE_START = new Set([...'、。，．・：；？！）」』】〕〉》ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.)]}:;!?']);

export type Align = 'left' | 'center' | 'right';

/**
 * Builds the draw operations of one page with the document font's metrics:
 * positions are resolved here (centering, right alignment, wrapping), so
 * the renderer only writes them.
 */
export class PageComposer {
  readonly ops: DrawOp[] = [];

  constructor(readonly font: TrueTypeFont) {}

  /**
   * What will actually be printed for a value: one line, no control
   * characters, and 〓 for characters the font lacks. The verification page
   * shows exactly this, so what it says matches the paper.
   */
  printable(text: string): string {
    let out = '';
    for (const character of text.replace(/[\r\n\t\v\f]+/g, ' ')) {
      const codePoint = character.codePointAt(0)!;
      if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) continue;
      out += this.font.hasGlyph(codePoint) ? character : MISSING;
    }
    return out;
  }

  text(x: number, y: number, text: string, size: number, options: { align?: Align; maxWidth?: number; color?: Rgb } = {}): void {
    const printed = this.printable(text);
    if (printed === '') return;
    let fontSize = size;
    // One-line values that would run over their box are set smaller, never cut.
    if (options.maxWidth !== undefined) {
      const width = this.font.widthOf(printed, fontSize);
      if (width > options.maxWidth) fontSize = Math.max(5, (fontSize * options.maxWidth) / width);
    }
    const width = this.font.widthOf(printed, fontSize);
    const left = options.align === 'center' ? x - width / 2 : options.align === 'right' ? x - width : x;
    this.ops.push({ op: 'text', x: left, y, size: fontSize, text: printed, ...(options.color ? { color: options.color } : {}) });
  }

  /** Text centred on (cx, cy) and turned `angle` degrees counter-clockwise: a watermark. */
  turned(cx: number, cy: number, text: string, size: number, angle: number, color: Rgb): void {
    const printed = this.printable(text);
    if (printed === '') return;
    const width = this.font.widthOf(printed, size);
    const radians = (angle * Math.PI) / 180;
    // Back half the width along the baseline, and a third of the size across it, from the centre.
    const x = cx - (width / 2) * Math.cos(radians) + (size / 3) * Math.sin(radians);
    const y = cy - (width / 2) * Math.sin(radians) - (size / 3) * Math.cos(radians);
    this.ops.push({ op: 'text', x, y, size, text: printed, color, angle });
  }

  /** Lines of at most `width` points; Japanese breaks between any two characters, keeping 、。 off a line's start. */
  wrap(text: string, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split(/\r?\n/)) {
      const printed = this.printable(paragraph);
      let line = '';
      let lineWidth = 0;
      for (const character of printed) {
        const advance = this.font.widthOf(character, size);
        if (line !== '' && lineWidth + advance > width && !NO_LINE_START.has(character)) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += character;
        lineWidth += advance;
      }
      lines.push(line);
    }
    return lines;
  }

  /** Wrapped text from `y` (the first baseline) down; returns the baseline after the last line. */
  paragraph(x: number, y: number, width: number, text: string, size: number, leading = size * 1.6): number {
    let baseline = y;
    for (const line of this.wrap(text, size, width)) {
      if (line !== '') this.ops.push({ op: 'text', x, y: baseline, size, text: line });
      baseline -= leading;
    }
    return baseline;
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.6): void {
    this.ops.push({ op: 'line', x1, y1, x2, y2, width });
  }

  rect(x: number, y: number, width: number, height: number, lineWidth = 0.8): void {
    this.ops.push({ op: 'rect', x, y, width, height, lineWidth });
  }

  fill(x: number, y: number, width: number, height: number, color: Rgb): void {
    this.ops.push({ op: 'rect', x, y, width, height, lineWidth: 0, fill: color });
  }

  circle(x: number, y: number, radius: number, color: Rgb, lineWidth = 1.5): void {
    this.ops.push({ op: 'circle', x, y, radius, lineWidth, color });
  }

  qr(x: number, y: number, size: number, data: string): void {
    this.ops.push({ op: 'qr', x, y, size, data });
  }
}
