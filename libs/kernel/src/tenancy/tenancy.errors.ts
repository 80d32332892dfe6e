import { RequestError } from '../errors/domain-error';

export enum TenancyErrorCode {
  UnknownMunicipality = 'TENANCY_UNKNOWN_MUNICIPALITY',
  MunicipalityRequired = 'TENANCY_MUNICIPALITY_REQUIRED',
}

export class TenancyError extends RequestError {
  static unknown(): TenancyError {
    return new TenancyError(404, TenancyErrorCode.UnknownMunicipality, {
      ja: '指定された自治体はこのサービスを利用していません。',
      en: 'This municipality is not served here.',
    });
  }

  static required(): TenancyError {
    return new TenancyError(400, TenancyErrorCode.MunicipalityRequired, {
      ja: '自治体を指定してください（X-Municipality-Id ヘッダー）。',
      en: 'Name the municipality in the X-Municipality-Id header.',
    });
  }
}
