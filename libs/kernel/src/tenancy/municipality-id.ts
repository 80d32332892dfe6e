/**
 * The tenant. Every row and every repository call carries one. Branded so a
 * plain string (an application id, a code) cannot be passed by mistake.
 */
export type MunicipalityId = string & { readonly __brand: 'MunicipalityId' };

const MUNICIPALITY_ID_PATTERN = /^[0-9]{6}$/;

export function isMunicipalityId(value: unknown): value is MunicipalityId {
  return typeof value === 'string' && MUNICIPALITY_ID_PATTERN.test(value);
}

export function asMunicipalityId(value: string): MunicipalityId {
  if (!isMunicipalityId(value)) {
    throw new Error(`"${value}" is not a municipality id (six digits)`);
  }
  return value;
}
