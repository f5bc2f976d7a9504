/**
 * Streaming classic-pcap writer for large benchmark captures: records are packed into one
 * reused chunk buffer and flushed with fs.writeSync, so a million-frame file is written in
 * about a hundred system calls and never held in memory.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import {
  PCAP_RECORD_HEADER_LENGTH,
  pcapFileHeader,
  writePcapRecordHeader,
  type PcapHeaderOptions,
  type PcapPacket,
} from './pcap.js';

/** The chunk must at least hold the file header and a record header. */
const MIN_CHUNK = 64;

export interface PcapStreamOptions extends PcapHeaderOptions {
  /** Size of the reused write buffer. Default 1 MiB. */
  chunkSize?: number;
}

export interface PcapStreamResult {
  frames: number;
  /** File size in bytes, header included. */
  bytes: number;
}

/** Writes a pcap file record by record; call close() when done (also on error). */
export class PcapStreamWriter {
  private readonly fd: number;
  private readonly chunk: Buffer;
  private readonly bigEndian: boolean;
  private used = 0;
  private closed = false;
  frames = 0;
  bytes = 0;

  constructor(path: string, options: PcapStreamOptions = {}) {
    const chunkSize = options.chunkSize ?? 1 << 20;
    if (!Number.isInteger(chunkSize) || chunkSize < MIN_CHUNK) {
      throw new RangeError(
        `chunkSize must be an integer of at least ${MIN_CHUNK}, got ${chunkSize}`,
      );
    }
    this.chunk = Buffer.allocUnsafe(chunkSize);
    this.bigEndian = options.bigEndian ?? false;
    this.fd = openSync(path, 'w');
    this.put(pcapFileHeader(options));
  }

  /** Appends one record (header and data as given). */
  write(p: PcapPacket): void {
    if (this.closed) throw new Error('PcapStreamWriter: write after close');
    const size = PCAP_RECORD_HEADER_LENGTH + p.data.length;
    if (this.used + size > this.chunk.length) this.flush();
    if (size > this.chunk.length) {
      // A record bigger than the chunk goes straight to the file.
      const header = Buffer.alloc(PCAP_RECORD_HEADER_LENGTH);
      writePcapRecordHeader(header, 0, p, this.bigEndian);
      this.writeOut(header);
      this.writeOut(p.data);
    } else {
      writePcapRecordHeader(this.chunk, this.used, p, this.bigEndian);
      p.data.copy(this.chunk, this.used + PCAP_RECORD_HEADER_LENGTH);
      this.used += size;
    }
    this.frames++;
    this.bytes += size;
  }

  /** Flushes what is buffered and closes the file; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private put(data: Buffer): void {
    if (this.used + data.length > this.chunk.length) this.flush();
    data.copy(this.chunk, this.used);
    this.used += data.length;
    this.bytes += data.length;
  }

  private flush(): void {
    if (this.used > 0) this.writeOut(this.chunk.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(data: Buffer): void {
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done);
  }
}

/** Writes every packet of an iterable (e.g. a generator) to a pcap file at path. */
export function writePcapStream(
  path: string,
  packets: Iterable<PcapPacket>,
  options: PcapStreamOptions = {},
): PcapStreamResult {
  const writer = new PcapStreamWriter(path, options);
  try {
    for (const p of packets) writer.write(p);
  } finally {
    writer.close();
  }
  return { frames: writer.frames, bytes: writer.bytes };
}
