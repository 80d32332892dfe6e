import { IdentityError, type StaffPrincipal } from '@madoguchi/identity';
import type { StaffRole } from '@madoguchi/workflow';

/** Roles per kind of reporting work; the controllers declare the same rules. */
export const REPORTING_ROLES = {
  /** 情報政策課 and 市長部局: evaluation and the annual report. */
  evaluation: ['manager'],
  /** The annual progress report: managers, and administrators who print it for them. */
  annualReport: ['manager', 'administrator'],
  /** Procedure drafts, dry runs and publishing. */
  procedureDrafts: ['administrator'],
} as const satisfies Record<string, readonly StaffRole[]>;

/** The service-side repeat of the route's rule: a service method is never reached by the wrong role. */
export function requireRole(staff: StaffPrincipal, roles: readonly StaffRole[]): void {
  if (staff.kind !== 'staff' || !staff.roles.some((role) => roles.includes(role))) throw IdentityError.forbidden();
}
