/**
 * Progress of long work on stderr. No progress-bar library is installed
 * (cli-progress would be the kept choice), so this is a plain line: redrawn
 * in place on a terminal, one line per 10% otherwise (logs, CI).
 */
export class ProgressLine {
  private done = 0;
  private lastDecile = -1;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream | null = process.stderr,
  ) {}

  advance(bytes: number): void {
    this.done += bytes;
    if (!this.out) return;
    const percent = this.total === 0 ? 100 : Math.min(100, Math.floor((this.done * 100) / this.total));
    const text = `${this.label} ${String(percent).padStart(3)}% (${mib(this.done)} of ${mib(this.total)} MiB)`;
    if (this.out.isTTY) {
      this.out.write(`\r${text}`);
    } else if (Math.floor(percent / 10) > this.lastDecile) {
      this.lastDecile = Math.floor(percent / 10);
      this.out.write(`${text}\n`);
    }
  }

  finish(): void {
    if (this.out?.isTTY) this.out.write('\n');
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
