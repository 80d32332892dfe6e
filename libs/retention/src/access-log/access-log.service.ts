import { Injectable } from '@nestjs/common';
import type { ResidentPrincipal } from '@madoguchi/identity';
import { IdentityError } from '@madoguchi/identity';
import { stringify } from 'csv-stringify/sync';
import { type AccessKind, type AccessLogEntryDto, type AccessLogPageDto, ACCESS_KINDS } from './access-log.dto';
import { AccessLogRepository, type StaffReadRow } from './access-log.repository';

const DEFAULT_PAGE = 100;
/** The CSV holds the whole log; this bounds one response (a resident with more reads pages the JSON). */
const CSV_MAX = 10_000;

/**
 * "Who has looked at my information": every staff read of the resident's
 * personal data, built from the audit log and nothing else, so the list
 * cannot leave a read out without the chain failing to verify. Staff are
 * shown by department, never by name or id.
 */
@Injectable()
export class AccessLogService {
  constructor(private readonly reads: AccessLogRepository) {}

  async page(resident: ResidentPrincipal, query: { limit?: number; before?: number }): Promise<AccessLogPageDto> {
    requireResident(resident);
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.reads.staffReadsOf(resident.municipalityId, resident.id, { before: query.before, limit: limit + 1 });
    const entries = rows.slice(0, limit).map(toEntry);
    return { entries, nextBefore: rows.length > limit ? entries[entries.length - 1].seq : null };
  }

  /** UTF-8 with a BOM (spreadsheets in Japan need it), header row, CRLF. */
  async csv(resident: ResidentPrincipal): Promise<{ fileName: string; csv: string }> {
    requireResident(resident);
    const entries = (await this.reads.staffReadsOf(resident.municipalityId, resident.id, { limit: CSV_MAX })).map(toEntry);
    const csv = stringify(
      entries.map((entry) => [entry.at, entry.departments.join(' '), entry.what, WHAT_JA[entry.what], entry.referenceNumber ?? '', entry.applicationId ?? '', entry.reason ?? '']),
      {
        header: true,
        columns: ['日時 (at)', '部署 (departments)', '種類 (what)', '内容', '受付番号 (reference number)', '申請ID (application id)', '理由 (reason)'],
        bom: true,
        record_delimiter: 'windows',
        // A cell a spreadsheet would run as a formula is shown as text.
        cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
      },
    );
    return { fileName: 'access-log.csv', csv };
  }
}

function requireResident(resident: ResidentPrincipal): void {
  if (resident?.kind !== 'resident') throw IdentityError.forbidden();
}

const WHAT_JA: Record<AccessKind, string> = {
  application: '申請内容の閲覧',
  attachment: '添付書類のダウンロード',
  individualNumber: '個人番号の表示',
  signature: '電子署名(基本4情報)の確認',
  diff: '再提出の差分の閲覧',
  notes: '案件メモの閲覧',
  documents: '交付文書一覧の閲覧',
  documentDownload: '交付文書のダウンロード',
};

function what(row: StaffReadRow): AccessKind {
  const declared = row.details.read;
  if (typeof declared === 'string' && (ACCESS_KINDS as readonly string[]).includes(declared)) return declared as AccessKind;
  // Entries written before reads said what they were.
  if (row.action === 'individualNumber.decrypted') return 'individualNumber';
  if (row.details.view === 'submissionDiff') return 'diff';
  const fields = Array.isArray(row.details.fields) ? (row.details.fields as unknown[]) : [];
  if (fields[0] === 'attachment') return 'attachment';
  if (fields[0] === 'signature.basic4') return 'signature';
  if (fields[0] === 'notes') return 'notes';
  if (fields[0] === 'documents') return 'documents';
  return 'application';
}

function departments(row: StaffReadRow): string[] {
  if (typeof row.details.department === 'string') return [row.details.department];
  if (Array.isArray(row.details.departments)) return row.details.departments.filter((code): code is string => typeof code === 'string');
  return row.app_department ? [row.app_department] : [];
}

function toEntry(row: StaffReadRow): AccessLogEntryDto {
  return {
    seq: Number(row.seq),
    at: new Date(row.occurred_at).toISOString(),
    departments: departments(row),
    what: what(row),
    applicationId: row.target_type === 'application' ? row.target_id : null,
    referenceNumber: row.reference_number,
    reason: typeof row.details.purpose === 'string' ? row.details.purpose : null,
  };
}
