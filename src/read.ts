/**
 * A big-endian 16-bit field. Buffer#readUInt16BE checks its argument on every call; the
 * decoders check their bounds before they read, and this was a visible cost of the fast path.
 */
export function u16(data: Uint8Array, at: number): number {
  return (data[at] << 8) | data[at + 1];
}
