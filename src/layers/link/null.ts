import { startLayer } from '../../field-out.js';
import { field, names } from '../../fields.js';
import { report } from '../../problems.js';
import { handOff, TABLES, type Dissection, type Protocol } from '../registry.js';
import { LINKTYPE_NULL } from './linktypes.js';

export const nullFields = {
  family: field({
    abbrev: 'null.family',
    name: 'Family',
    kind: 'uint',
    names: names({ 2: 'IP', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' }),
  }),
};

const HEADER = 4;
const AF_INET = 2;
/** AF_INET6 differs between BSDs (NetBSD/OpenBSD 24, FreeBSD 28, macOS 30). */
const AF_INET6: readonly number[] = [24, 28, 30];

/**
 * BSD loopback (LINKTYPE_NULL 0): a 4-byte address family in the *capturing host's* byte order,
 * which the file does not record; a value too large for little-endian must be big-endian.
 */
function decodeNull(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const layer = startLayer(d.out, d.layers, 'null', start, Math.min(HEADER, end - start));
  if (end - start < HEADER) {
    const message = `loopback header needs ${HEADER} bytes, frame has ${end - start}`;
    report(d, 'null.truncated', start, message, layer);
    return;
  }
  const little = data.readUInt32LE(start);
  const family = little > 0xffff ? data.readUInt32BE(start) : little;
  d.out?.add(nullFields.family, family, start, 4);
  const version = family === AF_INET ? 4 : AF_INET6.includes(family) ? 6 : -1;
  if (version > 0) handOff(d, TABLES['ip.version'], version, start + HEADER, end, wireEnd);
}

export const nullLoopback: Protocol = {
  name: 'null',
  longName: 'Null/Loopback',
  fields: Object.values(nullFields),
  problems: [
    {
      id: 'null.truncated',
      severity: 'warning',
      layer: 'null',
      description: 'BSD loopback header cut short',
    },
  ],
  registrations: [{ table: 'link', key: LINKTYPE_NULL }],
  decode: decodeNull,
  title: () => 'Null/Loopback',
};
