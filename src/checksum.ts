/**
 * The Internet checksum (RFC 1071): one's-complement sum of 16-bit big-endian words.
 * `sum(buf, start, end)` folds the sum; a message whose checksum field is correct sums to 0xffff.
 */
export function onesComplementSum(buf: Buffer, start: number, end: number): number {
  let sum = 0;
  let i = start;
  const evenEnd = end - ((end - start) & 1);
  for (; i < evenEnd; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (i < end) sum += buf[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * The checksum field value the message should carry: computed as if the field (at
 * `fieldOffset`) were zero.
 */
export function expectedChecksum(
  buf: Buffer,
  start: number,
  end: number,
  fieldOffset: number,
): number {
  let sum = onesComplementSum(buf, start, end);
  // Remove the stored field from the sum (one's-complement subtraction = adding its complement).
  sum += ~((buf[fieldOffset] << 8) | buf[fieldOffset + 1]) & 0xffff;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const CRC32_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  return c >>> 0;
});

/** IEEE 802.3 CRC-32 (reflected, polynomial 0xedb88320), as 802.3 and 802.11 FCSs use it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC32_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
