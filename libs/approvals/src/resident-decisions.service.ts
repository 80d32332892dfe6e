import { Injectable } from '@nestjs/common';
import { ApplicationError, ApplicationRepository } from '@madoguchi/engine';
import type { ResidentPrincipal } from '@madoguchi/identity';
import { ApprovalDecisionsService } from './approval-decisions.service';
import type { GrantDecisionDto } from './dto/approval.dto';

/** A resident's view of the decision on their own application. */
@Injectable()
export class ResidentDecisionsService {
  constructor(
    private readonly applications: ApplicationRepository,
    private readonly decisions: ApprovalDecisionsService,
  ) {}

  async forResident(resident: ResidentPrincipal, applicationId: string): Promise<GrantDecisionDto> {
    const application = await this.applications.find(resident.municipalityId, applicationId);
    if (!application || application.applicantId !== resident.id) throw ApplicationError.notFound(applicationId);
    return this.decisions.grantDecisionFor(resident.municipalityId, applicationId);
  }
}
