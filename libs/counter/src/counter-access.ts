import type { StaffPrincipal } from '@madoguchi/identity';
import { IdentityError } from '@madoguchi/identity';
import type { StaffRole } from '@madoguchi/workflow';

/** Staff roles for each kind of counter work; the controllers declare the same. */
export const COUNTER_ROLES = {
  /** Counter staff: issue, call, serve, transfer tickets. */
  desk: ['clerk'],
  /** Managers: waiting and service statistics. */
  statistics: ['manager'],
  /** Administrators: services and counters. */
  setup: ['administrator'],
} as const satisfies Record<string, readonly StaffRole[]>;

/** The service-side repeat of the route's rule: a service method is never reached by the wrong role. */
export function requireRole(staff: StaffPrincipal, roles: readonly StaffRole[]): void {
  if (!staff.roles.some((role) => roles.includes(role))) throw IdentityError.forbidden();
}
