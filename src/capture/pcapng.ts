import { CaptureError, type Frame } from './frame.js';
import type { FrameReader, InterfaceInfo, ReaderInfo } from './reader.js';

/** Section Header Block type; a byte palindrome, so it reads the same in either byte order. */
export const PCAPNG_MAGIC = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The byte-order magic of a big-endian section, read little-endian. */
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;

/** Type + length + trailing length: no block is shorter, and no block's length is known sooner. */
const BLOCK_OVERHEAD = 12;
/** A sanity limit, as in Wireshark: a longer block means a corrupt length, not a real block. */
export const MAX_BLOCK_LENGTH = 16 * 1024 * 1024;
const SHB_MIN_LENGTH = 28;
const IDB_MIN_LENGTH = 20;
/** Enhanced and obsolete Packet Blocks: 12 overhead + 20 bytes of fixed fields. */
const PACKET_MIN_LENGTH = 32;
const PACKET_DATA_OFFSET = 28;
const SPB_MIN_LENGTH = 16;
const SPB_DATA_OFFSET = 12;

const OPT_ENDOFOPT = 0;
const IF_TSRESOL = 9;
const IF_FCSLEN = 13;
const IF_TSOFFSET = 14;

const NS_PER_SECOND = 1_000_000_000;
const TWO_POW_32 = 4294967296;
const TWO_POW_21 = 2097152;

const BLOCK_NAMES: Record<number, string> = {
  [PCAPNG_MAGIC]: 'Section Header Block',
  [IDB]: 'Interface Description Block',
  [PB]: 'Packet Block',
  [SPB]: 'Simple Packet Block',
  [EPB]: 'Enhanced Packet Block',
};

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of type 0x${type.toString(16).padStart(8, '0')}`;
}

function isPacketBlock(type: number): boolean {
  return type === EPB || type === SPB || type === PB;
}

/**
 * Turns an interface's 64-bit timestamps (in units of its if_tsresol) into seconds plus a
 * decimal fraction. Resolutions of 10^-n with n <= 9 keep their n digits exactly, without
 * BigInt; finer decimal resolutions and 2^-n resolutions become nanoseconds, rounded.
 */
class Clock {
  sec = 0;
  frac = 0;
  readonly digits: number;
  private readonly unitsPerSecond: number;

  constructor(
    private readonly base: 2 | 10,
    private readonly exponent: number,
    private readonly offsetSec: number,
  ) {
    this.digits = base === 10 && exponent <= 9 ? exponent : 9;
    this.unitsPerSecond = base ** exponent;
  }

  set(high: number, low: number): void {
    if (this.base === 10 && this.exponent <= 9) this.splitDecimal(high, low);
    else if (this.base === 2 && this.exponent <= 20 && high < TWO_POW_21)
      this.splitBinary(high, low);
    else this.splitBig(high, low);
    this.sec += this.offsetSec;
  }

  /**
   * Long division of high·2^32 + low by 10^n in base-2^16 steps: every intermediate stays below
   * 2^53, so nanosecond timestamps (about 2^60 today) divide exactly as plain numbers.
   */
  private splitDecimal(high: number, low: number): void {
    const d = this.unitsPerSecond;
    const qHigh = Math.floor(high / d);
    let rest = (high - qHigh * d) * 65536 + (low >>> 16);
    const qMid = Math.floor(rest / d);
    rest = (rest - qMid * d) * 65536 + (low & 0xffff);
    const qLow = Math.floor(rest / d);
    this.sec = qHigh * TWO_POW_32 + qMid * 65536 + qLow;
    this.frac = rest - qLow * d;
  }

  /** 2^-n with n <= 20 and a timestamp below 2^53: exact in doubles (the divisions are by powers of two). */
  private splitBinary(high: number, low: number): void {
    const units = high * TWO_POW_32 + low;
    const d = this.unitsPerSecond;
    const sec = Math.floor(units / d);
    const ns = Math.round(((units - sec * d) * NS_PER_SECOND) / d);
    this.carry(sec, ns);
  }

  private splitBig(high: number, low: number): void {
    const units = (BigInt(high) << 32n) | BigInt(low);
    const d = this.base === 10 ? 10n ** BigInt(this.exponent) : 1n << BigInt(this.exponent);
    const ns = ((units % d) * 2_000_000_000n + d) / (2n * d);
    this.carry(Number(units / d), Number(ns));
  }

  /** Rounding to nanoseconds can reach a whole second. */
  private carry(sec: number, ns: number): void {
    if (ns >= NS_PER_SECOND) {
      this.sec = sec + 1;
      this.frac = ns - NS_PER_SECOND;
    } else {
      this.sec = sec;
      this.frac = ns;
    }
  }
}

interface Interface {
  /** File-wide running index (see PcapngReader). */
  id: number;
  linkType: number;
  snapLen: number;
  clock: Clock;
}

/** The options of an Interface Description Block that matter to frames. */
interface InterfaceOptions {
  tsBase: 2 | 10;
  tsExponent: number;
  tsOffset: number;
  fcsLength: number | undefined;
}

/**
 * A streaming pcapng reader. Chunks are parsed in place; only a block that straddles chunks is
 * held back, as a list of the chunks' pieces, and joined once all its bytes have arrived, so the
 * file is never read whole and no buffer is sized by a length the file merely claims. Block
 * lengths are checked (and lengths over 16 MiB refused) as soon as a block's first 12 bytes are in.
 *
 * Interface ids restart in each section; `Frame.interfaceId` is instead a file-wide running
 * index: the first section's interfaces are 0..n-1, the next section's continue from n. It
 * matches the section-local id in the usual single-section file, and `info().interfaces` maps
 * each index back to its section.
 */
export class PcapngReader implements FrameReader {
  readonly format = 'pcapng';
  fault: CaptureError | undefined;
  frameCount = 0;
  /** Bytes of complete blocks: the offset of the next block. */
  bytesConsumed = 0;

  private littleEndian = true;
  private sections = 0;
  private version = '';
  private firstLittleEndian = true;
  private sectionInterfaces: Interface[] = [];
  private readonly interfaces: InterfaceInfo[] = [];
  private pending: Buffer[] = [];
  private pendingLength = 0;
  /** Total length of the held-back block, once its first 12 bytes are in (0 before). */
  private pendingBlockLength = 0;

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    if (this.fault !== undefined) return frames;
    let pos = 0;
    if (this.pendingLength > 0) {
      pos = this.completePending(chunk, frames);
      if (pos < 0) return frames;
    }
    pos = this.readBlocks(chunk, pos, frames);
    if (this.fault === undefined && pos < chunk.length) {
      this.pending.push(chunk.subarray(pos));
      this.pendingLength += chunk.length - pos;
    }
    return frames;
  }

  finish(): CaptureError | undefined {
    if (this.fault === undefined) this.fault = this.endFault();
    return this.fault;
  }

  info(): ReaderInfo {
    return {
      version: this.version,
      littleEndian: this.firstLittleEndian,
      sections: this.sections,
      interfaces: this.interfaces,
    };
  }

  /**
   * Adds a chunk to a block that started in an earlier one. Returns where the rest of the chunk
   * starts once the block is complete and read, or -1 when the chunk was all absorbed (or the
   * block is faulty).
   */
  private completePending(chunk: Buffer, frames: Frame[]): number {
    const before = this.pendingLength;
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    // Read once: re-reading it from a long list of small chunks would make tiny reads quadratic.
    if (this.pendingBlockLength === 0) {
      if (this.pendingLength < BLOCK_OVERHEAD) return -1;
      const length = this.blockLength(Buffer.concat(this.pending, BLOCK_OVERHEAD), 0);
      if (length < 0) return -1;
      this.pendingBlockLength = length;
    }
    const length = this.pendingBlockLength;
    if (this.pendingLength < length) return -1;
    const block = Buffer.concat(this.pending, length);
    this.pending = [];
    this.pendingLength = 0;
    this.pendingBlockLength = 0;
    if (!this.readBlock(block, 0, length, frames)) return -1;
    return length - before;
  }

  /** Reads the complete blocks of `buf` from `pos`; returns where the first incomplete one starts. */
  private readBlocks(buf: Buffer, pos: number, frames: Frame[]): number {
    while (buf.length - pos >= BLOCK_OVERHEAD) {
      const length = this.blockLength(buf, pos);
      if (length < 0) return pos;
      if (buf.length - pos < length) break;
      if (!this.readBlock(buf, pos, length, frames)) return pos;
      pos += length;
    }
    return pos;
  }

  /**
   * The checked total length of the block at `pos` (whose first 12 bytes are present), or -1
   * with `fault` set. A Section Header Block sets the byte order it and its section are read in.
   */
  private blockLength(buf: Buffer, pos: number): number {
    const offset = this.bytesConsumed;
    const type = buf.readUInt32LE(pos);
    if (type === PCAPNG_MAGIC) {
      if (!this.setByteOrder(buf.readUInt32LE(pos + 8), offset)) return -1;
    } else if (this.sections === 0) {
      return this.fail('format', offset, 'pcapng file does not start with a Section Header Block');
    }
    const length = this.u32(buf, pos + 4);
    if (length < BLOCK_OVERHEAD || length % 4 !== 0) {
      return this.fail(
        'bogus',
        offset,
        `${this.nameAt(buf, pos)} at offset ${offset} has an impossible total length of ${length} bytes`,
      );
    }
    if (length > MAX_BLOCK_LENGTH) {
      return this.fail(
        'bogus',
        offset,
        `${this.nameAt(buf, pos)} at offset ${offset} claims a total length of ${length} bytes (more than the ${MAX_BLOCK_LENGTH}-byte maximum): the file is corrupt`,
      );
    }
    return length;
  }

  private setByteOrder(magicLE: number, offset: number): boolean {
    if (magicLE === BYTE_ORDER_MAGIC) this.littleEndian = true;
    else if (magicLE === BYTE_ORDER_MAGIC_SWAPPED) this.littleEndian = false;
    else {
      this.fail(
        'format',
        offset,
        `Section Header Block at offset ${offset} has no valid byte-order magic (0x${magicLE.toString(16).padStart(8, '0')})`,
      );
      return false;
    }
    return true;
  }

  /** Reads one complete block; false (with `fault` set) when it is faulty. */
  private readBlock(buf: Buffer, pos: number, length: number, frames: Frame[]): boolean {
    const offset = this.bytesConsumed;
    const trailing = this.u32(buf, pos + length - 4);
    if (trailing !== length) {
      this.fail(
        'bogus',
        offset,
        `${this.nameAt(buf, pos)} at offset ${offset}: its trailing length (${trailing}) differs from its leading length (${length})`,
      );
      return false;
    }
    const frame = this.readBlockBody(buf, pos, length);
    if (this.fault !== undefined) return false;
    if (frame !== undefined) frames.push(frame);
    this.bytesConsumed += length;
    return true;
  }

  private readBlockBody(buf: Buffer, pos: number, length: number): Frame | undefined {
    switch (this.u32(buf, pos)) {
      case PCAPNG_MAGIC:
        this.readSectionHeader(buf, pos, length);
        return undefined;
      case IDB:
        this.readInterface(buf, pos, length);
        return undefined;
      case EPB:
        return this.readPacket(buf, pos, length, this.u32(buf, pos + 8));
      case PB:
        // The obsolete Packet Block: a 16-bit interface id and a 16-bit drop count where the
        // EPB has its 32-bit interface id; the rest is laid out as in an EPB.
        return this.readPacket(buf, pos, length, this.u16(buf, pos + 8));
      case SPB:
        return this.readSimplePacket(buf, pos, length);
      default:
        // Name resolution, statistics, journal, custom and unknown blocks carry no frames.
        return undefined;
    }
  }

  private readSectionHeader(buf: Buffer, pos: number, length: number): void {
    const offset = this.bytesConsumed;
    if (length < SHB_MIN_LENGTH) {
      this.tooShort(offset, 'Section Header Block', length, SHB_MIN_LENGTH);
      return;
    }
    const major = this.u16(buf, pos + 12);
    const minor = this.u16(buf, pos + 14);
    // A different major version means an incompatible layout. All 1.x share one layout, so any
    // minor is read (libpcap stops at minors other than 0 and 2; nothing is gained by that).
    if (major !== 1) {
      this.fail(
        'format',
        offset,
        `unsupported pcapng version ${major}.${minor} in the section at offset ${offset}`,
      );
      return;
    }
    if (this.sections === 0) {
      this.version = `${major}.${minor}`;
      this.firstLittleEndian = this.littleEndian;
    }
    this.sections++;
    this.sectionInterfaces = [];
  }

  private readInterface(buf: Buffer, pos: number, length: number): void {
    const offset = this.bytesConsumed;
    if (length < IDB_MIN_LENGTH) {
      this.tooShort(offset, 'Interface Description Block', length, IDB_MIN_LENGTH);
      return;
    }
    const options = this.readInterfaceOptions(buf, pos + 16, pos + length - 4, offset);
    if (options === undefined) return;
    const iface: Interface = {
      id: this.interfaces.length,
      linkType: this.u16(buf, pos + 8),
      snapLen: this.u32(buf, pos + 12),
      clock: new Clock(options.tsBase, options.tsExponent, options.tsOffset),
    };
    this.sectionInterfaces.push(iface);
    this.interfaces.push({
      id: iface.id,
      section: this.sections - 1,
      linkType: iface.linkType,
      snapLen: iface.snapLen,
      tsDigits: iface.clock.digits,
      fcsLength: options.fcsLength,
    });
  }

  private readInterfaceOptions(
    buf: Buffer,
    start: number,
    end: number,
    offset: number,
  ): InterfaceOptions | undefined {
    const options: InterfaceOptions = {
      tsBase: 10,
      tsExponent: 6,
      tsOffset: 0,
      fcsLength: undefined,
    };
    for (let pos = start; pos + 4 <= end;) {
      const code = this.u16(buf, pos);
      const length = this.u16(buf, pos + 2);
      if (code === OPT_ENDOFOPT) break;
      const value = pos + 4;
      if (value + length > end) {
        this.fail(
          'bogus',
          offset,
          `Interface Description Block at offset ${offset}: option ${code} (${length} bytes) runs past the block`,
        );
        return undefined;
      }
      if (code === IF_TSRESOL && length >= 1) {
        const resolution = buf[value];
        // High bit set: the rest is a power of two (2^-n s); clear: a power of ten (10^-n s).
        options.tsBase = resolution & 0x80 ? 2 : 10;
        options.tsExponent = resolution & 0x7f;
      } else if (code === IF_TSOFFSET && length >= 8) {
        const seconds = this.littleEndian ? buf.readBigInt64LE(value) : buf.readBigInt64BE(value);
        options.tsOffset = Number(seconds);
      } else if (code === IF_FCSLEN && length >= 1) {
        options.fcsLength = buf[value];
      }
      pos = value + ((length + 3) & ~3);
    }
    return options;
  }

  /** Enhanced and obsolete Packet Blocks, which differ only in how the interface id is stored. */
  private readPacket(
    buf: Buffer,
    pos: number,
    length: number,
    interfaceId: number,
  ): Frame | undefined {
    const offset = this.bytesConsumed;
    const name = blockName(this.u32(buf, pos));
    if (length < PACKET_MIN_LENGTH) return this.tooShort(offset, name, length, PACKET_MIN_LENGTH);
    const iface = this.sectionInterface(interfaceId, name, offset);
    if (iface === undefined) return undefined;
    const caplen = this.u32(buf, pos + 20);
    if (caplen > length - PACKET_MIN_LENGTH) {
      return this.runsPast(offset, name, caplen, length - PACKET_MIN_LENGTH);
    }
    iface.clock.set(this.u32(buf, pos + 12), this.u32(buf, pos + 16));
    const data = pos + PACKET_DATA_OFFSET;
    return {
      number: ++this.frameCount,
      data: buf.subarray(data, data + caplen),
      origLen: this.u32(buf, pos + 24),
      tsSec: iface.clock.sec,
      tsFrac: iface.clock.frac,
      tsDigits: iface.clock.digits,
      interfaceId: iface.id,
      linkType: iface.linkType,
      snapLen: iface.snapLen,
      fileOffset: offset,
    };
  }

  /** A Simple Packet Block: interface 0, no timestamp, and a captured length it leaves implicit. */
  private readSimplePacket(buf: Buffer, pos: number, length: number): Frame | undefined {
    const offset = this.bytesConsumed;
    if (length < SPB_MIN_LENGTH) {
      return this.tooShort(offset, 'Simple Packet Block', length, SPB_MIN_LENGTH);
    }
    const iface = this.sectionInterface(0, 'Simple Packet Block', offset);
    if (iface === undefined) return undefined;
    const origLen = this.u32(buf, pos + 8);
    let caplen = Math.min(origLen, length - SPB_MIN_LENGTH);
    if (iface.snapLen !== 0) caplen = Math.min(caplen, iface.snapLen);
    const data = pos + SPB_DATA_OFFSET;
    return {
      number: ++this.frameCount,
      data: buf.subarray(data, data + caplen),
      origLen,
      tsSec: 0,
      tsFrac: 0,
      tsDigits: iface.clock.digits,
      interfaceId: iface.id,
      linkType: iface.linkType,
      snapLen: iface.snapLen,
      fileOffset: offset,
    };
  }

  private sectionInterface(id: number, name: string, offset: number): Interface | undefined {
    const iface = this.sectionInterfaces[id];
    if (iface === undefined) {
      const declared = this.sectionInterfaces.length;
      const has =
        declared === 0
          ? 'no Interface Description Block before it'
          : `only ${declared} interface${declared === 1 ? '' : 's'}`;
      this.fail(
        'format',
        offset,
        `${name} at offset ${offset} refers to interface ${id}, but its section has ${has}`,
      );
    }
    return iface;
  }

  private endFault(): CaptureError | undefined {
    if (this.pendingLength === 0) {
      return this.bytesConsumed === 0 ? new CaptureError('file is empty', 0, 'format') : undefined;
    }
    const offset = this.bytesConsumed;
    const head = Buffer.concat(this.pending, Math.min(this.pendingLength, BLOCK_OVERHEAD));
    const have = this.pendingLength;
    this.pending = [];
    this.pendingLength = 0;
    // Under 12 bytes the length may not be readable yet (a Section Header Block's byte order
    // comes after it).
    if (head.length < BLOCK_OVERHEAD) {
      return new CaptureError(
        `capture appears to have been cut short in the middle of a block header: only ${have} bytes at offset ${offset}`,
        offset,
        'truncated',
      );
    }
    const type = this.u32(head, 0);
    const what = isPacketBlock(type) ? 'a packet' : 'a block';
    return new CaptureError(
      `capture appears to have been cut short in the middle of ${what}: the ${blockName(type)} at offset ${offset} has ${have} of its ${this.u32(head, 4)} bytes`,
      offset,
      'truncated',
    );
  }

  private tooShort(offset: number, name: string, length: number, minimum: number): undefined {
    this.fail(
      'bogus',
      offset,
      `${name} at offset ${offset} is ${length} bytes long, shorter than its ${minimum}-byte minimum`,
    );
    return undefined;
  }

  private runsPast(offset: number, name: string, caplen: number, room: number): undefined {
    this.fail(
      'bogus',
      offset,
      `${name} at offset ${offset} claims a captured length of ${caplen} bytes, but the block has room for ${room}`,
    );
    return undefined;
  }

  private fail(kind: CaptureError['kind'], offset: number, message: string): -1 {
    this.fault ??= new CaptureError(message, offset, kind);
    return -1;
  }

  private nameAt(buf: Buffer, pos: number): string {
    return blockName(this.u32(buf, pos));
  }

  private u32(buf: Buffer, pos: number): number {
    return this.littleEndian ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
  }

  private u16(buf: Buffer, pos: number): number {
    return this.littleEndian ? buf.readUInt16LE(pos) : buf.readUInt16BE(pos);
  }
}
