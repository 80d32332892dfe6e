import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig, Secrets } from '@madoguchi/config';
import { APP_CONFIG, type MunicipalityId, SECRETS } from '@madoguchi/kernel';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { checkpointLine, type CheckpointLog, readCheckpointLog } from './audit-checkpoint';

/**
 * The checkpoint files, outside PostgreSQL: `<AUDIT_CHECKPOINT_DIR>/<municipality>.jsonl`,
 * one signed line per checkpoint. Only ever appended to (O_APPEND), one
 * write per line, flushed to disk before the call returns. Whoever can write
 * the folder can still delete or truncate a file; the signature stops forgery,
 * not deletion: put the folder where the database's owner account cannot reach
 * (another host, an append-only mount, a WORM bucket it is copied to).
 */
@Injectable()
export class AuditCheckpointStore {
  private readonly dir: string;
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(SECRETS) secrets: Secrets) {
    this.dir = config.auditCheckpoints.dir;
    this.key = secrets.auditCheckpointKey;
  }

  fileOf(municipalityId: MunicipalityId): string {
    return path.join(this.dir, `${municipalityId}.jsonl`);
  }

  async read(municipalityId: MunicipalityId): Promise<CheckpointLog> {
    let text: string;
    try {
      text = await fs.readFile(this.fileOf(municipalityId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'none' };
      throw error;
    }
    return readCheckpointLog(text, this.key, municipalityId);
  }

  /**
   * Appends the next checkpoint after `previousLine` (what read() found last).
   * The caller holds the municipality's checkpoint lock, so no other writer
   * links to the same line.
   */
  async append(municipalityId: MunicipalityId, head: { seq: number; hash: string }, at: Date, previousLine: string | null): Promise<void> {
    const line = checkpointLine(this.key, { municipalityId, ...head }, at, previousLine);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = await fs.open(this.fileOf(municipalityId), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    try {
      await file.write(`${line}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
  }
}
