/** Address rendering shared by every layer (decoders and outputs). */

/**
 * The dotted quad of the 4 bytes at `offset`. A capture names the same few hosts and groups
 * over and over: a small direct-mapped cache hands back the string made the first time, which
 * saves building it (the largest cost of the decoders' fast path) and lets its hash, once
 * computed for a Map key, be reused.
 */
export function ipv4At(buf: Buffer, offset: number): string {
  const a = buf[offset];
  const b = buf[offset + 1];
  const c = buf[offset + 2];
  const d = buf[offset + 3];
  const key = (a << 24) | (b << 16) | (c << 8) | d | 0;
  const slot = (key ^ (key >>> 12) ^ (key >>> 20)) & (ADDRESS_SLOTS - 1);
  const cached = addressStrings[slot];
  if (cached !== undefined && addressKeys[slot] === key) return cached;
  const text = DECIMAL[a] + '.' + DECIMAL[b] + '.' + DECIMAL[c] + '.' + DECIMAL[d];
  addressKeys[slot] = key;
  addressStrings[slot] = text;
  return text;
}

const ADDRESS_SLOTS = 4096;
const addressKeys = new Int32Array(ADDRESS_SLOTS);
const addressStrings: (string | undefined)[] = new Array<string | undefined>(ADDRESS_SLOTS).fill(
  undefined,
);
const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

export function macAt(buf: Buffer, offset: number): string {
  return (
    HEX2[buf[offset]] +
    ':' +
    HEX2[buf[offset + 1]] +
    ':' +
    HEX2[buf[offset + 2]] +
    ':' +
    HEX2[buf[offset + 3]] +
    ':' +
    HEX2[buf[offset + 4]] +
    ':' +
    HEX2[buf[offset + 5]]
  );
}

/** 224.0.0.0/4 (RFC 5771). */
export function isMulticastIpv4(address: string): boolean {
  const first = Number(address.slice(0, address.indexOf('.')));
  return first >= 224 && first <= 239;
}

/** The Ethernet address an IPv4 multicast group maps to: 01:00:5e + low 23 bits (RFC 1112 §6.4),
 * read from the address bytes in a packet. */
export function multicastMacAt(buf: Buffer, offset: number): string {
  return `01:00:5e:${HEX2[buf[offset + 1] & 0x7f]}:${HEX2[buf[offset + 2]]}:${HEX2[buf[offset + 3]]}`;
}
