/**
 * The Internet checksum (RFC 1071), used by IPv4 headers (RFC 791 §3.1) and by every
 * IGMP-family message (RFC 2236 §2.3, RFC 3376 §4.1.2 / §4.2.2).
 */

/** Folded 16-bit one's-complement sum of big-endian words in buf[start, end). */
export function onesComplementSum(buf: Uint8Array, start = 0, end = buf.length): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  // RFC 1071 §4.1: an odd trailing byte is summed as if padded with a zero low byte.
  if (i < end) sum += buf[i] << 8;
  // End-around carry: fold until the sum fits 16 bits (RFC 1071 §2 (B)).
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * The value to store in a checksum field: the one's complement of the sum above, computed
 * with the field itself zeroed. Run over a message that already holds a correct checksum it
 * returns 0, which is how receivers verify (RFC 1071 §1).
 */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length): number {
  return ~onesComplementSum(buf, start, end) & 0xffff;
}
