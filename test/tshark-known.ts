import type { Difference } from './tshark-compare.js';

/**
 * Where igmpscope and tshark 4.0 part on purpose, each with its reason; every other cell of
 * every golden must be equal. (The goldens: scripts/tshark-goldens.ts, checked by hand.)
 */
export const KNOWN: { reason: string; applies: (d: Difference) => boolean }[] = [
  {
    reason:
      'tshark writes the calculated checksum whenever it checks one; igmpscope only when wrong',
    applies: (d) => d.field.endsWith('.checksum_calculated') && d.igmpscope === '',
  },
  {
    reason: "tshark's IPv6 layer repeats its version as a hidden ip.version; igmpscope does not",
    applies: (d) => d.field === 'ip.version',
  },
  {
    reason:
      'tshark appends [Malformed Packet] or [Packet size limited during capture] to Info; igmpscope lists problem ids after it',
    applies: (d) =>
      d.field === '_ws.col.Info' &&
      /\[(Malformed Packet|Packet size limited during capture)\]/.test(d.tshark),
  },
  {
    reason:
      'RFC 4286 multicast router discovery (0x30–0x32): tshark 4.0 knows only the older MRDISC draft and shows these types as unknown igmp data; igmpscope decodes them per the RFC in the mrdisc layer',
    applies: (d) => /^Unknown Type:0x3[012]$/.test(d.info),
  },
  {
    reason:
      'MSNIP Group Map holdtime: tshark 4.0 shows the count byte there; igmpscope the 32-bit holdtime the draft puts at bytes 4–7',
    applies: (d) => d.field === 'msnip.holdtime',
  },
  {
    reason:
      'PIMv1 Register checksum: tshark sums the first 8 bytes; igmpscope the whole message, as tcpdump and as IGMP checksums are (no RFC defines PIMv1)',
    applies: (d) => d.field === 'pim.cksum.status' && d.info === 'Register',
  },
  {
    reason:
      'IGMPv0 checksum: tshark sums the first 20 bytes; igmpscope the whole message as the IP length bounds it (the same for a 20-byte message)',
    applies: (d) => d.field === 'igmp.checksum.status' && d.protocol === 'IGMPv0',
  },
];

export function unexplained(differences: Difference[]): Difference[] {
  return differences.filter((d) => !KNOWN.some((k) => k.applies(d)));
}
