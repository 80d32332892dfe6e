import path from 'node:path';
import { readFileSync } from 'node:fs';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { parse } from 'yaml';
import { SampleResidentRegistry } from '../registry/sample-resident-registry';
import { documentKindFor, isPermitContent, titleFor } from './document-assembler';

const CONFIG = path.resolve(__dirname, '../../../../config');
const definition = (code: string): ProcedureDefinition => parse(readFileSync(path.join(CONFIG, `procedures/${code}.yaml`), 'utf8')) as ProcedureDefinition;

describe('which document a procedure issues', () => {
  it.each([
    ['juminhyo', 'residenceCertificate'],
    ['inkan-shomei', 'sealCertificate'],
    ['shotoku-kazei-shomei', 'incomeTaxCertificate'],
    ['nozei-shomei', 'taxPaymentCertificate'],
    ['hisai-01', 'disasterCertificate'],
    ['taiyoko-hojo', 'grantDecision'],
    ['kominkan-yoyaku', 'usePermit'],
    ['taiikukan-yoyaku', 'usePermit'],
    ['kaigo-01', 'notice'],
    ['kosodate-15', 'notice'],
    ['bohan-camera-hojo', 'notice'],
  ])('%s → %s', (code, kind) => {
    expect(documentKindFor(definition(code), 'issue')).toBe(kind);
  });

  it('knows a renamed copy of a certificate by its document name, and only subsidies by rejection', () => {
    expect(documentKindFor({ ...definition('juminhyo'), code: 'test-certificate' }, 'issue')).toBe('residenceCertificate');
    expect(documentKindFor(definition('taiyoko-hojo'), 'rejected')).toBe('nonGrantDecision');
    expect(documentKindFor(definition('juminhyo'), 'rejected')).toBeNull();
    expect(titleFor(definition('taiyoko-hojo'), 'nonGrantDecision')).toEqual({ ja: '補助金不交付決定通知書', en: 'Notice of decision not to grant' });
    expect(titleFor(definition('kosodate-15'), 'notice').ja).toBe('母子健康手帳');
  });

  it('checks what a content source answers before printing it', () => {
    const permit = {
      bookingNumber: 'B-1',
      facility: { ja: '体育館', en: 'Gym' },
      room: { ja: 'A面', en: 'A' },
      slots: [{ date: '2026-12-05', start: '09:00', end: '11:00' }],
      organizerName: '会',
      purpose: '卓球',
      attendees: null,
      fee: 0,
      reduction: null,
    };
    expect(isPermitContent(permit)).toBe(true);
    expect(isPermitContent(null)).toBe(false);
    expect(isPermitContent({ ...permit, slots: [{ date: '5 Dec', start: '9', end: '11' }] })).toBe(false);
    expect(isPermitContent({ ...permit, fee: '1000' })).toBe(false);
  });
});

describe('the sample resident registry', () => {
  const registry = new SampleResidentRegistry(path.join(CONFIG, 'registry'));
  const city = asMunicipalityId('990001');

  it('finds residents by individual number and by card name and birth date, with their household', async () => {
    const byNumber = await registry.findByIndividualNumber(city, '990001000012');
    expect(byNumber).toMatchObject({ matchedBy: 'individualNumber', person: { name: '窓口 太郎', birthDate: '1980-05-15' }, household: { address: '桜ヶ丘市本町一丁目2番3号' } });
    expect(byNumber!.household.members).toHaveLength(4);
    expect(await registry.findByNameAndBirthDate(city, '髙橋　健一', '1955-11-30')).toMatchObject({ matchedBy: 'nameAndBirthDate', person: { seal: { registrationNumber: '20000105' } } });
    expect(await registry.findByIndividualNumber(city, '123456789018')).toBeNull();
    expect(await registry.findByNameAndBirthDate(city, '窓口 太郎', '1980-05-16')).toBeNull();
  });

  it('stands in with the same fictitious resident for the same account, as a sample only', async () => {
    const first = await registry.standIn(city, 'account-1');
    expect(first?.matchedBy).toBe('standIn');
    expect((await registry.standIn(city, 'account-1'))?.person.id).toBe(first?.person.id);
    expect(first?.person.seal).not.toBeNull();
    // A municipality without a file of its own shares the sample.
    expect(await registry.findByIndividualNumber(asMunicipalityId('990002'), '990001000012')).not.toBeNull();
    expect(await new SampleResidentRegistry('/nonexistent').standIn(city, 'account-1')).toBeNull();
  });
});
