import type { DepartmentScope, StaffReach } from '@madoguchi/kernel';
import { IdentityError } from '../identity.errors';
import type { StaffPrincipal } from './principal';

/**
 * The service-side reading of a route's declared DepartmentScope: 403 for a
 * caller holding none of its roles; municipality-wide for a caller holding
 * a role the scope names so; else the caller's own departments (possibly
 * none). No role is wide anywhere else: only the declaration makes it so.
 */
export function staffReach(staff: Pick<StaffPrincipal, 'roles' | 'departments'>, scope: DepartmentScope): StaffReach {
  if (staff.roles.some((role) => scope.municipalityWide.includes(role))) return { kind: 'municipality' };
  if (!staff.roles.some((role) => scope.roles.includes(role))) throw IdentityError.forbidden();
  return { kind: 'departments', departments: [...staff.departments] };
}

/** Whether a record of `department` is within the reach. */
export function reaches(reach: StaffReach, department: string): boolean {
  return reach.kind === 'municipality' || reach.departments.includes(department);
}
