import { asMunicipalityId } from '@madoguchi/kernel';
import { SampleResidentRegistry } from '@madoguchi/documents';
import { parseCertificate, readBasic4 } from '@madoguchi/identity/jpki/certificate';
import path from 'node:path';
import { CONFIG_DIR } from '../test-app';
import { samplePersonBasic4 } from './sample-card-person';
import { createTestCa, issueTestCard } from './test-pki';

const CITY = asMunicipalityId('990001');
const REGISTRY = path.join(CONFIG_DIR, 'registry');

describe('npm run issue-test-card issues a card for a person of the sample registry', () => {
  const now = new Date('2026-11-22T00:00:00Z');

  it.each([[undefined, 'P0001'], ['P0006', 'P0006']])('--person %s: the signing certificate\'s 基本4情報 find %s in the registry', async (chosen, expected) => {
    const { personId, basic4 } = samplePersonBasic4(REGISTRY, CITY, chosen);
    expect(personId).toBe(expected);
    const card = await issueTestCard(await createTestCa({ now }), { now, basic4 });
    // What the server reads from the certificate, looked up as document issuing does.
    const read = readBasic4(parseCertificate(Buffer.from(card.signing.certificate.rawData)));
    const match = await new SampleResidentRegistry(REGISTRY).findByNameAndBirthDate(CITY, read.name, read.dateOfBirth);
    expect(match).toMatchObject({ matchedBy: 'nameAndBirthDate', sample: true, person: { id: expected } });
    expect(read.address).toBe(match!.household.address);
  });

  it('refuses a person the registry does not have, naming those it has', () => {
    expect(() => samplePersonBasic4(REGISTRY, CITY, 'P9999')).toThrow(/P9999: not in the sample registry \(P0001, P0002/);
  });
});
