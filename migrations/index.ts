import { InitialSchema1795377694245 } from './1795377694245-InitialSchema';
import { AuditLog1795380000000 } from './1795380000000-AuditLog';
import { Identity1795380100000 } from './1795380100000-Identity';
import { Payments1795390000000 } from './1795390000000-Payments';
import { Submission1795390100000 } from './1795390100000-Submission';
import { Counter1795400000000 } from './1795400000000-Counter';
import { Notifications1795400100000 } from './1795400100000-Notifications';
import { WorkQueue1795410000000 } from './1795410000000-WorkQueue';
import { CaseWork1795410100000 } from './1795410100000-CaseWork';
import { Approvals1795410200000 } from './1795410200000-Approvals';
import { CounterEntry1795410300000 } from './1795410300000-CounterEntry';
import { CounterPayments1795410400000 } from './1795410400000-CounterPayments';
import { Documents1795420000000 } from './1795420000000-Documents';
import { Bookings1795420100000 } from './1795420100000-Bookings';
import { Lottery1795420200000 } from './1795420200000-Lottery';
import { LoginThrottling1795500000000 } from './1795500000000-LoginThrottling';
import { AccountantRole1795510000000 } from './1795510000000-AccountantRole';
import { IdempotencyKeysCommitWithWork1795520000000 } from './1795520000000-IdempotencyKeysCommitWithWork';
import { ServiceRolePrivileges1795530000000 } from './1795530000000-ServiceRolePrivileges';
import { MyNumberOidc1795580000000 } from './1795580000000-MyNumberOidc';
import { KpiRegister1795610000000 } from './1795610000000-KpiRegister';
import { Evaluation1795620000000 } from './1795620000000-Evaluation';
import { ProcedureDrafts1795630000000 } from './1795630000000-ProcedureDrafts';
import { MyNumberLoginReturnPath1795640000000 } from './1795640000000-MyNumberLoginReturnPath';
import { PersonalDataRetention1795680000000 } from './1795680000000-PersonalDataRetention';
import { StaffSessionIdle1795690000000 } from './1795690000000-StaffSessionIdle';
import { FacilityDetails1795700000000 } from './1795700000000-FacilityDetails';
import { ResidentName1795870000000 } from './1795870000000-ResidentName';
import { CitusReadyKeys1795920000000 } from './1795920000000-CitusReadyKeys';
import { TenantSequences1795930000000 } from './1795930000000-TenantSequences';

/**
 * Every migration, in timestamp order (the order TypeORM applies them in).
 * New ones are appended; landed ones never change.
 */
export const MIGRATIONS = [
  InitialSchema1795377694245,
  AuditLog1795380000000,
  Identity1795380100000,
  Payments1795390000000,
  Submission1795390100000,
  Counter1795400000000,
  Notifications1795400100000,
  WorkQueue1795410000000,
  CaseWork1795410100000,
  Approvals1795410200000,
  CounterEntry1795410300000,
  CounterPayments1795410400000,
  Documents1795420000000,
  Bookings1795420100000,
  Lottery1795420200000,
  LoginThrottling1795500000000,
  AccountantRole1795510000000,
  IdempotencyKeysCommitWithWork1795520000000,
  ServiceRolePrivileges1795530000000,
  MyNumberOidc1795580000000,
  KpiRegister1795610000000,
  Evaluation1795620000000,
  ProcedureDrafts1795630000000,
  MyNumberLoginReturnPath1795640000000,
  PersonalDataRetention1795680000000,
  StaffSessionIdle1795690000000,
  FacilityDetails1795700000000,
  ResidentName1795870000000,
  CitusReadyKeys1795920000000,
  TenantSequences1795930000000,
];
