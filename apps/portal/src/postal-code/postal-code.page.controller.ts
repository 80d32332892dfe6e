import { Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ResidentOnly } from '@madoguchi/identity';
import type { Response } from 'express';
import { PageController } from '../shared/page-controller';
import { type PostalAddress, PostalCodeDirectory } from './postal-code-directory';

/** Where the form's script asks (the digits are appended). */
export const POSTAL_LOOKUP_PATH = '/postal-codes/';

/** What the enhancement reads: the address parts, or nulls when the code is not in the data (or no data is installed). */
export interface PostalCodeAnswer {
  postalCode: string;
  found: boolean;
  address: string | null;
  prefecture: string | null;
  city: string | null;
  town: string | null;
}

export function toPostalCodeAnswer(digits: string, found: PostalAddress | null): PostalCodeAnswer {
  return { postalCode: digits, found: found !== null, address: found?.address ?? null, prefecture: found?.prefecture ?? null, city: found?.city ?? null, town: found?.town ?? null };
}

/**
 * Postal code → address for the application form's script (the
 * `data-mg-postal-lookup` enhancement): JSON from our own origin, for a
 * signed-in resident filling a form. The form never depends on it: the
 * address field is typed by hand without script, without data, or for a
 * code not found. The access log records the route template only, never
 * the code.
 */
@ResidentOnly()
@PageController('postal-codes')
export class PostalCodePageController {
  constructor(private readonly directory: PostalCodeDirectory) {}

  @Get(':digits')
  lookup(@Param('digits') digits: string, @Res() response: Response): void {
    const normalized = digits.replace(/-/g, '');
    if (!/^[0-9]{7}$/.test(normalized)) throw new NotFoundException();
    response.set({ 'Cache-Control': 'private, max-age=86400', 'X-Content-Type-Options': 'nosniff' });
    response.status(200).json(toPostalCodeAnswer(normalized, this.directory.lookup(normalized)));
  }
}
