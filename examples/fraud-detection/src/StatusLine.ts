/**
 * A live status line at the bottom of the terminal, with permanent lines printed above it. Without a terminal
 * (CI logs, pipes) the status is printed as a line of its own at most every `everyMs`.
 */
export class StatusLine {
  private status = '';
  private lastPrinted = 0;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly everyMs = 3_000,
  ) {
    this.tty = out.isTTY === true;
  }

  /** A permanent line (an alert, a log message). */
  print(line: string): void {
    if (this.tty) this.out.write(`\r\x1b[K${line}\n${this.status}`);
    else this.out.write(`${line}\n`);
  }

  /** Replaces the status line. */
  update(status: string): void {
    this.status = status;
    if (this.tty) this.out.write(`\r\x1b[K${status}`);
    else if (Date.now() - this.lastPrinted >= this.everyMs) {
      this.lastPrinted = Date.now();
      this.out.write(`${status}\n`);
    }
  }

  /** Leaves the last status on its own line. */
  done(): void {
    if (this.tty && this.status) this.out.write('\n');
    else if (!this.tty && this.status) this.out.write(`${this.status}\n`);
    this.status = '';
  }
}
