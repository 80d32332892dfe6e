import { Injectable } from '@nestjs/common';
import { StaffRepository } from '../accounts/staff.repository';
import { type ResolvedSession, SessionService } from '../sessions/session.service';
import type { Principal } from './principal';

/** Turns a presented token into the caller, with staff rights read fresh each time. */
@Injectable()
export class PrincipalResolver {
  constructor(
    private readonly sessions: SessionService,
    private readonly staff: StaffRepository,
  ) {}

  async fromToken(token: string, transport: 'bearer' | 'cookie'): Promise<Principal | null> {
    const session = await this.sessions.resolve(token);
    if (!session || session.transport !== transport) return null;
    return this.fromSession(session);
  }

  private async fromSession(session: ResolvedSession): Promise<Principal | null> {
    const facts = {
      municipalityId: session.municipalityId,
      id: session.subjectId,
      sessionId: session.id,
      authMethod: session.authMethod,
      transport: session.transport,
      csrfHash: session.csrfSecret,
    };
    if (session.subjectKind === 'resident') return { kind: 'resident', ...facts };
    const account = await this.staff.findById(session.municipalityId, session.subjectId);
    if (!account?.active) return null;
    return { kind: 'staff', ...facts, roles: account.roles, approvalLevel: account.approvalLevel, departments: account.departments };
  }
}
