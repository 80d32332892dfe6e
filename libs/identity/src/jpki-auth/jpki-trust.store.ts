import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type AppConfig, MunicipalityDirectory } from '@madoguchi/config';
import { APP_CONFIG, Clock, type MunicipalityId } from '@madoguchi/kernel';
import { EventEmitter } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { existsSync, type FSWatcher, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { assertTrustAnchors, describeCrl, type RevocationList, readTrustFile, type TrustAnchors, type TrustFileContent } from '../jpki';
import { certificateDers } from '../jpki/certificate';
import { SimulatedCardStore } from '../simulated-digital-auth/simulated-card.store';

/** PEM `X509 CRL` or raw DER. */
function crlDer(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const match = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
  return match ? Buffer.from(match[1].replace(/\s+/g, ''), 'base64') : bytes;
}

/** Files of the trust folder that are read; anything else there (a README) is left alone. */
const TRUST_FILE = /\.(pem|crt|cer|der|crl)$/i;
/** Editors and copy tools write a file in several steps: one reload after the last event. */
const WATCH_DEBOUNCE_MS = 300;

export interface TrustFileProblem {
  file: string;
  reason: string;
}

export interface TrustReload {
  anchors: number;
  crls: number;
  /** CRLs newly stored (only when the reload loads CRLs into the database). */
  crlsAdded: number;
  /** Files refused this time; each keeps its last good content, or none. */
  problems: TrustFileProblem[];
}

/**
 * Trust anchors (the national CA certificates) and CRLs from JPKI_TRUST_DIR,
 * and the CRLs each municipality has loaded (from the folder, or uploaded
 * by an administrator).
 *
 * The folder is checked at start: anything but CA certificates and CRLs
 * (a private key, an end-entity or expired certificate, garbage) refuses the
 * start naming the file, instead of turning every card sign-in into a 500.
 * Afterwards it is read again on a schedule (JPKI_TRUST_RELOAD_SECONDS) and
 * when it changes; a file that has gone bad is logged and its last good
 * content kept, so a half-written file never drops a trust anchor.
 */
@Injectable()
export class JpkiTrustStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Jpki');
  private anchorSet: TrustAnchors = [];
  private crlSet: Buffer[] = [];
  /** Last good content per file name, kept while the file is bad. */
  private lastGood = new Map<string, TrustFileContent>();
  private readonly events = new EventEmitter();
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private running: Promise<TrustReload> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly directory: MunicipalityDirectory,
    private readonly simulated: SimulatedCardStore,
  ) {}

  /** CRLs of the simulated CA already stored, per municipality (by the CRL's bytes). */
  private readonly simulatedCrlsLoaded = new Set<string>();

  /** The start check, in the API and the worker alike. */
  onModuleInit(): void {
    const problems = this.readFolder();
    if (problems.length > 0) {
      throw new Error(
        `JPKI_TRUST_DIR (${this.config.jpkiTrustDir}) may hold only CA certificates and CRLs (PEM or DER):\n${problems.map((problem) => `  - ${problem.file}: ${problem.reason}`).join('\n')}`,
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopWatching();
    await this.running?.catch(() => undefined);
  }

  /**
   * The folder's anchors, plus the simulated CA while the simulated digital
   * authentication service is on and has created it: its cards are then as
   * good as real ones here, and never otherwise.
   */
  anchors(): TrustAnchors {
    const simulated = this.simulated.enabled ? this.simulated.peek() : undefined;
    return simulated ? [...this.anchorSet, simulated.ca.pem] : this.anchorSet;
  }

  /**
   * Reloads on change (fs.watch, debounced) and every JPKI_TRUST_RELOAD_SECONDS.
   * `loadCrls`: also store the folder's CRLs for every municipality (the
   * process that runs the worker's jobs); an API without the worker only
   * refreshes its trust anchors.
   */
  startWatching(options: { loadCrls: boolean }): void {
    if (this.timer || this.stopped) return;
    const trigger = (): void => void this.reloadQuietly(options.loadCrls);
    this.timer = setInterval(trigger, this.config.jpkiTrustReloadSeconds * 1000);
    this.timer.unref();
    if (existsSync(this.config.jpkiTrustDir)) {
      try {
        this.watcher = watch(this.config.jpkiTrustDir, () => {
          if (this.debounce) clearTimeout(this.debounce);
          this.debounce = setTimeout(trigger, WATCH_DEBOUNCE_MS);
          this.debounce.unref();
        });
        this.watcher.on('error', (error) => this.logger.warn({ msg: 'JPKI trust folder watch failed; reloading on schedule only', reason: error.message }));
      } catch (error) {
        this.logger.warn({ msg: 'JPKI trust folder cannot be watched; reloading on schedule only', reason: (error as Error).message });
      }
    }
  }

  stopWatching(): void {
    this.stopped = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.timer = this.debounce = null;
  }

  /** Resolves with the next reload that completes (from the watcher, the schedule or a call). */
  nextReload(): Promise<TrustReload> {
    return new Promise((resolve) => this.events.once('reloaded', resolve));
  }

  /**
   * Reads the folder again now. Bad files are logged (warn, file and reason,
   * no stack) and keep their last good content. With `loadCrls`, the folder's
   * CRLs are stored for every municipality.
   */
  async reload(options: { loadCrls: boolean } = { loadCrls: true }): Promise<TrustReload> {
    // One at a time: a watch event during a reload waits for it, then reads again.
    const previous = this.running ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const problems = this.readFolder();
      for (const problem of problems) this.logger.warn({ msg: 'JPKI trust folder file ignored', file: problem.file, reason: problem.reason });
      const crlsAdded = options.loadCrls ? await this.storeFolderCrls(this.directory.all().map((item) => item.id as MunicipalityId)) : 0;
      const result: TrustReload = { anchors: this.anchorSet.length, crls: this.crlSet.length, crlsAdded, problems };
      this.events.emit('reloaded', result);
      return result;
    });
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  private async reloadQuietly(loadCrls: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      await this.reload({ loadCrls });
    } catch (error) {
      // The database may be away for a moment; the next reload tries again.
      this.logger.warn({ msg: 'JPKI trust folder reload failed', reason: (error as Error).message });
    }
  }

  /** Reads every trust file; replaces the sets with the good (or last good) content. Returns the files refused. */
  private readFolder(): TrustFileProblem[] {
    const directory = this.config.jpkiTrustDir;
    const files = existsSync(directory) ? readdirSync(directory).filter((file) => TRUST_FILE.test(file) && !file.startsWith('.')).sort() : [];
    const now = this.clock.now();
    const problems: TrustFileProblem[] = [];
    const good = new Map<string, TrustFileContent>();
    for (const file of files) {
      const full = path.join(directory, file);
      try {
        if (!statSync(full).isFile()) continue;
        good.set(file, readTrustFile(readFileSync(full), now));
      } catch (error) {
        problems.push({ file, reason: (error as Error).message });
        const kept = this.lastGood.get(file);
        if (kept) good.set(file, kept);
      }
    }
    const anchors = [...good.values()].flatMap((content) => content.anchors);
    if (anchors.length > 0) assertTrustAnchors(anchors);
    this.lastGood = good;
    this.anchorSet = anchors;
    this.crlSet = [...good.values()].flatMap((content) => content.crls);
    return problems;
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

  /** What is trusted now, for the administrators' page: each anchor's subject, issuer and validity. */
  describeAnchors(): Array<{ subject: string; issuer: string; validFrom: string; validTo: string; fingerprint256: string }> {
    return certificateDers([...this.anchors()]).map((der) => {
      const certificate = new X509Certificate(der);
      return {
        subject: certificate.subject.replace(/\n/g, ', '),
        issuer: certificate.issuer.replace(/\n/g, ', '),
        validFrom: new Date(certificate.validFrom).toISOString(),
        validTo: new Date(certificate.validTo).toISOString(),
        fingerprint256: certificate.fingerprint256,
      };
    });
  }

  /** The CRLs stored for the municipality, newest first (descriptions only), for the administrators' page. */
  async describeCrls(municipalityId: MunicipalityId): Promise<Array<{ issuer: string; thisUpdate: string; nextUpdate: string | null; loadedAt: string }>> {
    const rows: Array<{ issuer: string; this_update: Date; next_update: Date | null; loaded_at: Date }> = await this.dataSource.query(
      'SELECT issuer, this_update, next_update, loaded_at FROM jpki_crls WHERE municipality_id = $1 ORDER BY this_update DESC, issuer LIMIT 100',
      [municipalityId],
    );
    return rows.map((row) => ({
      issuer: row.issuer,
      thisUpdate: row.this_update.toISOString(),
      nextUpdate: row.next_update?.toISOString() ?? null,
      loadedAt: row.loaded_at.toISOString(),
    }));
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

  /** Worker job and tests: reads the folder again and stores its CRLs for the given municipalities. Returns how many were new. */
  async refreshFromFolder(municipalityIds: MunicipalityId[]): Promise<number> {
    const problems = this.readFolder();
    for (const problem of problems) this.logger.warn({ msg: 'JPKI trust folder file ignored', file: problem.file, reason: problem.reason });
    return this.storeFolderCrls(municipalityIds);
  }

  private async storeFolderCrls(municipalityIds: MunicipalityId[]): Promise<number> {
    let added = 0;
    for (const der of this.crlSet) {
      for (const municipalityId of municipalityIds) {
        if ((await this.load(municipalityId, der)).added) added += 1;
      }
    }
    return added;
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
}
