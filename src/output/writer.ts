/**
 * Buffers output and writes it in large chunks (one write per ~64 KiB, not per line), waiting
 * for the stream to drain between input batches so memory stays flat when the reader is slow.
 */
export class OutputWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private blocked = false;
  /** Set when the reader went away (EPIPE): further output is dropped. */
  closed = false;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** Write after every frame, for live pipes (`-l`). */
    private readonly lineBuffered = false,
    private readonly chunkSize = 64 * 1024,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        this.closed = true;
        return;
      }
      throw error;
    });
  }

  line(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.pendingLength += text.length + 1;
    if (this.lineBuffered || this.pendingLength >= this.chunkSize) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingLength = 0;
    if (!this.stream.write(text)) this.blocked = true;
  }

  /** Resolves when the stream can take more (back-pressure between input batches). */
  async ready(): Promise<void> {
    if (!this.blocked || this.closed) return;
    this.blocked = false;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('close', done);
    });
  }

  /** Flushes and waits until everything written has been handed to the OS. */
  async end(): Promise<void> {
    this.flush();
    await this.ready();
  }
}
