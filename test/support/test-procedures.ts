import { asMunicipalityId } from '@madoguchi/kernel';
import { ProcedurePublishingService } from '@madoguchi/procedures';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_DIR, type TestApp } from './test-app';

/**
 * The certificate of residence as a test-only procedure that needs an
 * account but no card signature, so engine tests can submit without a card.
 * Same form, fee (300 yen per copy, paid at submission, 24 h deadline) and
 * steps after submission as `juminhyo`.
 */
export const TEST_CERTIFICATE = 'test-certificate';

/**
 * A catalog procedure as a test-only copy that needs an account but no card
 * signature, so HTTP tests can submit without a card.
 */
async function publishAccountVariant(t: TestApp, catalogCode: string, code: string, municipalities: string[]): Promise<void> {
  const catalog = parse(readFileSync(path.join(CONFIG_DIR, `procedures/${catalogCode}.yaml`), 'utf8')) as ProcedureDefinition;
  const definition: ProcedureDefinition = {
    ...catalog,
    code,
    version: 1,
    identity: 'account',
    steps: catalog.steps.filter((step) => step !== 'identity'),
  };
  for (const municipality of municipalities) {
    await t.get(ProcedurePublishingService).publish(asMunicipalityId(municipality), definition, 'test');
  }
}

export function publishTestCertificate(t: TestApp, municipalities = ['990001', '990002']): Promise<void> {
  return publishAccountVariant(t, 'juminhyo', TEST_CERTIFICATE, municipalities);
}

/** taiyoko-hojo (review, 係長 → 財政課との合議 → 課長, 部長 for the maximum grant) without the card signature. */
export const TEST_SUBSIDY = 'test-subsidy';

export function publishTestSubsidy(t: TestApp, municipalities = ['990001', '990002']): Promise<void> {
  return publishAccountVariant(t, 'taiyoko-hojo', TEST_SUBSIDY, municipalities);
}
