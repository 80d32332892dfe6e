import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { type ApplicationEntity, referenceNumberParts } from '@madoguchi/engine';
import { SensitiveFormFields } from '@madoguchi/identity';
import { isoDateIn, type MunicipalityId, nextInSequence } from '@madoguchi/kernel';
import type { EntityManager } from 'typeorm';
import { contentHash } from './approval-chain';
import { ApprovalRepository } from './approval.repository';

/** What a decision is taken on, and the numbers decisions carry. */
@Injectable()
export class ApprovalContent {
  constructor(
    private readonly repository: ApprovalRepository,
    private readonly sensitive: SensitiveFormFields,
    private readonly directory: MunicipalityDirectory,
  ) {}

  answers(application: ApplicationEntity): Record<string, unknown> {
    return this.sensitive.open(application.municipalityId, application.id, application.formData);
  }

  async hashOf(manager: EntityManager, application: ApplicationEntity): Promise<string> {
    const fee = (application.snapshot.context as { fee?: { amount: number | null } } | undefined)?.fee?.amount ?? null;
    return contentHash({
      procedureCode: application.procedureCode,
      procedureVersion: application.procedureVersion,
      referenceNumber: application.referenceNumber,
      answers: this.answers(application),
      fee,
      attachments: await this.repository.attachmentHashes(manager, application.municipalityId as MunicipalityId, application.id),
    });
  }

  /** 指令番号 of a grant decision: per department and fiscal year, without gaps (e.g. R8-kankyo-00001). */
  async decisionNumber(manager: EntityManager, municipalityId: MunicipalityId, department: string, at: Date): Promise<string> {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    const parts = referenceNumberParts(`{era}{eraYear}-${department}-{seq:5}`, isoDateIn(at, settings.timeZone), settings.fiscalYearStartMonth);
    return parts.render(await nextInSequence(manager, municipalityId, 'decision', parts.scope));
  }
}
