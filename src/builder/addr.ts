/** Address parsing for the builder: dotted IPv4 and colon-separated MAC text to bytes. */

const IPV4_TEXT = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MAC_TEXT = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/** "239.1.1.1" → 0xef010101. Throws RangeError on anything but four decimal octets. */
export function ipv4ToUint32(text: string): number {
  const m = IPV4_TEXT.exec(text);
  if (!m) throw new RangeError(`not a dotted IPv4 address: ${JSON.stringify(text)}`);
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) throw new RangeError(`IPv4 octet above 255: ${text}`);
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

/** "239.1.1.1" → <ef 01 01 01> (network byte order). */
export function ipv4Bytes(text: string): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(ipv4ToUint32(text), 0);
  return out;
}

/** 0xef010101 → "239.1.1.1". */
export function uint32ToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

/** Class D, 224.0.0.0/4 (RFC 1112 §4). */
export function isMulticastIpv4(address: string | number): boolean {
  const value = typeof address === 'number' ? address : ipv4ToUint32(address);
  return value >>> 28 === 0xe;
}

/** "01:00:5e:00:00:16" (or with dashes) → 6 bytes. */
export function macBytes(text: string): Buffer {
  if (!MAC_TEXT.test(text)) throw new RangeError(`not a MAC address: ${JSON.stringify(text)}`);
  return Buffer.from(text.replace(/[:-]/g, ''), 'hex');
}

/** 6 bytes → "01:00:5e:00:00:16". */
export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * The Ethernet address a multicast IPv4 group is sent to: 01:00:5e followed by the low 23
 * bits of the group, so 32 groups share each MAC (RFC 1112 §6.4).
 */
export function multicastMac(group: string | number): Buffer {
  const value = typeof group === 'number' ? group : ipv4ToUint32(group);
  const low23 = value & 0x7fffff;
  return Buffer.from([0x01, 0x00, 0x5e, low23 >>> 16, (low23 >>> 8) & 0xff, low23 & 0xff]);
}
