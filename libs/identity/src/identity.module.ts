import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '@madoguchi/audit';
import { PeriodicJobs } from '@madoguchi/kernel';
import { OutboxHandlerRegistry, WorkflowModule } from '@madoguchi/workflow';
import { AccessGuard } from './access/access.guard';
import { PrincipalResolver } from './access/principal.resolver';
import { DepartmentRepository } from './accounts/department.repository';
import { OneTimeTokenRepository } from './accounts/one-time-token.repository';
import { ResidentRepository } from './accounts/resident.repository';
import { StaffRepository } from './accounts/staff.repository';
import { AdminController } from './admin.controller';
import { JpkiAuthService } from './jpki-auth/jpki-auth.service';
import { JpkiTrustStore } from './jpki-auth/jpki-trust.store';
import { JpkiController } from './jpki-auth/jpki.controller';
import { JpkiStrategy } from './jpki-auth/jpki.strategy';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { MunicipalityId } from '@madoguchi/kernel';
import { AuthController } from './auth.controller';
import { AuthFacade } from './auth.facade';
import { FieldCipher } from './crypto/field-cipher';
import { IdentityAudit } from './identity-audit';
import { IndividualNumberController } from './identity.controller';
import { MailService } from './mail/mail.service';
import { IndividualNumberService } from './my-number/individual-number.service';
import { RateLimiter } from './rate-limit/rate-limiter';
import { LoginFailureRepository } from './rate-limit/login-failure.repository';
import { LoginThrottle } from './rate-limit/login-throttle';
import { IpRateLimitGuard } from './rate-limit/ip-rate-limit.guard';
import { ResidentAuthService } from './residents/resident-auth.service';
import { SessionRepository } from './sessions/session.repository';
import { SessionService } from './sessions/session.service';
import { StaffAdminService } from './staff/staff-admin.service';
import { StaffAuthService } from './staff/staff-auth.service';
import { BearerStrategy } from './strategies/bearer.strategy';
import { ResidentPasswordStrategy, StaffPasswordStrategy } from './strategies/password.strategies';
import { SessionCookieStrategy } from './strategies/session-cookie.strategy';

/**
 * Who is calling and what they may do: resident and staff accounts, sessions,
 * the access guard every route passes, My Number Card sign-in, the
 * individual number. Owns no procedure logic.
 */
@Module({
  imports: [PassportModule, AuditModule, WorkflowModule],
  controllers: [AuthController, IndividualNumberController, AdminController, JpkiController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    PrincipalResolver,
    BearerStrategy,
    SessionCookieStrategy,
    ResidentPasswordStrategy,
    StaffPasswordStrategy,
    ResidentRepository,
    StaffRepository,
    DepartmentRepository,
    OneTimeTokenRepository,
    SessionRepository,
    SessionService,
    RateLimiter,
    LoginFailureRepository,
    LoginThrottle,
    IpRateLimitGuard,
    FieldCipher,
    IdentityAudit,
    MailService,
    ResidentAuthService,
    StaffAuthService,
    StaffAdminService,
    AuthFacade,
    IndividualNumberService,
    JpkiTrustStore,
    JpkiAuthService,
    JpkiStrategy,
  ],
  exports: [StaffRepository, JpkiAuthService, JpkiTrustStore, SessionService, StaffAdminService, IndividualNumberService, IdentityAudit, DepartmentRepository, FieldCipher, ResidentRepository, RateLimiter],
})
export class IdentityModule implements OnModuleInit {
  constructor(
    private readonly handlers: OutboxHandlerRegistry,
    private readonly mail: MailService,
    private readonly jobs: PeriodicJobs,
    private readonly limiter: RateLimiter,
    private readonly throttle: LoginThrottle,
    private readonly trust: JpkiTrustStore,
    private readonly directory: MunicipalityDirectory,
  ) {}

  onModuleInit(): void {
    this.handlers.register('mail.send', (message) => this.mail.deliver(message));
    this.jobs.register({
      name: 'jpki-crl-refresh',
      idleMs: 10 * 60_000,
      run: async () => (await this.trust.refreshFromFolder(this.directory.all().map((item) => item.id as MunicipalityId))) && 0,
    });
    this.jobs.register({ name: 'rate-limit-purge', idleMs: 10 * 60_000, run: async () => ((await this.limiter.purge()) + (await this.throttle.purge())) && 0 });
  }
}
