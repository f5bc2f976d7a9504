import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileChunks } from './file-chunks.js';
import { CaptureError, type Frame } from './frame.js';
import type { FrameReader, ReaderInfo } from './reader.js';
import { pcapMagic, PcapReader } from './pcap.js';
import { PCAPNG_MAGIC, PcapngReader } from './pcapng.js';

/** 64 KiB reads keep memory flat however large the capture; frames arrive in batches of one read. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** What readCapture returns once the whole capture has been read. */
export interface CaptureSummary extends ReaderInfo {
  format: 'pcap' | 'pcapng';
  /** Whether the capture was gzip-compressed. */
  compressed: boolean;
  /** Capture bytes read (after decompression; fewer than the file's size if reading stopped early). */
  bytesRead: number;
  frames: number;
  /** Link type of the first interface (undefined for a pcapng file without one). */
  linkType: number | undefined;
}

export interface ReadCaptureOptions {
  /** Read size (and gzip output size) in bytes; defaults to 64 KiB. */
  chunkSize?: number;
  /**
   * Called after each chunk with the bytes taken from the input so far (compressed bytes for a
   * gzip file, so that it can be set against the file's size): for progress displays.
   */
  onProgress?: (inputBytes: number) => void;
}

type Input = string | NodeJS.ReadableStream;
type Destroyable = { destroy?: (error?: Error) => unknown };

const GZIP_MAGIC = 0x1f8b;
/** zlib refuses smaller output chunks. */
const MIN_GZIP_CHUNK = 64;
const KNOWN_MAGICS = ['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', '0a0d0d0a', '1f8b'];

/**
 * Reads a pcap or pcapng capture, gzip-compressed or not, from a path, '-' (stdin) or a stream,
 * and yields its frames in batches (one per chunk read, in file order). The format is decided by
 * the magic number alone. Every complete frame is yielded before a fault in the file is thrown as
 * a CaptureError; stream and gzip errors become CaptureErrors too. Reading keeps pace with the
 * consumer, and stopping early (break / return) destroys the input stream.
 */
export async function* readCapture(
  input: Input,
  options: ReadCaptureOptions = {},
): AsyncGenerator<Frame[], CaptureSummary, undefined> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const source = openInput(input, chunkSize);
  const opened: Destroyable[] = [source as Destroyable];
  let reader: FrameReader | undefined;
  let compressed = false;
  let bytesRead = 0;
  try {
    let chunks = new PeekableChunks(source);
    let head = await chunks.peek(4);
    if (head.length >= 2 && head.readUInt16BE(0) === GZIP_MAGIC) {
      compressed = true;
      const gunzip = createGunzip({ chunkSize: Math.max(chunkSize, MIN_GZIP_CHUNK) });
      opened.push(gunzip);
      // Errors of the file stream travel down the pipeline and surface in the gunzip iteration.
      // Not object mode, so that at most one chunk's worth waits ahead of the decompressor.
      const compressedBytes = Readable.from(chunks, {
        objectMode: false,
        highWaterMark: chunkSize,
      });
      pipeline(compressedBytes, gunzip, () => undefined);
      chunks = new PeekableChunks(gunzip);
      head = await chunks.peek(4);
    }
    reader = readerFor(head);
    const rawBytes = source as { bytesRead?: unknown };
    for await (const chunk of chunks) {
      bytesRead += chunk.length;
      options.onProgress?.(typeof rawBytes.bytesRead === 'number' ? rawBytes.bytesRead : bytesRead);
      const frames = reader.push(chunk);
      if (frames.length > 0) yield frames;
      if (reader.fault !== undefined) throw reader.fault;
    }
    const fault = reader.finish();
    if (fault !== undefined) throw fault;
    return summarize(reader, compressed, bytesRead);
  } catch (error) {
    throw asCaptureError(error, bytesRead, reader?.bytesConsumed ?? 0);
  } finally {
    for (const stream of opened) stream.destroy?.();
  }
}

function openInput(input: Input, chunkSize: number): AsyncIterable<unknown> {
  if (input === '-') return process.stdin;
  if (typeof input === 'string') return new FileChunks(input, chunkSize);
  return input;
}

/** Chooses the reader by magic number; anything else is not a capture this tool reads. */
function readerFor(head: Buffer): FrameReader {
  if (head.length === 0) throw new CaptureError('file is empty', 0, 'format');
  const hex = head.toString('hex', 0, 4);
  if (head.length < 4) {
    if (KNOWN_MAGICS.some((magic) => magic.startsWith(hex))) {
      throw new CaptureError(
        `capture appears to have been cut short: ${head.length} bytes is too short for a capture header`,
        0,
        'truncated',
      );
    }
    throw new CaptureError(`not a pcap or pcapng capture (magic 0x${hex})`, 0, 'format');
  }
  const magic = head.readUInt32BE(0);
  if (pcapMagic(magic) !== undefined) return new PcapReader();
  if (magic === PCAPNG_MAGIC) return new PcapngReader();
  throw new CaptureError(`not a pcap or pcapng capture (magic 0x${hex})`, 0, 'format');
}

function summarize(reader: FrameReader, compressed: boolean, bytesRead: number): CaptureSummary {
  const info = reader.info();
  return {
    format: reader.format,
    compressed,
    bytesRead,
    frames: reader.frameCount,
    linkType: info.interfaces[0]?.linkType,
    ...info,
  };
}

/**
 * Stream errors (those carrying an errno or zlib code) as CaptureErrors; anything else is a bug
 * and goes on unchanged. `bytesRead` is where the readable data stopped; `cutAt` is the
 * start of the record or block that a cut gzip stream leaves incomplete.
 */
export function asCaptureError(error: unknown, bytesRead: number, cutAt: number): unknown {
  if (error instanceof CaptureError) return error;
  const err = error as NodeJS.ErrnoException;
  if (typeof err?.code !== 'string') return error;
  switch (err.code) {
    case 'ENOENT':
      return new CaptureError('no such file', 0, 'io');
    case 'EISDIR':
      return new CaptureError('is a directory', 0, 'io');
    case 'EACCES':
    case 'EPERM':
      return new CaptureError('permission denied', 0, 'io');
    case 'Z_BUF_ERROR':
      return new CaptureError(
        `capture appears to have been cut short: the gzip stream ends unexpectedly after ${bytesRead} decompressed bytes, in the record or block at offset ${cutAt}`,
        cutAt,
        'truncated',
      );
    case 'Z_DATA_ERROR':
    case 'Z_STREAM_ERROR':
    case 'Z_NEED_DICT':
      return new CaptureError(
        `gzip stream is corrupt at decompressed offset ${bytesRead}: ${err.message}`,
        bytesRead,
        'io',
      );
    default:
      return new CaptureError(err.message, bytesRead, 'io');
  }
}

/**
 * The chunks of a stream as Buffers, with the first few bytes readable before the reading
 * proper starts (to sniff the magic) without losing them.
 */
class PeekableChunks implements AsyncIterable<Buffer> {
  private readonly iterator: AsyncIterator<unknown>;
  private readonly head: Buffer[] = [];
  private headLength = 0;

  constructor(stream: AsyncIterable<unknown>) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** The first `length` bytes (fewer if the input is shorter). */
  async peek(length: number): Promise<Buffer> {
    while (this.headLength < length) {
      const next = await this.iterator.next();
      if (next.done === true) break;
      const chunk = asBuffer(next.value);
      this.head.push(chunk);
      this.headLength += chunk.length;
    }
    return Buffer.concat(this.head, Math.min(length, this.headLength));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    try {
      while (this.head.length > 0) yield this.head.shift() as Buffer;
      for (;;) {
        const next = await this.iterator.next();
        if (next.done === true) return;
        yield asBuffer(next.value);
      }
    } finally {
      // Stopping early must release the stream underneath (a Readable destroys itself here).
      await this.iterator.return?.();
    }
  }
}

/** Streams in object mode or with an encoding hand over strings or Uint8Arrays. */
function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array)
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), 'latin1');
}
