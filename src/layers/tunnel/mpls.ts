import { startLayer } from '../../field-out.js';
import { field, names } from '../../fields.js';
import { report } from '../../problems.js';
import { handOff, handOffTo, TABLES, type Dissection, type Protocol } from '../registry.js';

export const mplsFields = {
  label: field({
    abbrev: 'mpls.label',
    name: 'MPLS Label',
    kind: 'uint',
    mask: 0xfffff000,
    bitWidth: 32,
    show: (n) => `${n.value as number} (0x${(n.value as number).toString(16).padStart(5, '0')})`,
  }),
  exp: field({
    abbrev: 'mpls.exp',
    name: 'MPLS Experimental Bits',
    kind: 'uint',
    mask: 0x00000e00,
    bitWidth: 32,
  }),
  bottom: field({
    abbrev: 'mpls.bottom',
    name: 'MPLS Bottom Of Label Stack',
    kind: 'uint',
    mask: 0x00000100,
    bitWidth: 32,
  }),
  ttl: field({ abbrev: 'mpls.ttl', name: 'MPLS TTL', kind: 'uint', mask: 0xff, bitWidth: 32 }),
  /** Ours: MPLS does not say what it carries; like tshark, the first nibble decides. */
  payloadGuess: field({
    abbrev: 'mpls.payload_guess',
    name: 'Payload, guessed from its first nibble as tshark does',
    kind: 'string',
    ours: true,
    generated: true,
    blurb: 'what the label stack carries, guessed from the first nibble after it (4 IPv4, 6 IPv6)',
  }),
};

const GUESSES = names({ 4: 'IPv4', 6: 'IPv6' });
const ENTRY = 4;

/**
 * One MPLS label stack entry (RFC 3032 §2.1): each entry is a layer, as tshark shows them.
 * After the bottom of the stack the payload names itself only by its first nibble.
 */
function decodeMpls(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'mpls', start, Math.min(ENTRY, end - start));
  if (end - start < ENTRY) {
    const message = `MPLS label stack entry needs 4 bytes, ${end - start} captured`;
    report(d, 'mpls.truncated', start, message, layer);
    return;
  }
  const word = data.readUInt32BE(start);
  const bottom = (word >>> 8) & 1;
  const out = d.out;
  if (out) {
    out.add(mplsFields.label, word >>> 12, start, 4, word);
    out.add(mplsFields.exp, (word >>> 9) & 7, start, 4, word);
    out.add(mplsFields.bottom, bottom, start, 4, word);
    out.add(mplsFields.ttl, word & 0xff, start, 4, word);
  }
  const payload = start + ENTRY;
  if (bottom === 0) {
    handOffTo(d, 'mpls', payload, end, wireEnd);
    return;
  }
  if (payload >= end) return;
  const nibble = data[payload] >>> 4;
  const guess = GUESSES.get(nibble);
  if (out && guess !== undefined) out.add(mplsFields.payloadGuess, guess, payload, 0);
  handOff(d, TABLES['ip.version'], nibble, payload, end, wireEnd);
}

export const mpls: Protocol = {
  name: 'mpls',
  longName: 'MultiProtocol Label Switching Header',
  fields: Object.values(mplsFields),
  problems: [
    {
      id: 'mpls.truncated',
      severity: 'warning',
      layer: 'mpls',
      description: 'MPLS label stack entry cut short',
    },
  ],
  registrations: [
    { table: 'ethertype', key: 0x8847 },
    { table: 'ethertype', key: 0x8848 },
    { table: 'gre.proto', key: 0x8847 },
    { table: 'ppp.protocol', key: 0x0281 },
  ],
  decode: decodeMpls,
  chainOnce: true,
  column: () => 'MPLS',
  info: () => 'MPLS Label Switched Packet',
  titleFields: [mplsFields.label, mplsFields.exp, mplsFields.bottom, mplsFields.ttl],
  title: (_layer, nodes) => {
    const value = (i: number): string => String(nodes[i]?.value ?? '?');
    return `MultiProtocol Label Switching Header, Label: ${value(0)}, Exp: ${value(1)}, S: ${value(2)}, TTL: ${value(3)}`;
  },
  linkKey: (data, layer) =>
    layer.offset + 4 <= data.length ? `mpls${data.readUInt32BE(layer.offset) >>> 12}` : undefined,
};
