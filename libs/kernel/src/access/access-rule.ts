import { SetMetadata } from '@nestjs/common';

/**
 * Every route declares who may call it; the access guard refuses a route that
 * declares nothing, so forgetting is a failure, not an opening. Kept in the
 * kernel so any library can declare rules without depending on identity.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'resident' }
  | { kind: 'staff'; roles: readonly string[]; scope?: DepartmentScope }
  | { kind: 'authenticated' };

/**
 * A staff route over records that belong to a department (a payment belongs
 * to its application's `department`): `roles` reach the records of the
 * caller's own departments, `municipalityWide` roles reach every
 * department's. Declared on the route, so the authorization matrix reads
 * it; the service computes the caller's reach from the same object
 * (`staffReach` in identity), so route and service cannot disagree.
 */
export interface DepartmentScope {
  roles: readonly string[];
  municipalityWide: readonly string[];
  /** What the records are: `money` routes must all be scoped (the matrix checks it). */
  subject: 'money';
}

/** How far one staff member reaches on a scoped route: every department, or the listed ones. */
export type StaffReach = { kind: 'municipality' } | { kind: 'departments'; departments: readonly string[] };

export const ACCESS_RULE = 'madoguchi:access-rule';

/** Anyone, signed in or not. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);
/** A signed-in resident. */
export const ResidentOnly = () => SetMetadata(ACCESS_RULE, { kind: 'resident' } satisfies AccessRule);
/** Staff holding at least one of the roles (clerk, reviewer, approver, manager, administrator, accountant). */
export const StaffOnly = (...roles: string[]) => SetMetadata(ACCESS_RULE, { kind: 'staff', roles } satisfies AccessRule);
/**
 * Staff holding one of the scope's roles, reaching records as the scope
 * declares (own departments, or municipality-wide for the roles it names).
 * The guard admits by role; the service narrows by department.
 */
export const StaffScoped = (scope: DepartmentScope) =>
  SetMetadata(ACCESS_RULE, { kind: 'staff', roles: [...new Set([...scope.roles, ...scope.municipalityWide])], scope } satisfies AccessRule);
/** Any signed-in resident or staff member. */
export const Authenticated = () => SetMetadata(ACCESS_RULE, { kind: 'authenticated' } satisfies AccessRule);
