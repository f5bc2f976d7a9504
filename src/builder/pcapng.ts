/**
 * pcapng file writer (draft-ietf-opsawg-pcapng): Section Header, Interface Description,
 * Enhanced, Simple and obsolete Packet blocks, or any raw block. Each block is type, total
 * length, body padded to 4 bytes, total length again (§3.1), in its section's byte order.
 */

export const BlockType = {
  SectionHeader: 0x0a0d0d0a,
  InterfaceDescription: 0x00000001,
  Packet: 0x00000002,
  SimplePacket: 0x00000003,
  NameResolution: 0x00000004,
  InterfaceStatistics: 0x00000005,
  EnhancedPacket: 0x00000006,
} as const;

/** Read as 1a 2b 3c 4d in a big-endian section and 4d 3c 2b 1a in a little-endian one (§4.1). */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** if_tsresol (§4.2): one byte, 10^-n seconds, or 2^-n when the top bit is set. */
export const OPT_IF_TSRESOL = 9;

export interface PcapngOption {
  code: number;
  value: Buffer;
}

interface BlockCommon {
  /** Write a trailing total length 4 more than the leading one, to break the block. */
  badTrailer?: boolean;
}

export interface EnhancedPacketBlock extends BlockCommon {
  kind: 'epb';
  interfaceId: number;
  /** Units of the interface's if_tsresol (µs by default). */
  timestamp: bigint;
  data: Buffer;
  origLen?: number;
  /** Captured length as written, to lie. Default data.length. */
  capLen?: number;
  options?: PcapngOption[];
}

export interface SimplePacketBlock extends BlockCommon {
  kind: 'spb';
  data: Buffer;
  origLen?: number;
}

export interface ObsoletePacketBlock extends BlockCommon {
  kind: 'pb';
  interfaceId: number;
  drops?: number;
  timestamp: bigint;
  data: Buffer;
  origLen?: number;
  capLen?: number;
}

export interface RawBlock extends BlockCommon {
  kind: 'raw';
  /** Block type, e.g. 4 NRB, 5 ISB, 0x00000bad custom. */
  type: number;
  /** Body between the two lengths; padded to 4 bytes. */
  body: Buffer;
}

export type PcapngBlock = EnhancedPacketBlock | SimplePacketBlock | ObsoletePacketBlock | RawBlock;

export interface PcapngInterface extends BlockCommon {
  linkType: number;
  /** 0 = no limit. */
  snapLen?: number;
  /** Raw if_tsresol byte, e.g. 6 (µs, also the default when absent), 9 (ns), 0x8a (2^-10 s). */
  tsResol?: number;
  options?: PcapngOption[];
}

export interface PcapngSection extends BlockCommon {
  bigEndian?: boolean;
  majorVersion?: number;
  minorVersion?: number;
  options?: PcapngOption[];
  interfaces: PcapngInterface[];
  blocks: PcapngBlock[];
}

export interface PcapngFileOptions {
  sections: PcapngSection[];
}

/** Fixed-size field writer in one byte order. */
class Fields {
  readonly buf: Buffer;
  constructor(
    size: number,
    private readonly be: boolean,
  ) {
    this.buf = Buffer.alloc(size);
  }
  u16(offset: number, value: number): this {
    if (this.be) this.buf.writeUInt16BE(value, offset);
    else this.buf.writeUInt16LE(value, offset);
    return this;
  }
  u32(offset: number, value: number): this {
    if (this.be) this.buf.writeUInt32BE(value >>> 0, offset);
    else this.buf.writeUInt32LE(value >>> 0, offset);
    return this;
  }
  /** A 64-bit timestamp as two 32-bit halves, high first (§4.3). */
  timestamp(offset: number, value: bigint): this {
    return this.u32(offset, Number((value >> 32n) & 0xffffffffn)).u32(
      offset + 4,
      Number(value & 0xffffffffn),
    );
  }
}

function pad4(data: Buffer): Buffer {
  const rest = data.length % 4;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - rest)]);
}

/** Options list (§3.5): code, length, value padded to 4; ended by opt_endofopt when non-empty. */
function encodeOptions(options: PcapngOption[], be: boolean): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const parts = options.map((o) =>
    Buffer.concat([new Fields(4, be).u16(0, o.code).u16(2, o.value.length).buf, pad4(o.value)]),
  );
  return Buffer.concat([...parts, Buffer.alloc(4)]); // opt_endofopt: code 0, length 0
}

/** Frames a body into a block, with a trailing length that disagrees when asked. */
function frameBlock(type: number, body: Buffer, be: boolean, badTrailer = false): Buffer {
  const padded = pad4(body);
  const total = 12 + padded.length;
  const head = new Fields(8, be).u32(0, type).u32(4, total).buf;
  const tail = new Fields(4, be).u32(0, badTrailer ? total + 4 : total).buf;
  return Buffer.concat([head, padded, tail]);
}

function sectionHeader(s: PcapngSection, be: boolean): Buffer {
  const fixed = new Fields(16, be)
    .u32(0, BYTE_ORDER_MAGIC)
    .u16(4, s.majorVersion ?? 1)
    .u16(6, s.minorVersion ?? 0);
  fixed.buf.fill(0xff, 8, 16); // Section Length -1: not given (§4.1)
  const body = Buffer.concat([fixed.buf, encodeOptions(s.options ?? [], be)]);
  return frameBlock(BlockType.SectionHeader, body, be, s.badTrailer);
}

function interfaceDescription(i: PcapngInterface, be: boolean): Buffer {
  const fixed = new Fields(8, be).u16(0, i.linkType).u32(4, i.snapLen ?? 0);
  const options = [...(i.options ?? [])];
  if (i.tsResol !== undefined) {
    options.unshift({ code: OPT_IF_TSRESOL, value: Buffer.from([i.tsResol]) });
  }
  const body = Buffer.concat([fixed.buf, encodeOptions(options, be)]);
  return frameBlock(BlockType.InterfaceDescription, body, be, i.badTrailer);
}

function enhancedPacket(b: EnhancedPacketBlock, be: boolean): Buffer {
  const fixed = new Fields(20, be)
    .u32(0, b.interfaceId)
    .timestamp(4, b.timestamp)
    .u32(12, b.capLen ?? b.data.length)
    .u32(16, b.origLen ?? b.data.length);
  const body = Buffer.concat([fixed.buf, pad4(b.data), encodeOptions(b.options ?? [], be)]);
  return frameBlock(BlockType.EnhancedPacket, body, be, b.badTrailer);
}

/** SPB (§4.4): only the original length; the captured length follows from the block length. */
function simplePacket(b: SimplePacketBlock, be: boolean): Buffer {
  const fixed = new Fields(4, be).u32(0, b.origLen ?? b.data.length);
  return frameBlock(BlockType.SimplePacket, Buffer.concat([fixed.buf, b.data]), be, b.badTrailer);
}

/** Obsolete Packet Block (appendix A): 16-bit interface id and drops count. */
function obsoletePacket(b: ObsoletePacketBlock, be: boolean): Buffer {
  const fixed = new Fields(20, be)
    .u16(0, b.interfaceId)
    .u16(2, b.drops ?? 0)
    .timestamp(4, b.timestamp)
    .u32(12, b.capLen ?? b.data.length)
    .u32(16, b.origLen ?? b.data.length);
  return frameBlock(BlockType.Packet, Buffer.concat([fixed.buf, b.data]), be, b.badTrailer);
}

function encodeBlock(b: PcapngBlock, be: boolean): Buffer {
  switch (b.kind) {
    case 'epb':
      return enhancedPacket(b, be);
    case 'spb':
      return simplePacket(b, be);
    case 'pb':
      return obsoletePacket(b, be);
    case 'raw':
      return frameBlock(b.type, b.body, be, b.badTrailer);
  }
}

/** One section: SHB, its IDBs (ids 0, 1, … in order), then its blocks. */
export function pcapngSection(s: PcapngSection): Buffer {
  const be = s.bigEndian ?? false;
  return Buffer.concat([
    sectionHeader(s, be),
    ...s.interfaces.map((i) => interfaceDescription(i, be)),
    ...s.blocks.map((b) => encodeBlock(b, be)),
  ]);
}

/** A whole pcapng file in memory. */
export function pcapngFile(o: PcapngFileOptions): Buffer {
  return Buffer.concat(o.sections.map(pcapngSection));
}
