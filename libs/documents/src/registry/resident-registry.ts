import type { MunicipalityId } from '@madoguchi/kernel';
import type { TaxFigures, TaxPaymentLine } from '../layout/document-content';

/**
 * The resident registry (住民基本台帳) and the tax records of the core
 * system, as certificates need them. Madoguchi never keeps these: a
 * municipality plugs in its core system (基幹系) behind this interface, bound
 * to RESIDENT_REGISTRY; the built-in SampleResidentRegistry answers from a
 * file of fictitious residents.
 */
export interface ResidentRegistry {
  /** By the 12-digit individual number (個人番号). */
  findByIndividualNumber(municipalityId: MunicipalityId, individualNumber: string): Promise<RegistryMatch | null>;
  /** By name and date of birth as the My Number Card reads them (基本4情報). */
  findByNameAndBirthDate(municipalityId: MunicipalityId, name: string, dateOfBirth: string): Promise<RegistryMatch | null>;
  /**
   * A sample registry's stand-in for an account it cannot match (so demos
   * and tests issue certificates without a card); a real registry answers
   * null, and the certificate is not issued.
   */
  standIn(municipalityId: MunicipalityId, accountId: string): Promise<RegistryMatch | null>;
}

export const RESIDENT_REGISTRY = Symbol('RESIDENT_REGISTRY');

export interface RegistryPerson {
  id: string;
  name: string;
  kana: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'male' | 'female';
  /** 続柄 to the head of household: 世帯主, 妻, 子 … */
  relationship: string;
  /** YYYY-MM-DD: 住民となった年月日 */
  residentSince: string;
  seal: { registrationNumber: string; registeredOn: string } | null;
  /** Income and tax by fiscal year (the year the tax is for), for 所得・課税証明書. */
  taxes: Record<string, TaxFigures & { nonTaxable?: boolean }>;
  /** Installments by tax item and fiscal year, for 納税証明書: `taxPayments['固定資産税・都市計画税']['2026']`. */
  taxPayments: Record<string, Record<string, TaxPaymentLine[]>>;
}

export interface RegistryHousehold {
  id: string;
  address: string;
  /** Id of the head of household among `members`. */
  headId: string;
  domicile: string | null;
  domicileHead: string | null;
  members: RegistryPerson[];
}

export interface RegistryMatch {
  person: RegistryPerson;
  household: RegistryHousehold;
  /** How the applicant was found: by number, by card data, or a sample's stand-in. */
  matchedBy: 'individualNumber' | 'nameAndBirthDate' | 'standIn';
  /**
   * True when the answer comes from fictitious sample data (the built-in
   * SampleResidentRegistry): documents made from it are marked 見本 / SAMPLE
   * so that none can pass for a real certificate. A real registry leaves it unset.
   */
  sample?: boolean;
}
