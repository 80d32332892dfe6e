import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, ResidentPrincipal, StaffPrincipal } from './principal';

export { ACCESS_RULE, type AccessRule, Authenticated, Public, ResidentOnly, StaffOnly } from '@madoguchi/kernel';

type PrincipalRequest = { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined => {
  return context.switchToHttp().getRequest<PrincipalRequest>().principal;
});

export const CurrentResident = createParamDecorator((_data: unknown, context: ExecutionContext): ResidentPrincipal => {
  const principal = context.switchToHttp().getRequest<PrincipalRequest>().principal;
  if (principal?.kind !== 'resident') throw new Error('CurrentResident used on a route not limited to residents');
  return principal;
});

export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffPrincipal => {
  const principal = context.switchToHttp().getRequest<PrincipalRequest>().principal;
  if (principal?.kind !== 'staff') throw new Error('CurrentStaff used on a route not limited to staff');
  return principal;
});
