/**
 * Writes frames to a capture file, as tshark's `-w`: pcapng (an interface description per
 * interface the frames came on, with its link type and timestamp resolution, so timestamps
 * stay exact) or classic pcap (one link type; microsecond or nanosecond timestamps).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Frame } from './frame.js';

export type CaptureFormat = 'pcapng' | 'pcap';

/** Why a frame cannot go into the file (classic pcap holds one link type). */
export class CaptureWriteError extends Error {}

/** Collects bytes and writes them out in large pieces. */
class Sink {
  private readonly chunks: Buffer[] = [];
  private pending = 0;

  constructor(private readonly fd: number) {}

  push(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.pending += bytes.length;
    if (this.pending >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.pending === 0) return;
    const all = Buffer.concat(this.chunks, this.pending);
    let done = 0;
    while (done < all.length) done += writeSync(this.fd, all, done, all.length - done);
    this.chunks.length = 0;
    this.pending = 0;
  }
}

/** A frame's fraction of a second in units of 10^-digits (truncated when there are fewer). */
function fractionIn(frame: Frame, digits: number): number {
  const shift = digits - frame.tsDigits;
  return shift >= 0 ? frame.tsFrac * 10 ** shift : Math.floor(frame.tsFrac / 10 ** -shift);
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

export class CaptureWriter {
  private readonly sink: Sink;
  private readonly fd: number;
  /** pcapng: interface ids in the file, by input file and interface. */
  private readonly interfaces = new Map<string, number>();
  /** pcap: the link type and timestamp digits fixed by the first frame. */
  private pcapLinkType: number | undefined;
  private pcapDigits = 6;
  frames = 0;

  constructor(
    path: string | number,
    readonly format: CaptureFormat,
  ) {
    this.fd = typeof path === 'number' ? path : openSync(path, 'w');
    this.sink = new Sink(this.fd);
    if (format === 'pcapng') this.sink.push(sectionHeader());
  }

  /** Writes a frame; `source` tells apart the interfaces of several input files. */
  write(frame: Frame, source = 0): void {
    if (this.format === 'pcapng') this.writeEnhanced(frame, source);
    else this.writeRecord(frame);
    this.frames++;
  }

  close(): void {
    this.sink.flush();
    if (this.fd > 2) closeSync(this.fd);
  }

  private writeEnhanced(frame: Frame, source: number): void {
    const key = `${source}/${frame.interfaceId}`;
    let id = this.interfaces.get(key);
    if (id === undefined) {
      id = this.interfaces.size;
      this.interfaces.set(key, id);
      this.sink.push(interfaceDescription(frame));
    }
    const data = frame.data;
    const total = 32 + data.length + pad4(data.length);
    const block = Buffer.alloc(total);
    block.writeUInt32LE(6, 0);
    block.writeUInt32LE(total, 4);
    block.writeUInt32LE(id, 8);
    // Units of the interface's resolution, 10^-tsDigits s (its if_tsresol).
    const stamp = BigInt(frame.tsSec) * 10n ** BigInt(frame.tsDigits) + BigInt(frame.tsFrac);
    block.writeUInt32LE(Number(stamp >> 32n), 12);
    block.writeUInt32LE(Number(stamp & 0xffffffffn), 16);
    block.writeUInt32LE(data.length, 20);
    block.writeUInt32LE(frame.origLen, 24);
    block.set(data, 28);
    block.writeUInt32LE(total, total - 4);
    this.sink.push(block);
  }

  private writeRecord(frame: Frame): void {
    if (this.pcapLinkType === undefined) {
      this.pcapLinkType = frame.linkType;
      this.pcapDigits = frame.tsDigits > 6 ? 9 : 6;
      this.sink.push(pcapHeader(frame.linkType, this.pcapDigits === 9, frame.snapLen));
    } else if (frame.linkType !== this.pcapLinkType) {
      throw new CaptureWriteError(
        `frame ${frame.number} has link type ${frame.linkType} where the pcap file has ${this.pcapLinkType}: classic pcap holds one link type (write pcapng instead)`,
      );
    }
    const head = Buffer.alloc(16);
    head.writeUInt32LE(frame.tsSec >>> 0, 0);
    head.writeUInt32LE(fractionIn(frame, this.pcapDigits), 4);
    head.writeUInt32LE(frame.data.length, 8);
    head.writeUInt32LE(frame.origLen, 12);
    this.sink.push(head);
    this.sink.push(Buffer.from(frame.data));
  }
}

/** A little-endian Section Header Block with no options, section length unknown. */
function sectionHeader(): Buffer {
  const block = Buffer.alloc(28);
  block.writeUInt32LE(0x0a0d0d0a, 0);
  block.writeUInt32LE(28, 4);
  block.writeUInt32LE(0x1a2b3c4d, 8);
  block.writeUInt16LE(1, 12);
  block.writeUInt16LE(0, 14);
  block.writeInt32LE(-1, 16);
  block.writeInt32LE(-1, 20);
  block.writeUInt32LE(28, 24);
  return block;
}

/** An Interface Description Block: link type, snaplen and if_tsresol (10^-tsDigits). */
function interfaceDescription(frame: Frame): Buffer {
  const total = 20 + 8 + 4;
  const block = Buffer.alloc(total);
  block.writeUInt32LE(1, 0);
  block.writeUInt32LE(total, 4);
  block.writeUInt16LE(frame.linkType, 8);
  block.writeUInt32LE(frame.snapLen, 12);
  block.writeUInt16LE(9, 16); // if_tsresol
  block.writeUInt16LE(1, 18);
  block.writeUInt8(frame.tsDigits, 20);
  block.writeUInt32LE(0, 24); // opt_endofopt
  block.writeUInt32LE(total, 28);
  return block;
}

function pcapHeader(linkType: number, nanoseconds: boolean, snapLen: number): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(snapLen > 0 ? snapLen : 262144, 16);
  header.writeUInt32LE(linkType, 20);
  return header;
}
