import { Injectable } from '@nestjs/common';
import type { DocumentContent, IssueContext, PrintedField } from '../layout/document-content';
import { PageComposer } from '../layout/composer';
import type { SampleMark } from '../layout/document-content';
import { fixedKeyString, layoutFixed, layoutVariable } from '../layout/layouts';
import { A4, type DrawOp } from './draw-ops';
import { PdfRenderer } from './pdf-renderer';
import { TrueTypeFont } from './truetype-font';

let sharedFont: TrueTypeFont | null = null;

/** The document font, read once per process (about 6 MB; every renderer shares it). */
export function documentFont(): TrueTypeFont {
  sharedFont ??= TrueTypeFont.load();
  return sharedFont;
}

/** The mark a PDF carries for verification by upload (see VerificationService). */
export const VERIFICATION_MARK = 'madoguchi-verification:';

export interface RenderedDocument {
  pdf: Uint8Array;
  printed: PrintedField[];
}

/** Lays out and renders one document: the fixed part of its kind once, the rest per document. */
@Injectable()
export class DocumentRenderer {
  private readonly pdf = new PdfRenderer(documentFont());

  async render(context: IssueContext, content: DocumentContent, issuedAt: Date): Promise<RenderedDocument> {
    const font = this.pdf.font;
    const key = { kind: content.kind, municipality: context.municipality.name, title: context.title };
    const template = this.pdf.prepare(fixedKeyString(key), () => layoutFixed(font, key).ops);
    const { composer, printed } = layoutVariable(font, context, content);
    const ops = context.sample ? [...sampleMarks(font, context.sample), ...composer.ops] : composer.ops;
    const pdf = await this.pdf.render(template, ops, {
      title: `${context.title.ja} ${context.serial}`,
      subject: `${context.title.en} — ${context.municipality.name.en}`,
      keywords: [`${VERIFICATION_MARK}${context.verificationCode}`, `serial:${context.serial}`],
      author: context.municipality.name.ja,
      issuedAt,
    });
    return { pdf, printed };
  }
}

const SAMPLE_GREY: [number, number, number] = [0.82, 0.82, 0.82];
const STAND_IN_RED: [number, number, number] = [0.75, 0.1, 0.1];

/**
 * What marks a document made from sample data, drawn before (under) the
 * variable content of every page: 見本 and SAMPLE large and diagonal, so no
 * copy, crop or photo of it passes for a real certificate; for a stand-in
 * (nobody matched, a sample person was used), also a line at the top that
 * says the person printed is not the applicant.
 */
export function sampleMarks(font: TrueTypeFont, sample: SampleMark): DrawOp[] {
  const composer = new PageComposer(font);
  const cx = A4.width / 2;
  const cy = A4.height / 2;
  composer.turned(cx + 30, cy + 30, '見本', 200, 45, SAMPLE_GREY);
  composer.turned(cx - 90, cy - 90, 'SAMPLE', 90, 45, SAMPLE_GREY);
  if (sample === 'standIn') {
    composer.text(A4.width / 2, A4.height - 24, '該当者なし：見本データ（No matching resident: sample data）', 11, { align: 'center', color: STAND_IN_RED });
  }
  return composer.ops;
}
