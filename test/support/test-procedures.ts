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

export async function publishTestCertificate(t: TestApp, municipalities = ['990001', '990002']): Promise<void> {
  const juminhyo = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
  const definition: ProcedureDefinition = {
    ...juminhyo,
    code: TEST_CERTIFICATE,
    version: 1,
    identity: 'account',
    steps: juminhyo.steps.filter((step) => step !== 'identity'),
  };
  for (const municipality of municipalities) {
    await t.get(ProcedurePublishingService).publish(asMunicipalityId(municipality), definition, 'test');
  }
}
