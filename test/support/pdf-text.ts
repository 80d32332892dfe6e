/**
 * Text of a PDF as a reader would copy it, through pdf.js (the CommonJS
 * legacy build of pdfjs-dist 2.x: jest runs CommonJS, later majors are ESM
 * only). One string per page, items joined in drawing order.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfjs = require('pdfjs-dist/legacy/build/pdf.js') as {
  getDocument(source: { data: Uint8Array; verbosity?: number; isEvalSupported?: boolean; useSystemFonts?: boolean }): {
    promise: Promise<{
      numPages: number;
      getPage(index: number): Promise<{ getTextContent(): Promise<{ items: Array<{ str?: string }> }> }>;
      destroy(): Promise<void>;
    }>;
  };
};

export async function pdfText(bytes: Uint8Array | Buffer): Promise<string[]> {
  const document = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  try {
    const pages: string[] = [];
    for (let index = 1; index <= document.numPages; index += 1) {
      const content = await (await document.getPage(index)).getTextContent();
      pages.push(content.items.map((item) => item.str ?? '').join('\n'));
    }
    return pages;
  } finally {
    await document.destroy();
  }
}
