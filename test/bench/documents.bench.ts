/**
 * Certificates per second: our renderer against the naive pdf-lib way, in
 * the same run on the same machine (it is shared and noisy: the ratio is
 * what means something).
 *
 * Both render the very same page (a 住民票の写し for a household of three
 * with its QR code), laid out by the same code:
 *
 * - naive: what the pdf-lib documentation shows: for every document read the
 *   font file, `registerFontkit`, `embedFont(bytes, { subset: true })` (which
 *   parses the 6 MB font with fontkit), `drawText` per string (fontkit shapes
 *   each), `save()`.
 * - ours (PdfRenderer): the font read once per process, the fixed part of the
 *   page encoded once per kind, glyphs from the cmap, the subset copied as raw
 *   glyph bytes, plain objects on save.
 *
 *   npm run bench:documents
 *   BENCH_DOCUMENTS=400 BENCH_NAIVE_DOCUMENTS=40 npm run bench:documents
 */
import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import {
  DOCUMENT_FONT_FILE,
  type DocumentContent,
  type DrawOp,
  documentFont,
  fixedKeyString,
  type IssueContext,
  layoutFixed,
  layoutVariable,
  PdfRenderer,
} from '@madoguchi/documents';
import { PDFDocument, rgb } from 'pdf-lib';
import { create as createQr } from 'qrcode';

const OURS = Number(process.env.BENCH_DOCUMENTS ?? 300);
const NAIVE = Number(process.env.BENCH_NAIVE_DOCUMENTS ?? 30);
const SURNAMES = ['窓口', '髙橋', '山﨑', '佐藤', '鈴木', '田中', '渡邉', '伊藤'];
const GIVEN = ['太郎', '花子', '一郎', 'さくら', '健一', '美咲', '蓮', '陽介'];

function documentInput(index: number): { context: IssueContext; content: DocumentContent } {
  const surname = SURNAMES[index % SURNAMES.length];
  const member = (offset: number, relationship: string, birthDate: string) => ({
    name: `${surname} ${GIVEN[(index + offset) % GIVEN.length]}`,
    kana: 'マドグチ タロウ',
    birthDate,
    sex: offset % 2 === 0 ? ('male' as const) : ('female' as const),
    relationship,
    residentSince: '2015-04-01',
  });
  return {
    context: {
      municipality: { id: '990001', name: { ja: '桜ヶ丘市', en: 'Sakuragaoka City' } },
      timeZone: 'Asia/Tokyo',
      title: { ja: '住民票の写し', en: 'Certificate of residence' },
      serial: `R8-C${String(index + 1).padStart(6, '0')}`,
      issuedOn: '2026-11-22',
      verificationCode: `K7QM2X9DHW4T${String(1000 + (index % 9000))}`,
      verifyUrl: `https://madoguchi.example.jp/verify/K7QM-2X9D-HW4T-${1000 + (index % 9000)}?m=990001`,
    },
    content: {
      kind: 'residenceCertificate',
      address: `桜ヶ丘市本町一丁目${(index % 30) + 1}番${(index % 9) + 1}号`,
      householdHead: member(0, '世帯主', '1980-05-15').name,
      members: [member(0, '世帯主', '1980-05-15'), member(1, '妻', '1982-09-03'), member(2, '子', '2012-01-20')],
      domicile: { domicile: '桜ヶ丘市本町一丁目2番地', head: member(0, '世帯主', '1980-05-15').name },
    },
  };
}

const ISSUED_AT = new Date('2026-11-22T01:00:00Z');

async function renderOurs(renderer: PdfRenderer, index: number): Promise<Uint8Array> {
  const { context, content } = documentInput(index);
  const key = { kind: content.kind, municipality: context.municipality.name, title: context.title };
  const template = renderer.prepare(fixedKeyString(key), () => layoutFixed(renderer.font, key).ops);
  const { composer } = layoutVariable(renderer.font, context, content);
  return renderer.render(template, composer.ops, { title: context.title.ja, subject: '', keywords: [context.verificationCode], author: '桜ヶ丘市', issuedAt: ISSUED_AT });
}

/** The same page the way pdf-lib's documentation draws it, font loaded and embedded for the document. */
async function renderNaive(index: number): Promise<Uint8Array> {
  const { context, content } = documentInput(index);
  const layoutFont = documentFont(); // metrics for the layout only, as ours uses
  const key = { kind: content.kind, municipality: context.municipality.name, title: context.title };
  const ops: DrawOp[] = [...layoutFixed(layoutFont, key).ops, ...layoutVariable(layoutFont, context, content).composer.ops];
  const document = await PDFDocument.create();
  document.registerFontkit(fontkit);
  const font = await document.embedFont(readFileSync(DOCUMENT_FONT_FILE), { subset: true });
  const page = document.addPage([595.28, 841.89]);
  for (const op of ops) {
    switch (op.op) {
      case 'text':
        page.drawText(op.text, { x: op.x, y: op.y, size: op.size, font, ...(op.color ? { color: rgb(...op.color) } : {}) });
        break;
      case 'line':
        page.drawLine({ start: { x: op.x1, y: op.y1 }, end: { x: op.x2, y: op.y2 }, thickness: op.width });
        break;
      case 'rect':
        page.drawRectangle({ x: op.x, y: op.y, width: op.width, height: op.height, ...(op.fill ? { color: rgb(...op.fill) } : { borderWidth: op.lineWidth }) });
        break;
      case 'circle':
        page.drawCircle({ x: op.x, y: op.y, size: op.radius, borderWidth: op.lineWidth, borderColor: rgb(...op.color) });
        break;
      case 'qr': {
        const modules = createQr(op.data, { errorCorrectionLevel: 'M' }).modules;
        const cell = op.size / modules.size;
        for (let row = 0; row < modules.size; row += 1) {
          for (let column = 0; column < modules.size; column += 1) {
            if (modules.get(row, column)) page.drawRectangle({ x: op.x + column * cell, y: op.y + op.size - (row + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
          }
        }
        break;
      }
    }
  }
  return document.save();
}

async function timed(count: number, render: (index: number) => Promise<Uint8Array>): Promise<{ perSecond: number; bytes: number }> {
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index += 1) bytes += (await render(index)).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: count / seconds, bytes: bytes / count };
}

async function main(): Promise<void> {
  const renderer = new PdfRenderer(documentFont());
  // Warm both paths up (JIT, the process-wide font, the prepared template).
  for (let index = 0; index < 20; index += 1) await renderOurs(renderer, index);
  for (let index = 0; index < 3; index += 1) await renderNaive(index);

  const naive = await timed(NAIVE, renderNaive);
  const ours = await timed(OURS, (index) => renderOurs(renderer, index));
  const ratio = ours.perSecond / naive.perSecond;
  console.log(`documents bench: ${OURS} certificates ours, ${NAIVE} naive (住民票の写し, household of three, QR code)`);
  console.log(`  naive pdf-lib (font loaded and embedded per document): ${naive.perSecond.toFixed(1)} certificates/s, ${Math.round(naive.bytes / 1024)} KiB each`);
  console.log(`  ours (PdfRenderer):                                   ${ours.perSecond.toFixed(1)} certificates/s, ${Math.round(ours.bytes / 1024)} KiB each`);
  console.log(`  ratio: ${ratio.toFixed(1)}x ${ratio >= 5 ? '(target ≥ 5x met)' : '(below the 5x target)'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
