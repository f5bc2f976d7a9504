/** IPv4 datagram builder (RFC 791 §3.1), correct by default, with overrides for lies. */
import { ipv4Bytes } from './addr.js';
import { internetChecksum } from './checksum.js';

/** Largest header RFC 791 allows: IHL is 4 bits of 32-bit words. */
const MAX_HEADER = 60;

/** Router Alert option (RFC 2113 §2.1): type 148 (copied, class 0, number 20), length 4. */
export function routerAlertOption(value = 0): Buffer {
  const out = Buffer.from([0x94, 0x04, 0, 0]);
  out.writeUInt16BE(value, 2);
  return out;
}

export interface Ipv4Options {
  src: string;
  dst: string;
  payload: Buffer;
  /** Default 2, IGMP. */
  protocol?: number;
  /** Default 1: IGMP never leaves the link (RFC 2236 §2, RFC 3376 §4). */
  ttl?: number;
  /** Default 0xc0, precedence Internetwork Control (RFC 3376 §4). */
  tos?: number;
  /** Identification. Default 0. */
  id?: number;
  df?: boolean;
  mf?: boolean;
  /** Fragment offset in 8-byte units. Default 0. */
  fragOffset?: number;
  /** Extra options, placed after the Router Alert; zero-padded to 4 bytes (End of Option List). */
  options?: Buffer;
  /** Prepend the Router Alert option v2 and v3 messages need. Default true. */
  routerAlert?: boolean;
  /** Total Length as written, to lie about the datagram size. */
  totalLength?: number;
  /** Header checksum as written, to make it wrong. */
  headerChecksum?: number;
  /** IHL nibble as written, to lie about the header length (the bytes laid out stay the same). */
  ihl?: number;
}

function optionBytes(o: Ipv4Options): Buffer {
  const parts = [];
  if (o.routerAlert ?? true) parts.push(routerAlertOption());
  if (o.options) parts.push(o.options);
  const raw = Buffer.concat(parts);
  // RFC 791: the options area is padded with zeros (End of Option List) to a 32-bit boundary.
  const padded = Buffer.alloc(Math.ceil(raw.length / 4) * 4);
  raw.copy(padded);
  if (20 + padded.length > MAX_HEADER) {
    throw new RangeError(`IPv4 options too long: ${padded.length} bytes (at most 40)`);
  }
  return padded;
}

function flagsAndOffset(o: Ipv4Options): number {
  const offset = o.fragOffset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > 0x1fff) {
    throw new RangeError(`fragOffset must fit 13 bits, got ${offset}`);
  }
  return (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | offset;
}

/** An IPv4 datagram: header (with options) followed by the payload. */
export function ipv4(o: Ipv4Options): Buffer {
  const options = optionBytes(o);
  const header = Buffer.alloc(20 + options.length);
  const ihl = o.ihl ?? header.length / 4;
  if (!Number.isInteger(ihl) || ihl < 0 || ihl > 0x0f) {
    throw new RangeError(`ihl must fit 4 bits, got ${ihl}`);
  }
  header.writeUInt8(0x40 | ihl, 0);
  header.writeUInt8(o.tos ?? 0xc0, 1);
  header.writeUInt16BE(o.totalLength ?? header.length + o.payload.length, 2);
  header.writeUInt16BE(o.id ?? 0, 4);
  header.writeUInt16BE(flagsAndOffset(o), 6);
  header.writeUInt8(o.ttl ?? 1, 8);
  header.writeUInt8(o.protocol ?? 2, 9);
  ipv4Bytes(o.src).copy(header, 12);
  ipv4Bytes(o.dst).copy(header, 16);
  options.copy(header, 20);
  header.writeUInt16BE(o.headerChecksum ?? internetChecksum(header), 10);
  return Buffer.concat([header, o.payload]);
}
