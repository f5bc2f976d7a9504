import { u16 } from '../../read.js';

const MIN_HEADER = 20;

/**
 * Where an IPv4 datagram starting at `start` ends in the captured bytes up to `end` (its total
 * length, or at least its header, clipped to what was captured): what follows is link-layer
 * padding or trailer. Undefined when there is no IPv4 header to read (the IPv4 decoder says why).
 */
export function ipv4DatagramEnd(data: Buffer, start: number, end: number): number | undefined {
  if (end - start < MIN_HEADER) return undefined;
  const headerLength = (data[start] & 0x0f) * 4;
  if (data[start] >>> 4 !== 4 || headerLength < MIN_HEADER) return undefined;
  const totalLength = u16(data, start + 2);
  const datagramEnd = Math.min(start + Math.max(totalLength, headerLength), end);
  return Math.max(datagramEnd, Math.min(start + headerLength, end));
}
