import { escapeTerminal } from './escape.js';

/** How often the line is redrawn: often enough to look alive, rarely enough to cost nothing. */
const INTERVAL_MS = 250;

/**
 * A progress line on stderr for long captures — bytes read of the total, frames/s — drawn only
 * when stderr is a terminal and stdout is not (output going to a file or a pipe: on a shared
 * terminal it would break the lines it is mixed with), never with --quiet; cleared when done.
 */
export class Progress {
  private lastDraw = 0;
  private readonly started = Date.now();
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly label: string,
    /** The file's size in bytes, when known (not for standard input). */
    private readonly total: number | undefined,
  ) {}

  static enabled(
    stderr: NodeJS.WriteStream,
    stdout: NodeJS.WriteStream,
    quiet: boolean | undefined,
  ): boolean {
    return stderr.isTTY === true && stdout.isTTY !== true && quiet !== true;
  }

  update(bytes: number, frames: number): void {
    const now = Date.now();
    if (now - this.lastDraw < INTERVAL_MS) return;
    this.lastDraw = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(frames / seconds).toLocaleString('en-US');
    const mib = (n: number): string => (n / 1048576).toFixed(1);
    const of = this.total
      ? ` of ${mib(this.total)} MiB (${Math.min(100, (100 * bytes) / this.total).toFixed(0)}%)`
      : '';
    this.stream.write(
      `\r\u001b[K${escapeTerminal(this.label)}: ${mib(bytes)} MiB${of}, ${frames.toLocaleString('en-US')} frames, ${rate} frames/s`,
    );
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
  }
}
