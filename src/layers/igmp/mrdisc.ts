/**
 * Multicast router discovery: RFC 4286 MRD (IGMP types 0x30 Advertisement, 0x31 Solicitation,
 * 0x32 Termination, wherever they are sent) and the old MRDISC draft's Termination (0x26 to
 * 224.0.0.2), the one message of that draft Wireshark 4.0 decodes. Both are the `mrdisc`
 * layer, Wireshark's name for the protocol. Wireshark 4.0 knows nothing of RFC 4286 and shows
 * its types as unknown: igmpscope follows the RFC (see the README).
 */
import { field, hex } from '../../fields.js';
import { u16 } from '../../read.js';
import type { Dissection, Protocol } from '../registry.js';
import { igmpInfo } from './info.js';
import {
  beginMessage,
  endMessage,
  messageChecksum,
  messageProblems,
  nameOr,
  putMessageChecksum,
  SHORTER_THAN,
  type Bounds,
} from './message.js';
import { MRDISC_TYPE_NAMES } from './types.js';

const checksum = messageChecksum('mrdisc');

export const mrdiscFields = {
  type: field({
    abbrev: 'mrdisc.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => `${nameOr(MRDISC_TYPE_NAMES, n.value as number)} (${hex(n.value as number, 2)})`,
  }),
  advInt: field({
    abbrev: 'mrdisc.adv_int',
    name: 'Advertising Interval',
    kind: 'uint',
    blurb: 'seconds between the router’s advertisements (RFC 4286 §3.1.1)',
  }),
  reserved: field({
    abbrev: 'mrdisc.reserved',
    name: 'Reserved',
    kind: 'uint',
    hexDigits: 2,
    blurb: 'byte 1 of an RFC 4286 Solicitation or Termination (sent as 0, ignored on receipt)',
    ours: true,
  }),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
  queryInt: field({
    abbrev: 'mrdisc.query_int',
    name: 'Query Interval',
    kind: 'uint',
    blurb: 'the IGMP Query Interval the router uses, in seconds',
  }),
  robVar: field({
    abbrev: 'mrdisc.rob_var',
    name: 'Robustness Variable',
    kind: 'uint',
    blurb: 'the IGMP Robustness Variable the router uses',
  }),
};
const F = mrdiscFields;

const ADVERTISEMENT = 0x30;
const OLD_TERMINATION = 0x26;
/** RFC 4286 §3: an Advertisement is 8 bytes; §4 and §5: a Solicitation or Termination 4. */
const ADVERTISEMENT_LENGTH = 8;
const SHORT_MESSAGE = 4;

/**
 * RFC 4286 §3 Advertisement: type, Advertisement Interval, checksum, Query Interval and
 * Robustness Variable (16 bits each); §4 Solicitation and §5 Termination: type, reserved,
 * checksum. The checksum covers the whole IGMP message (§3, the same for all three). The old
 * draft's Termination is shown as Wireshark shows it: type and checksum.
 */
function decodeMrdisc(d: Dissection, start: number, end: number, wireEnd: number): void {
  const b = beginMessage(d, 'mrdisc', 'MRDISC', start, end, wireEnd, 'mrdisc.truncated');
  decodeMrdiscBody(b, start);
  endMessage(b);
}

function decodeMrdiscBody(b: Bounds, start: number): void {
  const { data } = b;
  const type = b.msg.type;
  const out = b.out;
  out?.add(F.type, type, start, 1);
  const min = type === ADVERTISEMENT ? ADVERTISEMENT_LENGTH : SHORT_MESSAGE;
  if (!b.has(start + 1, 1, 'mrdisc.too_short', SHORTER_THAN, min)) return;
  if (type === ADVERTISEMENT) out?.add(F.advInt, data[start + 1], start + 1, 1);
  else if (type !== OLD_TERMINATION) out?.add(F.reserved, data[start + 1], start + 1, 1);
  if (!b.has(start + 2, 2, 'mrdisc.too_short', SHORTER_THAN, min)) return;
  putMessageChecksum(b, checksum, b.length >= min);
  if (type !== ADVERTISEMENT) return;
  if (!b.has(start + 4, 4, 'mrdisc.too_short', SHORTER_THAN, min)) return;
  out?.add(F.queryInt, u16(data, start + 4), start + 4, 2);
  out?.add(F.robVar, u16(data, start + 6), start + 6, 2);
}

export const mrdisc: Protocol = {
  name: 'mrdisc',
  longName: 'Multicast Router DISCovery protocol',
  fields: Object.values(F),
  problems: messageProblems(
    'mrdisc',
    'Multicast router discovery',
    'RFC 4286 §3–§5',
    'RFC 4286 §3',
  ),
  decode: decodeMrdisc,
  title: () => 'Multicast Router DISCovery protocol',
  column: () => 'MRDISC',
  info: (d, layer) => (d.igmp?.start === layer.offset ? igmpInfo(d.igmp) : ''),
};
