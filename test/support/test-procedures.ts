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
async function publishAccountVariant(t: TestApp, catalogCode: string, code: string, municipalities: string[], overrides: Partial<ProcedureDefinition> = {}): Promise<void> {
  const catalog = parse(readFileSync(path.join(CONFIG_DIR, `procedures/${catalogCode}.yaml`), 'utf8')) as ProcedureDefinition;
  const definition = accountVariant({ ...catalog, ...overrides, version: 1 }, code);
  for (const municipality of municipalities) {
    await t.get(ProcedurePublishingService).publish(asMunicipalityId(municipality), definition, 'test');
  }
}

/**
 * A definition under another code, needing an account instead of a card
 * signature. The identity step is not part of the machine, so snapshots of
 * the original restore on the variant's machine too.
 */
export function accountVariant(definition: ProcedureDefinition, code: string): ProcedureDefinition {
  return { ...definition, code, identity: 'account', steps: definition.steps.filter((step) => step !== 'identity') };
}

export function publishTestCertificate(t: TestApp, municipalities = ['990001', '990002']): Promise<void> {
  return publishAccountVariant(t, 'juminhyo', TEST_CERTIFICATE, municipalities);
}

/**
 * The same certificate owned by 税務課 (zeimu) instead of 市民課: a fee of a
 * second department, for the tests of who may touch which department's money.
 */
export const TEST_ZEIMU_CERTIFICATE = 'test-zeimu-certificate';

export function publishTestZeimuCertificate(t: TestApp, municipalities = ['990001', '990002']): Promise<void> {
  return publishAccountVariant(t, 'juminhyo', TEST_ZEIMU_CERTIFICATE, municipalities, { department: 'zeimu' });
}

/** taiyoko-hojo (review, 係長 → 財政課との合議 → 課長, 部長 for the maximum grant) without the card signature. */
export const TEST_SUBSIDY = 'test-subsidy';

export function publishTestSubsidy(t: TestApp, municipalities = ['990001', '990002']): Promise<void> {
  return publishAccountVariant(t, 'taiyoko-hojo', TEST_SUBSIDY, municipalities);
}

/**
 * The same subsidy owned by 市民課 (shimin) instead of 環境課: an approval
 * case of the department the page-authorization callers work in, so their
 * access and another department's 404 are both exercised on one case.
 */
export const TEST_SHIMIN_SUBSIDY = 'test-shimin-subsidy';

export function publishTestShiminSubsidy(t: TestApp, municipalities = ['990001', '990002']): Promise<void> {
  return publishAccountVariant(t, 'taiyoko-hojo', TEST_SHIMIN_SUBSIDY, municipalities, { department: 'shimin' });
}
