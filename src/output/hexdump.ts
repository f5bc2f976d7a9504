import type { ByteBuffer } from './bytes.js';

const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * The hex and ASCII dump of a frame as `tshark -x` prints it: lines of a 4-digit hex offset,
 * two spaces, 16 bytes as hex pairs separated by spaces, three spaces, the bytes as ASCII (`.`
 * for anything not printable), then a blank line. Nothing from the packet reaches the terminal
 * as a control character.
 */
export function writeHexDump(out: ByteBuffer, data: Uint8Array): void {
  for (let at = 0; at < data.length; at += 16) {
    const end = Math.min(at + 16, data.length);
    for (let shift = 12; shift >= 0; shift -= 4) out.byte(HEX[(at >>> shift) & 15]);
    out.byte(32);
    out.byte(32);
    for (let i = at; i < at + 16; i++) {
      if (i < end) {
        out.byte(HEX[data[i] >>> 4]);
        out.byte(HEX[data[i] & 15]);
      } else {
        out.byte(32);
        out.byte(32);
      }
      if (i < at + 15) out.byte(32);
    }
    out.spaces(3);
    for (let i = at; i < end; i++) out.byte(data[i] >= 0x20 && data[i] < 0x7f ? data[i] : 46);
    out.byte(10);
  }
  out.byte(10);
}
