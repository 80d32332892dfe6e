import { Injectable } from '@nestjs/common';
import { AuditService } from '@madoguchi/audit';
import { IdentityError, type ResidentPrincipal, verifyPassword } from '@madoguchi/identity';
import { Clock } from '@madoguchi/kernel';
import { AccountClosureRepository } from './account-closure.repository';

/** A resident closes their account: the account's data goes now, the cases stay on their procedures' schedules. */
@Injectable()
export class AccountClosureService {
  constructor(
    private readonly accounts: AccountClosureRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async close(resident: ResidentPrincipal, password: string): Promise<void> {
    if (resident?.kind !== 'resident') throw IdentityError.forbidden();
    const hash = await this.accounts.passwordHash(resident.municipalityId, resident.id);
    if (hash === undefined || !(await verifyPassword(hash, password))) throw IdentityError.invalidCredentials();
    const now = this.clock.now();
    await this.accounts.transaction(async (manager) => {
      const { attachmentsDeleted } = await this.accounts.close(manager, resident.municipalityId, resident.id, now);
      await this.audit.record(
        resident.municipalityId,
        { actor: { kind: 'resident', id: resident.id }, action: 'auth.account.closed', target: { type: 'resident', id: resident.id }, details: { attachmentsDeleted } },
        manager,
      );
    });
  }
}
