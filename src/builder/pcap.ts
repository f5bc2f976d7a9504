/**
 * Classic libpcap file writer (draft-ietf-opsawg-pcap §4, §5): a 24-byte file header and a
 * 16-byte header per record, in the writer's byte order, which readers detect from the magic.
 */

/** Magic for microsecond timestamps; readers see d4 c3 b2 a1 in a little-endian file. */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
/** Magic for nanosecond timestamps (4d 3c b2 a1 little-endian). */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_FILE_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;

export interface PcapPacket {
  data: Buffer;
  tsSec: number;
  /** Microseconds, or nanoseconds in a nanosecond file. */
  tsFrac: number;
  /** Original length on the wire. Default data.length. */
  origLen?: number;
  /** Captured length as written, to lie about the record size. Default data.length. */
  capLen?: number;
}

export interface PcapHeaderOptions {
  /** LINKTYPE_* value. Default 1, Ethernet. */
  linkType?: number;
  /**
   * Bits OR-ed into the link type field above its low 16 bits: bits 28–31 hold the FCS length
   * in 16-bit words and bit 26 (0x0400_0000) says that length is present (§4), e.g. 0x3000_0000.
   */
  linkTypeHigh?: number;
  /** Default 65535. The writer does not cut data to it: pass cut data with origLen. */
  snapLen?: number;
  bigEndian?: boolean;
  nanosecond?: boolean;
  /** [major, minor] as written. Default [2, 4]. */
  version?: [number, number];
}

export interface PcapFileOptions extends PcapHeaderOptions {
  packets: Iterable<PcapPacket>;
}

/** Writes a 32-bit value in the file's byte order. */
export function writeU32(buf: Buffer, offset: number, value: number, bigEndian: boolean): void {
  if (bigEndian) buf.writeUInt32BE(value >>> 0, offset);
  else buf.writeUInt32LE(value >>> 0, offset);
}

function writeU16(buf: Buffer, offset: number, value: number, bigEndian: boolean): void {
  if (bigEndian) buf.writeUInt16BE(value, offset);
  else buf.writeUInt16LE(value, offset);
}

/** The 24-byte file header: magic, version, thiszone, sigfigs, snaplen, link type. */
export function pcapFileHeader(o: PcapHeaderOptions = {}): Buffer {
  const be = o.bigEndian ?? false;
  const [major, minor] = o.version ?? [2, 4];
  const out = Buffer.alloc(PCAP_FILE_HEADER_LENGTH);
  writeU32(out, 0, o.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, be);
  writeU16(out, 4, major, be);
  writeU16(out, 6, minor, be);
  // Bytes 8–15, thiszone and sigfigs, stay 0 as every modern writer leaves them (§4).
  writeU32(out, 16, o.snapLen ?? 65535, be);
  writeU32(out, 20, ((o.linkTypeHigh ?? 0) | (o.linkType ?? 1)) >>> 0, be);
  return out;
}

/** Writes the 16-byte record header for p at offset: seconds, fraction, caplen, orig len. */
export function writePcapRecordHeader(
  buf: Buffer,
  offset: number,
  p: PcapPacket,
  bigEndian: boolean,
): void {
  writeU32(buf, offset, p.tsSec, bigEndian);
  writeU32(buf, offset + 4, p.tsFrac, bigEndian);
  writeU32(buf, offset + 8, p.capLen ?? p.data.length, bigEndian);
  writeU32(buf, offset + 12, p.origLen ?? p.data.length, bigEndian);
}

/** One record: header then the data bytes as given. */
export function pcapRecord(p: PcapPacket, bigEndian = false): Buffer {
  const out = Buffer.alloc(PCAP_RECORD_HEADER_LENGTH + p.data.length);
  writePcapRecordHeader(out, 0, p, bigEndian);
  p.data.copy(out, PCAP_RECORD_HEADER_LENGTH);
  return out;
}

/** A whole classic pcap file in memory. */
export function pcapFile(o: PcapFileOptions): Buffer {
  const be = o.bigEndian ?? false;
  const records = Array.from(o.packets, (p) => pcapRecord(p, be));
  return Buffer.concat([pcapFileHeader(o), ...records]);
}
