import { type MiddlewareConsumer, Module, type NestModule, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuditModule } from '@madoguchi/audit';
import { PeriodicJobs, OutboxHandlerRegistry, OutboxModule, type MunicipalityId, Clock } from '@madoguchi/kernel';
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
import { AuthController } from './auth.controller';
import { AuthFacade } from './auth.facade';
import { FieldCipher } from './crypto/field-cipher';
import { SensitiveFormFields } from './personal-data/sensitive-form-fields';
import { StaffSignInService } from './staff/staff-sign-in.service';
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
import { MyNumberOidcService } from './mynumber-oidc/mynumber-oidc.service';
import { MyNumberSigningTargets } from './mynumber-oidc/mynumber-signing-targets';
import { MyNumberTransactionRepository } from './mynumber-oidc/mynumber-transaction.repository';
import { MyNumberPageController } from './mynumber-oidc/mynumber.page.controller';
import { CardLockRepository } from './simulated-digital-auth/card-lock.repository';
import { MyNumberFormBodyMiddleware } from './simulated-digital-auth/form-body.middleware';
import { SimulatedCardStore } from './simulated-digital-auth/simulated-card.store';
import { SimulatedDigitalAuthController } from './simulated-digital-auth/simulated-digital-auth.controller';
import { SimulatedDigitalAuthMiddleware } from './simulated-digital-auth/simulated-digital-auth.middleware';
import { SimulatedDigitalAuthService } from './simulated-digital-auth/simulated-digital-auth.service';

/**
 * Who is calling and what they may do: resident and staff accounts, sessions,
 * the access guard every route passes, My Number Card sign-in, the
 * individual number. Owns no procedure logic.
 */
@Module({
  imports: [PassportModule, AuditModule, OutboxModule],
  controllers: [AuthController, IndividualNumberController, AdminController, JpkiController, MyNumberPageController, SimulatedDigitalAuthController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    PrincipalResolver,
    BearerStrategy,
    SessionCookieStrategy,
    ResidentPasswordStrategy,
    StaffPasswordStrategy,
    StaffSignInService,
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
    SensitiveFormFields,
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
    SimulatedCardStore,
    CardLockRepository,
    SimulatedDigitalAuthService,
    SimulatedDigitalAuthMiddleware,
    MyNumberFormBodyMiddleware,
    MyNumberTransactionRepository,
    MyNumberSigningTargets,
    MyNumberOidcService,
  ],
  exports: [AuthFacade, StaffSignInService, MyNumberSigningTargets, StaffRepository, JpkiAuthService, JpkiTrustStore, SessionService, StaffAdminService, IndividualNumberService, IdentityAudit, DepartmentRepository, FieldCipher, SensitiveFormFields, ResidentRepository, RateLimiter],
})
export class IdentityModule implements OnModuleInit, NestModule {
  constructor(
    private readonly handlers: OutboxHandlerRegistry,
    private readonly mail: MailService,
    private readonly jobs: PeriodicJobs,
    private readonly limiter: RateLimiter,
    private readonly throttle: LoginThrottle,
    private readonly trust: JpkiTrustStore,
    private readonly directory: MunicipalityDirectory,
    private readonly simulatedCards: SimulatedCardStore,
    private readonly myNumberTransactions: MyNumberTransactionRepository,
    private readonly clock: Clock,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SimulatedDigitalAuthMiddleware).forRoutes({ path: 'simulated-digital-auth/*path', method: RequestMethod.ALL });
    consumer.apply(MyNumberFormBodyMiddleware).forRoutes(
      { path: 'simulated-digital-auth/interaction/:uid', method: RequestMethod.POST },
      { path: 'applications/:id/sign/mynumber', method: RequestMethod.POST },
    );
  }

  async onModuleInit(): Promise<void> {
    // A simulator created by an earlier run is trusted from the first request.
    await this.simulatedCards.loadIfPresent();
    this.jobs.register({
      name: 'mynumber-oidc-purge',
      idleMs: 10 * 60_000,
      run: async () => (await this.myNumberTransactions.purge(new Date(this.clock.now().getTime() - 60 * 60_000))) && 0,
    });
    this.handlers.register('mail.send', (message) => this.mail.deliver(message));
    this.jobs.register({
      name: 'jpki-crl-refresh',
      idleMs: 10 * 60_000,
      run: async () => (await this.trust.refreshFromFolder(this.directory.all().map((item) => item.id as MunicipalityId))) && 0,
    });
    this.jobs.register({ name: 'rate-limit-purge', idleMs: 10 * 60_000, run: async () => ((await this.limiter.purge()) + (await this.throttle.purge())) && 0 });
  }
}
