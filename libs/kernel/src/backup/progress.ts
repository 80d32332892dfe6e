import { SingleBar } from 'cli-progress';

/**
 * Progress of long work on stderr: a cli-progress bar on a terminal, one
 * plain line per 10% otherwise (logs and CI keep no carriage returns).
 */
export class ProgressLine {
  private done = 0;
  private lastDecile = -1;
  private readonly bar: SingleBar | null;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream | null = process.stderr,
    /** What `total` counts: bytes (shown in MiB) or rows. */
    private readonly unit: 'bytes' | 'rows' = 'bytes',
  ) {
    this.bar = out?.isTTY
      ? new SingleBar({
          stream: out,
          format: `${label} [{bar}] {percentage}% | {doneMib} of {totalMib} ${unit === 'rows' ? 'rows' : 'MiB'} | ETA {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        })
      : null;
    this.bar?.start(Math.max(total, 1), 0, { doneMib: this.amount(0), totalMib: this.amount(total) });
  }

  advance(bytes: number): void {
    this.done += bytes;
    if (!this.out) return;
    if (this.bar) {
      this.bar.update(Math.min(this.done, Math.max(this.total, 1)), { doneMib: this.amount(this.done) });
      return;
    }
    const percent = this.total === 0 ? 100 : Math.min(100, Math.floor((this.done * 100) / this.total));
    if (Math.floor(percent / 10) > this.lastDecile) {
      this.lastDecile = Math.floor(percent / 10);
      this.out.write(`${this.label} ${String(percent).padStart(3)}% (${this.amount(this.done)} of ${this.amount(this.total)} ${this.unit === 'rows' ? 'rows' : 'MiB'})\n`);
    }
  }

  private amount(value: number): string {
    return this.unit === 'rows' ? String(value) : mib(value);
  }

  finish(): void {
    if (this.bar) {
      if (this.total === 0) this.bar.update(1);
      this.bar.stop();
    }
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
