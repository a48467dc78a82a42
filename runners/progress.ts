/**
 * Progress on stderr: one line per step with its timing, and a live bar for long work
 * when stderr is a terminal (otherwise a line every few seconds, so CI logs stay short).
 */
export class ProgressReporter {
  private readonly encoder = new TextEncoder();
  private readonly tty = Deno.stderr.isTerminal();
  private barShown = false;
  private lastLine = 0;
  private stepStart = 0;

  constructor(private readonly total: number, private readonly quiet = false) {}

  private write(text: string) {
    this.lastWritten = text;
    if (!this.quiet) Deno.stderr.writeSync(this.encoder.encode(text));
  }

  private clearBar() {
    if (this.barShown) this.write("\r\x1b[2K");
    this.barShown = false;
  }

  stepStarted(index: number, name: string, detail: string) {
    this.stepStart = performance.now();
    this.lastLine = this.stepStart;
    this.prefix = `[${index + 1}/${this.total}] ${name.padEnd(13)}`;
    const line = `${this.prefix} ${detail}\n`;
    // A step announced again after its inputs ran is shown again only if others wrote since.
    if (detail && line !== this.lastWritten) this.write(line);
  }

  private prefix = "";
  private lastWritten = "";

  stepFinished(status: "cached" | "computed" | "not needed", seconds: number, note = "") {
    this.clearBar();
    const time = status === "computed" ? `${seconds.toFixed(2)}s` : status;
    this.write(`${this.prefix} ${time}${note ? `  ${note}` : ""}\n`);
  }

  info(message: string) {
    this.clearBar();
    this.write(`    ${message}\n`);
  }

  /** A bar with rate and ETA; throttled so it costs nothing in hot loops. */
  update(done: number, total: number, unit = "") {
    const now = performance.now();
    if (now - this.lastLine < (this.tty ? 100 : 5000) && done < total) return;
    this.lastLine = now;
    const elapsed = (now - this.stepStart) / 1000;
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    const text = `${this.prefix} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${
      formatCount(done)
    }/${formatCount(total)}${unit ? " " + unit : ""} ${formatCount(rate)}/s eta ${eta.toFixed(0)}s`;
    if (this.tty) {
      this.write(`\r\x1b[2K${text}`);
      this.barShown = true;
    } else {
      this.write(`${text}\n`);
    }
  }
}

function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return n >= 100 ? n.toFixed(0) : n.toFixed(n % 1 === 0 ? 0 : 1);
}
