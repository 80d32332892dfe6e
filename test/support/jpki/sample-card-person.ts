import type { Basic4 } from '@madoguchi/identity/jpki';
import type { MunicipalityId } from '@madoguchi/kernel';
import { SampleResidentRegistry } from '@madoguchi/documents/registry/sample-resident-registry';

/**
 * The 基本4情報 of a person in the sample resident registry, so a simulated
 * card (npm run issue-test-card) matches a registry entry and the
 * certificates it signs for print that person rather than a stand-in.
 * `personId` is the registry's id (P0001 …); without it, the file's first person.
 */
export function samplePersonBasic4(registryDir: string, municipalityId: string, personId?: string): { personId: string; basic4: Basic4 } {
  const people = new SampleResidentRegistry(registryDir).people(municipalityId as MunicipalityId);
  if (people.length === 0) throw new Error(`no sample registry in ${registryDir}`);
  const chosen = personId ? people.find((entry) => entry.person.id === personId) : people[0];
  if (!chosen) throw new Error(`--person ${personId}: not in the sample registry (${people.map((entry) => entry.person.id).join(', ')})`);
  const { person, household } = chosen;
  return { personId: person.id, basic4: { name: person.name, address: household.address, dateOfBirth: person.birthDate, sex: person.sex } };
}
