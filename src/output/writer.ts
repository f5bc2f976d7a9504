import { ByteBuffer } from './bytes.js';

/**
 * Collects output as bytes and writes it in large chunks (one write per ~64 KiB, not per
 * line), waiting for the stream to drain between input batches so memory stays flat when the
 * reader is slow. Formatters append to `bytes` directly (NDJSON) or hand over lines.
 */
export class OutputWriter {
  readonly bytes = new ByteBuffer();
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

  /** A line of text, written as UTF-8. */
  line(text: string): void {
    if (this.closed) return;
    this.bytes.utf8(text);
    this.bytes.byte(10);
    this.frameDone();
  }

  /** Call after each frame appended to `bytes` directly. */
  frameDone(): void {
    if (this.lineBuffered || this.bytes.length >= this.chunkSize) this.flush();
  }

  /**
   * Bytes formatted elsewhere (a worker thread), written after what is pending here; `written`
   * is called once the stream is done with them, so their array can be used again.
   */
  chunk(bytes: Uint8Array, written?: () => void): void {
    if (this.closed || bytes.length === 0) return;
    this.flush();
    const done = written && ((error?: Error | null) => (error ? undefined : written()));
    if (!this.stream.write(bytes, done)) this.blocked = true;
  }

  flush(): void {
    if (this.bytes.length === 0 || this.closed) return;
    this.pendingWrites++;
    if (!this.stream.write(this.bytes.take(), this.written)) this.blocked = true;
  }

  /**
   * Once the stream is done with every chunk handed to it, the buffer starts again at the
   * beginning of its slab instead of moving on to a new one: a long run then writes through
   * one slab, rather than leaving a megabyte of garbage per megabyte of output.
   */
  private readonly written = (): void => {
    if (--this.pendingWrites === 0) this.bytes.recycle();
  };
  private pendingWrites = 0;

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
