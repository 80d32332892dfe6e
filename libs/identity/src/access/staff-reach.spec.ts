import type { DepartmentScope } from '@madoguchi/kernel';
import { IdentityError } from '../identity.errors';
import { reaches, staffReach } from './staff-reach';

const REFUND: DepartmentScope = { roles: ['manager'], municipalityWide: ['accountant'], subject: 'money' };

describe('staffReach', () => {
  it('reaches the caller’s own departments for a department-scoped role', () => {
    expect(staffReach({ roles: ['manager'], departments: ['shimin', 'zeimu'] }, REFUND)).toEqual({ kind: 'departments', departments: ['shimin', 'zeimu'] });
    expect(staffReach({ roles: ['manager'], departments: [] }, REFUND)).toEqual({ kind: 'departments', departments: [] });
  });

  it('reaches every department for a role the scope declares municipality-wide, departments or not', () => {
    expect(staffReach({ roles: ['accountant'], departments: [] }, REFUND)).toEqual({ kind: 'municipality' });
    expect(staffReach({ roles: ['manager', 'accountant'], departments: ['shimin'] }, REFUND)).toEqual({ kind: 'municipality' });
  });

  it('is no wider than declared: accountant on a scope that does not name it is refused, administrator is not wide', () => {
    const desk: DepartmentScope = { roles: ['clerk'], municipalityWide: [], subject: 'money' };
    expect(() => staffReach({ roles: ['accountant'], departments: [] }, desk)).toThrow(IdentityError);
    expect(() => staffReach({ roles: ['administrator'], departments: ['shimin'] }, REFUND)).toThrow(IdentityError);
  });

  it('reaches() tells a department inside the reach from one outside', () => {
    expect(reaches({ kind: 'departments', departments: ['shimin'] }, 'shimin')).toBe(true);
    expect(reaches({ kind: 'departments', departments: ['shimin'] }, 'zeimu')).toBe(false);
    expect(reaches({ kind: 'municipality' }, 'zeimu')).toBe(true);
  });
});
