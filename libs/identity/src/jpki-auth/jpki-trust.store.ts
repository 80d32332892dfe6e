import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock, type MunicipalityId } from '@madoguchi/kernel';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { assertTrustAnchors, describeCrl, type RevocationList, type TrustAnchors } from '../jpki';
import { SimulatedCardStore } from '../simulated-digital-auth/simulated-card.store';

/** PEM `X509 CRL` or raw DER. */
function crlDer(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const match = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
  return match ? Buffer.from(match[1].replace(/\s+/g, ''), 'base64') : bytes;
}

/**
 * Trust anchors (the national CA certificates, from configuration) and the
 * CRLs each municipality has loaded. CRL files dropped into the trust
 * folder are picked up by the worker; administrators can also upload one.
 */
@Injectable()
export class JpkiTrustStore {
  private readonly logger = new Logger('Jpki');
  private anchorsCache?: TrustAnchors;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly simulated: SimulatedCardStore,
  ) {}

  /** CRLs of the simulated CA already stored, per municipality (by the CRL's bytes). */
  private readonly simulatedCrlsLoaded = new Set<string>();

  /**
   * The configured anchors, plus the simulated CA while the simulated
   * digital authentication service is on and has created it: its cards are
   * then as good as real ones here, and never otherwise.
   */
  anchors(): TrustAnchors {
    const simulated = this.simulated.enabled ? this.simulated.peek() : undefined;
    return simulated ? [...this.configuredAnchors(), simulated.ca.pem] : this.configuredAnchors();
  }

  /** Every `*.pem` / `*.crt` holding a certificate in the trust folder; read once, checked at first use. */
  private configuredAnchors(): TrustAnchors {
    if (!this.anchorsCache) {
      const directory = this.config.jpkiTrustDir;
      const files = existsSync(directory) ? readdirSync(directory).filter((file) => /\.(pem|crt)$/.test(file)).sort() : [];
      const anchors = files
        .map((file) => readFileSync(path.join(directory, file), 'utf8'))
        .filter((text) => text.includes('-----BEGIN CERTIFICATE-----'));
      if (anchors.length > 0) assertTrustAnchors(anchors);
      this.anchorsCache = anchors;
    }
    return this.anchorsCache;
  }

  /**
   * The newest few CRLs of each issuer. Per issuer, because CAs publish at
   * different rates: a global "newest N" lets a daily issuing-CA CRL push
   * the root's rarely reissued one out, and every login then fails with
   * JPKI_CRL_UNAVAILABLE. A few rather than one, so a newer CRL that is not
   * yet current (or not genuine) does not hide the current one.
   */
  async crls(municipalityId: MunicipalityId): Promise<RevocationList[]> {
    await this.loadSimulatedCrl(municipalityId);
    const rows: Array<{ issuer: string; der: Buffer }> = await this.dataSource.query(
      `SELECT issuer, der FROM (
         SELECT issuer, der, this_update, row_number() OVER (PARTITION BY issuer ORDER BY this_update DESC) AS newest
           FROM jpki_crls WHERE municipality_id = $1
       ) loaded
       WHERE newest <= 5 ORDER BY this_update DESC LIMIT 50`,
      [municipalityId],
    );
    return rows.map((row) => ({ issuer: row.issuer, der: new Uint8Array(row.der) }));
  }

  /** The simulated CA's current CRL joins the stored ones (kept like any CRL, for later re-verification). */
  private async loadSimulatedCrl(municipalityId: MunicipalityId): Promise<void> {
    if (!this.simulated.enabled || !this.simulated.peek()) return;
    const crl = await this.simulated.currentCrl();
    const key = `${municipalityId}:${Buffer.from(crl.der).toString('base64')}`;
    if (this.simulatedCrlsLoaded.has(key)) return;
    await this.load(municipalityId, Buffer.from(crl.der));
    this.simulatedCrlsLoaded.add(key);
  }

  /** Stores a CRL (PEM or DER); a CRL already loaded is a no-op. Returns its description. */
  async load(municipalityId: MunicipalityId, bytes: Buffer): Promise<{ issuer: string; thisUpdate: string; nextUpdate: string | null; added: boolean }> {
    const der = crlDer(bytes);
    const description = describeCrl(der);
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO jpki_crls (municipality_id, issuer, this_update, next_update, der, loaded_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING issuer`,
      [municipalityId, description.issuer, description.thisUpdate, description.nextUpdate ?? null, der, this.clock.now()],
    );
    return {
      issuer: description.issuer,
      thisUpdate: description.thisUpdate.toISOString(),
      nextUpdate: description.nextUpdate?.toISOString() ?? null,
      added: rows.length === 1,
    };
  }

  /** Worker job: loads every CRL file of the trust folder (PEM, or DER named *crl*) for every municipality. */
  async refreshFromFolder(municipalityIds: MunicipalityId[]): Promise<number> {
    const directory = this.config.jpkiTrustDir;
    if (!existsSync(directory)) return 0;
    let added = 0;
    for (const file of readdirSync(directory).filter((name) => /\.(crl|pem|der)$/.test(name))) {
      const bytes = readFileSync(path.join(directory, file));
      // A PEM CRL, or a DER file named as a CRL; certificates and keys are skipped.
      if (!bytes.includes('-----BEGIN X509 CRL-----') && !/crl/i.test(file)) continue;
      if (file.endsWith('.pem') && !bytes.includes('-----BEGIN X509 CRL-----')) continue;
      for (const municipalityId of municipalityIds) {
        try {
          if ((await this.load(municipalityId, bytes)).added) added += 1;
        } catch (error) {
          this.logger.warn({ msg: 'CRL file not loaded', file, reason: (error as Error).message });
        }
      }
    }
    return added;
  }
}
