import type { ApplicationEntity } from './application.entity';

/**
 * What a staff read of a resident's personal data adds to its audit entry:
 * whose data it was (`subject`, the applicant's account id, null for a
 * counter case without one), which department read it (the case's, which
 * the reader must belong to), and what kind of read (`read`). The resident's
 * access log (libs/retention) is built from exactly these entries, so a read
 * recorded without them would be missing from it. Ids and codes only.
 */
export type StaffReadKind = 'application' | 'attachment' | 'individualNumber' | 'signature' | 'diff' | 'notes' | 'documents' | 'documentDownload';

export function staffReadDetails(application: Pick<ApplicationEntity, 'applicantId' | 'department'>, read: StaffReadKind): { subject: string | null; department: string; read: StaffReadKind } {
  return { subject: application.applicantId, department: application.department, read };
}
