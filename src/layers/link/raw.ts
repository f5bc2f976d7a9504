import { startLayer } from '../../field-out.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';
import { LINKTYPE_RAW } from './linktypes.js';

/** Raw IP links (DLT_RAW): no header; the version nibble tells IPv4 from IPv6. */
function decodeRaw(d: Dissection, start: number, end: number, wireEnd: number): void {
  startLayer(d.out, d.layers, 'raw', start, 0);
  if (end > start) handOff(d, TABLES['ip.version'], d.frame.data[start] >>> 4, start, end, wireEnd);
}

export const raw: Protocol = {
  name: 'raw',
  longName: 'Raw packet data',
  fields: [],
  registrations: LINKTYPE_RAW.map((key) => ({ table: 'link', key })),
  decode: decodeRaw,
  title: () => 'Raw packet data',
};
