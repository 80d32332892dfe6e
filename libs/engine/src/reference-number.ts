import { fiscalYearOf } from '@madoguchi/kernel';

const SEQ_TOKEN = /\{seq(?::(\d{1,2}))?\}/;

/**
 * Renders a 受付番号 format such as `{era}{eraYear}-{seq:6}` (→ R8-000123).
 * The scope is the text around the sequence: when it changes (a new fiscal
 * year) the sequence starts again at 1.
 */
export function referenceNumberParts(format: string, isoDate: string, fiscalYearStartMonth: number): { scope: string; render(seq: number): string } {
  const { fiscalYear, era } = fiscalYearOf(isoDate, fiscalYearStartMonth);
  const filled = format
    .replaceAll('{era}', era.letter)
    .replaceAll('{eraYear}', String(era.year))
    .replaceAll('{fy}', String(fiscalYear));
  const match = SEQ_TOKEN.exec(filled);
  if (!match) throw new Error(`reference number format "${format}" has no {seq}`);
  const width = match[1] ? Number(match[1]) : 1;
  return {
    scope: filled.replace(SEQ_TOKEN, '{seq}'),
    render: (seq) => filled.replace(SEQ_TOKEN, String(seq).padStart(width, '0')),
  };
}
