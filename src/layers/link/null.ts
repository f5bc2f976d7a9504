import { field, names, type Layer } from '../../fields.js';
import type { ProblemSink } from '../../problems.js';
import { ETHERTYPE_IPV4 } from './ethertypes.js';
import { openLinkLayer, type LinkResult } from './link.js';

export const nullFields = {
  family: field({
    abbrev: 'null.family',
    name: 'Family',
    kind: 'uint',
    names: names({ 2: 'IP', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' }),
  }),
};

const AF_INET = 2;

/**
 * BSD loopback (LINKTYPE_NULL 0): a 4-byte address family in the *capturing host's* byte order,
 * which the file does not record; a value too large for little-endian must be big-endian.
 */
export function decodeNull(data: Buffer, sink: ProblemSink, layers: Layer[]): LinkResult {
  if (!openLinkLayer('null', 4, 'loopback header', data, sink, layers)) return undefined;
  const little = data.readUInt32LE(0);
  const family = little > 0xffff ? data.readUInt32BE(0) : little;
  sink.out?.add(nullFields.family, family, 0, 4);
  return family === AF_INET
    ? { etherType: ETHERTYPE_IPV4, offset: 4 }
    : { etherType: -1, offset: 4 };
}
