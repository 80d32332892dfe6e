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
  ) {
    this.bar = out?.isTTY
      ? new SingleBar({
          stream: out,
          format: `${label} [{bar}] {percentage}% | {doneMib} of {totalMib} MiB | ETA {eta_formatted}`,
          hideCursor: true,
          etaBuffer: 50,
        })
      : null;
    this.bar?.start(Math.max(total, 1), 0, { doneMib: mib(0), totalMib: mib(total) });
  }

  advance(bytes: number): void {
    this.done += bytes;
    if (!this.out) return;
    if (this.bar) {
      this.bar.update(Math.min(this.done, Math.max(this.total, 1)), { doneMib: mib(this.done) });
      return;
    }
    const percent = this.total === 0 ? 100 : Math.min(100, Math.floor((this.done * 100) / this.total));
    if (Math.floor(percent / 10) > this.lastDecile) {
      this.lastDecile = Math.floor(percent / 10);
      this.out.write(`${this.label} ${String(percent).padStart(3)}% (${mib(this.done)} of ${mib(this.total)} MiB)\n`);
    }
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
