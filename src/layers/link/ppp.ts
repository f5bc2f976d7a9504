import { startLayer } from '../../field-out.js';
import { field, names } from '../../fields.js';
import { report } from '../../problems.js';
import { u16 } from '../../read.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';

export const pppFields = {
  protocol: field({
    abbrev: 'ppp.protocol',
    name: 'Protocol',
    kind: 'uint',
    hexDigits: 4,
    names: names({
      0x0021: 'Internet Protocol version 4',
      0x0057: 'Internet Protocol version 6',
      0x0281: 'MPLS Unicast',
      0xc021: 'Link Control Protocol',
      0x8021: 'Internet Protocol Control Protocol',
      0x8057: 'IPv6 Control Protocol',
      0xc023: 'Password Authentication Protocol',
      0xc223: 'Challenge Handshake Authentication Protocol',
    }),
  }),
};

/** The PPP protocol field (RFC 1661 §2), as PPPoE carries it (no address or control bytes). */
function decodePpp(d: Dissection, start: number, end: number, wireEnd: number): void {
  const layer = startLayer(d.out, d.layers, 'ppp', start, Math.min(2, end - start));
  if (end - start < 2) {
    report(d, 'ppp.truncated', start, `PPP protocol field cut short`, layer);
    return;
  }
  const protocol = u16(d.frame.data, start);
  d.out?.add(pppFields.protocol, protocol, start, 2);
  handOff(d, TABLES['ppp.protocol'], protocol, start + 2, end, wireEnd);
}

export const ppp: Protocol = {
  name: 'ppp',
  longName: 'Point-to-Point Protocol',
  fields: Object.values(pppFields),
  problems: [
    {
      id: 'ppp.truncated',
      severity: 'warning',
      layer: 'ppp',
      description: 'PPP protocol field cut short',
    },
  ],
  decode: decodePpp,
  title: () => 'Point-to-Point Protocol',
};
