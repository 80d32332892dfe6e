import { SetMetadata } from '@nestjs/common';

/**
 * Every route declares who may call it; the access guard refuses a route that
 * declares nothing, so forgetting is a failure, not an opening. Kept in the
 * kernel so any library can declare rules without depending on identity.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'resident' }
  | { kind: 'staff'; roles: readonly string[] }
  | { kind: 'authenticated' };

export const ACCESS_RULE = 'madoguchi:access-rule';

/** Anyone, signed in or not. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);
/** A signed-in resident. */
export const ResidentOnly = () => SetMetadata(ACCESS_RULE, { kind: 'resident' } satisfies AccessRule);
/** Staff holding at least one of the roles (clerk, reviewer, approver, manager, administrator). */
export const StaffOnly = (...roles: string[]) => SetMetadata(ACCESS_RULE, { kind: 'staff', roles } satisfies AccessRule);
/** Any signed-in resident or staff member. */
export const Authenticated = () => SetMetadata(ACCESS_RULE, { kind: 'authenticated' } satisfies AccessRule);
