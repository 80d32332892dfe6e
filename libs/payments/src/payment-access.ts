import type { DepartmentScope } from '@madoguchi/kernel';

/**
 * Who reaches which money, one declaration per staff money route: the
 * controller declares it (`@StaffScoped`), the service reads the caller's
 * reach from the same object (`staffReach`). A payment belongs to its
 * application's department; staff reach their own departments' payments,
 * and 会計課 (`accountant`) reaches every department's where named here.
 * Out of reach is "not found" (404), as for cases, so existence does not
 * leak. The authorization matrix probes every money route with another
 * department's payment.
 */
export const PAYMENT_ACCESS = {
  /** A manager refunds the department's payments; 会計課 any department's. */
  refund: { roles: ['manager'], municipalityWide: ['accountant'], subject: 'money' },
  /** The accounting CSV: a manager's (or administrator's) holds their departments' rows, 会計課's every row. */
  accountingExport: { roles: ['manager', 'administrator'], municipalityWide: ['accountant'], subject: 'money' },
  /**
   * Taking a fee at the desk moves the department's case (`payment.succeeded`):
   * desk work of the department only, as assisted entry is.
   */
  counterRecord: { roles: ['clerk', 'reviewer'], municipalityWide: [], subject: 'money' },
  /** Handing back a desk refund: the department's desk, or 会計課 for any department. */
  counterPayout: { roles: ['clerk', 'reviewer'], municipalityWide: ['accountant'], subject: 'money' },
} as const satisfies Record<string, DepartmentScope>;
