import { IdentityError, type StaffPrincipal } from '@madoguchi/identity';
import { BookingError } from '../booking.errors';
import type { Facility } from '../facilities/facility.types';

/** Desk staff run a facility's calendar (blocks, day list, marking use); the controllers declare the same roles. */
export const FACILITY_STAFF_ROLES = ['clerk', 'reviewer'] as const;

/** The service-side repeat of the route's rule: the role first (403). */
export function requireFacilityRole(staff: StaffPrincipal): void {
  if (!staff.roles.some((role) => (FACILITY_STAFF_ROLES as readonly string[]).includes(role))) throw IdentityError.forbidden();
}

/** Then the department (404): staff reach only the facilities their departments run. */
export function requireFacilityOf(staff: StaffPrincipal, facility: Facility | null, code: string): asserts facility is Facility {
  if (!facility || !staff.departments.includes(facility.department)) throw BookingError.facilityNotFound(code);
}
