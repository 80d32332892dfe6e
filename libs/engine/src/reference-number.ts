import { fiscalYearOf } from '@madoguchi/kernel';

const SEQ_TOKEN = /\{seq(?::(\d{1,2}))?\}/;

/** A rendered format split around its sequence: `prefix`, the number padded to `width` with zeros (never cut), `suffix`. */
export interface ReferenceNumberParts {
  /** The text around the sequence with `{seq}` left in: when it changes (a new fiscal year) the sequence starts again at 1. */
  scope: string;
  prefix: string;
  width: number;
  suffix: string;
  render(seq: number): string;
}

/**
 * Renders a 受付番号 format such as `{era}{eraYear}-{seq:6}` (→ R8-000123).
 * The scope is the text around the sequence: when it changes (a new fiscal
 * year) the sequence starts again at 1. `referenceNumberSql` renders the
 * same in SQL, for a draw folded into a bigger statement.
 */
export function referenceNumberParts(format: string, isoDate: string, fiscalYearStartMonth: number): ReferenceNumberParts {
  const { fiscalYear, era } = fiscalYearOf(isoDate, fiscalYearStartMonth);
  const filled = format
    .replaceAll('{era}', era.letter)
    .replaceAll('{eraYear}', String(era.year))
    .replaceAll('{fy}', String(fiscalYear));
  const match = SEQ_TOKEN.exec(filled);
  if (!match) throw new Error(`reference number format "${format}" has no {seq}`);
  const width = match[1] ? Number(match[1]) : 1;
  const prefix = filled.slice(0, match.index);
  const suffix = filled.slice(match.index + match[0].length);
  return {
    scope: `${prefix}{seq}${suffix}`,
    prefix,
    width,
    suffix,
    render: (seq) => `${prefix}${String(seq).padStart(width, '0')}${suffix}`,
  };
}

/**
 * `render` as a SQL expression over `seq` (a bigint expression), with the
 * parts as placeholders: lpad alone would cut a number longer than the width.
 */
export function referenceNumberSql(seq: string, prefix: string, width: string, suffix: string): string {
  return `${prefix}::text || lpad(${seq}::text, greatest(${width}::int, length(${seq}::text)), '0') || ${suffix}::text`;
}
