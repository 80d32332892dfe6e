/**
 * RFC 4180 CSV for open data. No CSV library is installed, so this is the
 * whole writer: UTF-8 with a BOM (Excel in Japan reads UTF-8 only with it),
 * CRLF line ends, a header row, every field quoted when it holds a quote,
 * comma, CR or LF. A cell starting with = + - @ TAB or CR gets a leading `'`
 * so a spreadsheet shows it as text instead of running it as a formula.
 */
export type CsvCell = string | number | boolean | null;

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function field(cell: CsvCell): string {
  const text = neutralise(cell === null ? '' : String(cell));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, CsvCell>>): string {
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(columns.map((column) => field(row[column] ?? null)).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
