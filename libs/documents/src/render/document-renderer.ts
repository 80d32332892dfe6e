import { Injectable } from '@nestjs/common';
import type { DocumentContent, IssueContext, PrintedField } from '../layout/document-content';
import { fixedKeyString, layoutFixed, layoutVariable } from '../layout/layouts';
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
    const pdf = await this.pdf.render(template, composer.ops, {
      title: `${context.title.ja} ${context.serial}`,
      subject: `${context.title.en} — ${context.municipality.name.en}`,
      keywords: [`${VERIFICATION_MARK}${context.verificationCode}`, `serial:${context.serial}`],
      author: context.municipality.name.ja,
      issuedAt,
    });
    return { pdf, printed };
  }
}
