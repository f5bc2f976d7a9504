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

/** The MAC at `offset`, colon-separated; cached like ipv4At (a capture names few hosts). */
export function macAt(buf: Buffer, offset: number): string {
  const high = (buf[offset] << 8) | buf[offset + 1];
  const low =
    (buf[offset + 2] << 24) |
    (buf[offset + 3] << 16) |
    (buf[offset + 4] << 8) |
    buf[offset + 5] |
    0;
  const slot = (low ^ (low >>> 13) ^ (high * 31)) & (MAC_SLOTS - 1);
  const cached = macStrings[slot];
  if (cached !== undefined && macLows[slot] === low && macHighs[slot] === high) return cached;
  const text =
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
    HEX2[buf[offset + 5]];
  macHighs[slot] = high;
  macLows[slot] = low;
  macStrings[slot] = text;
  return text;
}

const MAC_SLOTS = 1024;
const macHighs = new Int32Array(MAC_SLOTS);
const macLows = new Int32Array(MAC_SLOTS);
const macStrings: (string | undefined)[] = new Array<string | undefined>(MAC_SLOTS).fill(undefined);

/**
 * Whether the MAC at `macAt` is the one RFC 1112 §6.4 maps the IPv4 multicast address at
 * `ipAt` to: 01:00:5e and the address's low 23 bits.
 */
export function isMulticastMacOf(buf: Buffer, macAt: number, ipAt: number): boolean {
  return (
    buf[macAt] === 0x01 &&
    buf[macAt + 1] === 0x00 &&
    buf[macAt + 2] === 0x5e &&
    buf[macAt + 3] === (buf[ipAt + 1] & 0x7f) &&
    buf[macAt + 4] === buf[ipAt + 2] &&
    buf[macAt + 5] === buf[ipAt + 3]
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

/**
 * The IPv6 address of the 16 bytes at `offset` in RFC 5952 text: lowercase, leading zeros
 * dropped, the longest run of two or more zero groups (the first of equals) as `::`.
 */
export function ipv6At(buf: Buffer, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((buf[offset + 2 * i] << 8) | buf[offset + 2 * i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}
