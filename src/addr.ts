/** Address rendering shared by every layer (decoders and outputs). */

export function ipv4At(buf: Buffer, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

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
