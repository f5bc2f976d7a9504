/**
 * RGMP, the Router-port Group Management Protocol (RFC 3488): IGMP types 0xfc–0xff, sent by
 * multicast routers to 224.0.0.25 (IGMP hands them over only there, as Wireshark does).
 */
import { ipv4At } from '../../addr.js';
import { field, hex } from '../../fields.js';
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
import { RGMP_TYPE_NAMES } from './types.js';

const checksum = messageChecksum('rgmp');

export const rgmpFields = {
  type: field({
    abbrev: 'rgmp.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => `${nameOr(RGMP_TYPE_NAMES, n.value as number)} (${hex(n.value as number, 2)})`,
  }),
  reserved: field({ abbrev: 'rgmp.reserved', name: 'Reserved', kind: 'uint', hexDigits: 2 }),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
  maddr: field({ abbrev: 'rgmp.maddr', name: 'Multicast group address', kind: 'ipv4' }),
};

/** RFC 3488: type, reserved, checksum, group address. */
const RGMP_LENGTH = 8;

/**
 * RFC 3488: type (Hello, Bye, Join, Leave), a reserved byte, the checksum over the whole
 * message, and the group (0.0.0.0 in Hello and Bye).
 */
function decodeRgmp(d: Dissection, start: number, end: number, wireEnd: number): void {
  const b = beginMessage(d, 'rgmp', 'RGMP', start, end, wireEnd, 'rgmp.truncated');
  decodeRgmpBody(b, start);
  endMessage(b);
}

function decodeRgmpBody(b: Bounds, start: number): void {
  const { data } = b;
  const out = b.out;
  out?.add(rgmpFields.type, b.msg.type, start, 1);
  if (!b.has(start + 1, 1, 'rgmp.too_short', SHORTER_THAN, RGMP_LENGTH)) return;
  out?.add(rgmpFields.reserved, data[start + 1], start + 1, 1);
  if (!b.has(start + 2, 2, 'rgmp.too_short', SHORTER_THAN, RGMP_LENGTH)) return;
  putMessageChecksum(b, checksum, b.length >= RGMP_LENGTH);
  if (!b.has(start + 4, 4, 'rgmp.too_short', SHORTER_THAN, RGMP_LENGTH)) return;
  const group = ipv4At(data, start + 4);
  b.msg.group = group;
  out?.add(rgmpFields.maddr, group, start + 4, 4);
}

export const rgmp: Protocol = {
  name: 'rgmp',
  longName: 'Router-port Group Management Protocol',
  fields: Object.values(rgmpFields),
  problems: messageProblems('rgmp', 'RGMP', 'RFC 3488', 'RFC 3488'),
  decode: decodeRgmp,
  title: () => 'Router-port Group Management Protocol',
  column: () => 'RGMP',
  info: (d, layer) => (d.igmp?.start === layer.offset ? igmpInfo(d.igmp) : ''),
};
