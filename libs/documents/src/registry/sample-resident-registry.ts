import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MunicipalityId } from '@madoguchi/kernel';
import { parse } from 'yaml';
import type { TaxFigures, TaxPaymentLine } from '../layout/document-content';
import type { RegistryHousehold, RegistryMatch, RegistryPerson, ResidentRegistry } from './resident-registry';

interface PersonFile {
  id: string;
  head?: boolean;
  individualNumber?: string;
  name: string;
  kana: string;
  birthDate: string;
  sex: 'male' | 'female';
  relationship: string;
  residentSince: string;
  seal?: { registrationNumber: string; registeredOn: string };
  taxes?: Record<string, TaxFigures & { nonTaxable?: boolean }>;
  taxPayments?: Record<string, Record<string, TaxPaymentLine[]>>;
}

interface RegistryFile {
  standIn?: boolean;
  households: Array<{ id: string; address: string; domicile?: string; domicileHead?: string; members: PersonFile[] }>;
}

interface LoadedRegistry {
  standIn: boolean;
  households: RegistryHousehold[];
  byNumber: Map<string, RegistryMatch>;
  byNameAndBirth: Map<string, RegistryMatch>;
  /** Heads of household and other adults with a seal: who a stand-in may be. */
  standIns: RegistryMatch[];
}

/** Names compare without spaces of either width: 窓口 太郎 = 窓口　太郎 = 窓口太郎. */
function nameKey(name: string, birthDate: string): string {
  return `${name.replace(/[\s\u3000]+/g, '')}|${birthDate}`;
}

/**
 * The built-in registry of fictitious residents, one YAML file per
 * municipality under config/registry/ (see 990001.yaml). A municipality
 * without a file of its own shares the first file's residents: this is
 * sample data, not a register.
 */
export class SampleResidentRegistry implements ResidentRegistry {
  private readonly loaded = new Map<string, LoadedRegistry | null>();

  constructor(private readonly directory: string) {}

  /** The people of a municipality's sample file, in file order (for test cards and docs/sample-residents.md). */
  people(municipalityId: MunicipalityId): Array<{ person: RegistryPerson; household: RegistryHousehold; individualNumber: string | null }> {
    const registry = this.registry(municipalityId);
    if (!registry) return [];
    const numbers = new Map([...registry.byNumber].map(([number, match]) => [match.person.id, number]));
    return registry.households.flatMap((household) => household.members.map((person) => ({ person, household, individualNumber: numbers.get(person.id) ?? null })));
  }

  async findByIndividualNumber(municipalityId: MunicipalityId, individualNumber: string): Promise<RegistryMatch | null> {
    return this.registry(municipalityId)?.byNumber.get(individualNumber) ?? null;
  }

  async findByNameAndBirthDate(municipalityId: MunicipalityId, name: string, dateOfBirth: string): Promise<RegistryMatch | null> {
    return this.registry(municipalityId)?.byNameAndBirth.get(nameKey(name, dateOfBirth)) ?? null;
  }

  async standIn(municipalityId: MunicipalityId, accountId: string): Promise<RegistryMatch | null> {
    const registry = this.registry(municipalityId);
    if (!registry?.standIn || registry.standIns.length === 0) return null;
    const index = createHash('sha256').update(accountId).digest().readUInt32BE(0) % registry.standIns.length;
    return { ...registry.standIns[index], matchedBy: 'standIn', sample: true };
  }

  private registry(municipalityId: MunicipalityId): LoadedRegistry | null {
    if (!this.loaded.has(municipalityId)) this.loaded.set(municipalityId, this.load(municipalityId));
    return this.loaded.get(municipalityId) ?? null;
  }

  private load(municipalityId: string): LoadedRegistry | null {
    let file = path.join(this.directory, `${municipalityId}.yaml`);
    if (!existsSync(file)) {
      const first = existsSync(this.directory) ? readdirSync(this.directory).filter((name) => name.endsWith('.yaml')).sort()[0] : undefined;
      if (!first) return null;
      file = path.join(this.directory, first);
    }
    const data = parse(readFileSync(file, 'utf8')) as RegistryFile;
    const households: RegistryHousehold[] = data.households.map((household) => {
      const members: RegistryPerson[] = household.members.map((member) => ({
        id: String(member.id),
        name: member.name,
        kana: member.kana,
        birthDate: String(member.birthDate),
        sex: member.sex,
        relationship: member.relationship,
        residentSince: String(member.residentSince),
        seal: member.seal ? { registrationNumber: String(member.seal.registrationNumber), registeredOn: String(member.seal.registeredOn) } : null,
        taxes: member.taxes ?? {},
        taxPayments: Object.fromEntries(
          Object.entries(member.taxPayments ?? {}).map(([item, years]) => [
            item,
            Object.fromEntries(Object.entries(years).map(([year, lines]) => [year, lines.map((line) => ({ ...line, dueOn: String(line.dueOn) }))])),
          ]),
        ),
      }));
      const head = household.members.find((member) => member.head) ?? household.members[0];
      return {
        id: String(household.id),
        address: household.address,
        headId: String(head.id),
        domicile: household.domicile ?? null,
        domicileHead: household.domicileHead ?? null,
        members,
      };
    });
    const byNumber = new Map<string, RegistryMatch>();
    const byNameAndBirth = new Map<string, RegistryMatch>();
    const standIns: RegistryMatch[] = [];
    data.households.forEach((household, householdIndex) => {
      household.members.forEach((member, memberIndex) => {
        const person = households[householdIndex].members[memberIndex];
        const match = (matchedBy: RegistryMatch['matchedBy']): RegistryMatch => ({ person, household: households[householdIndex], matchedBy, sample: true });
        if (member.individualNumber) byNumber.set(String(member.individualNumber), match('individualNumber'));
        byNameAndBirth.set(nameKey(person.name, person.birthDate), match('nameAndBirthDate'));
        if (person.seal) standIns.push(match('standIn'));
      });
    });
    return { standIn: data.standIn === true, households, byNumber, byNameAndBirth, standIns };
  }
}
