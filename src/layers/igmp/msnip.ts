/**
 * MSNIP, Multicast Source Notification of Interest Protocol (draft-ietf-magma-msnip): IGMP
 * types 0x23–0x25 between sources and routers at 224.0.0.22 (IGMP hands them over only there,
 * as Wireshark does).
 */
import { ipv4At } from '../../addr.js';
import type { FieldOut } from '../../field-out.js';
import { field, hex, names } from '../../fields.js';
import { report } from '../../problems.js';
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
  type Describe,
} from './message.js';
import { MSNIP_TYPE_NAMES } from './types.js';

const checksum = messageChecksum('msnip');

const RECORD_TYPES = names({
  1: 'Request to start transmitting group',
  2: 'Request to hold transmitting group',
});

export const msnipFields = {
  type: field({
    abbrev: 'msnip.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => `${nameOr(MSNIP_TYPE_NAMES, n.value as number)} (${hex(n.value as number, 2)})`,
  }),
  count: field({ abbrev: 'msnip.count', name: 'Count', kind: 'uint' }),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
  holdtime: field({
    abbrev: 'msnip.holdtime',
    name: 'Holdtime',
    kind: 'uint',
    blurb: 'seconds (a Group Map: the 32-bit holdtime, where Wireshark 4.0 shows the count)',
  }),
  groups: field({ abbrev: 'msnip.groups', name: 'Groups', kind: 'group' }),
  maddr: field({ abbrev: 'msnip.maddr', name: 'Multicast group', kind: 'ipv4' }),
  netmask: field({
    abbrev: 'msnip.netmask',
    name: 'Netmask',
    kind: 'uint',
    blurb: 'prefix length of a Group Map range',
  }),
  holdtime16: field({ abbrev: 'msnip.holdtime16', name: 'Holdtime', kind: 'uint' }),
  genid: field({ abbrev: 'msnip.genid', name: 'Generation ID', kind: 'uint' }),
  recType: field({
    abbrev: 'msnip.rec_type',
    name: 'Record Type',
    kind: 'uint',
    show: (n) => `${nameOr(RECORD_TYPES, n.value as number)} (${n.value as number})`,
  }),
};
const F = msnipFields;

const GROUP_MAP = 0x23;
const INTEREST_SOLICITATION = 0x24;
/** Group Map and Receiver Membership Report records: 8 bytes each. */
const RECORD = 8;

/** x: the count, y: the record that does not fit (1-based). */
const COUNT_OVERFLOW: Describe = (b, at, count, record) =>
  `count ${count} overruns the message: record ${record} would end at byte ${at + RECORD - b.start} of ${b.length}`;

/**
 * MSNIP (draft-ietf-magma-msnip): type, byte 1 (the record count of a Group Map or a Receiver
 * Membership Report), the checksum over the whole message, then by type: a Group Map's 32-bit
 * holdtime and its group ranges (address, prefix length, 3 reserved bytes); an Interest
 * Solicitation's 16-bit holdtime and generation id; a Receiver Membership Report's records
 * (record type, 3 reserved bytes, group).
 */
function decodeMsnip(d: Dissection, start: number, end: number, wireEnd: number): void {
  const b = beginMessage(d, 'msnip', 'MSNIP', start, end, wireEnd, 'msnip.truncated');
  decodeMsnipBody(b, start);
  endMessage(b);
}

function decodeMsnipBody(b: Bounds, start: number): void {
  const { data } = b;
  const type = b.msg.type;
  const out = b.out;
  out?.add(F.type, type, start, 1);
  const min = type === INTEREST_SOLICITATION ? 8 : 4;
  if (!b.has(start + 1, 1, 'msnip.too_short', SHORTER_THAN, min)) return;
  const count = data[start + 1];
  if (type !== INTEREST_SOLICITATION) out?.add(F.count, count, start + 1, 1);
  if (!b.has(start + 2, 2, 'msnip.too_short', SHORTER_THAN, min)) return;
  putMessageChecksum(b, checksum, b.length >= min);
  if (type === INTEREST_SOLICITATION) {
    if (!b.has(start + 4, 4, 'msnip.too_short', SHORTER_THAN, min)) return;
    out?.add(F.holdtime16, u16(data, start + 4), start + 4, 2);
    out?.add(F.genid, u16(data, start + 6), start + 6, 2);
    return;
  }
  let at = start + 4;
  if (type === GROUP_MAP) {
    if (!b.has(at, 4, 'msnip.too_short', SHORTER_THAN, 8)) return;
    out?.add(F.holdtime, data.readUInt32BE(at), at, 4);
    at += 4;
  }
  for (let i = 0; i < count; i++, at += RECORD) {
    if (!b.has(at, RECORD, 'msnip.count.overflow', COUNT_OVERFLOW, count, i + 1)) return;
    if (type === GROUP_MAP) {
      if (out) pushRange(out, data, at);
    } else {
      pushRecord(b, at);
    }
  }
}

/** A Group Map range: the groups the source sends to, as address and prefix length. */
function pushRange(out: FieldOut, data: Buffer, at: number): void {
  const group = ipv4At(data, at);
  const prefix = data[at + 4];
  out.open(
    F.groups,
    '',
    at,
    RECORD,
    undefined,
    out.texts ? `Group: ${group}/${prefix}` : undefined,
  );
  out.add(F.maddr, group, at, 4);
  out.add(F.netmask, prefix, at + 4, 1);
  out.close();
}

/** A Receiver Membership Report record: start (1) or hold (2) sending to a group. */
function pushRecord(b: Bounds, at: number): void {
  const { data, out } = b;
  const recType = data[at];
  const group = ipv4At(data, at + 4);
  const name = RECORD_TYPES.get(recType);
  const node = out?.open(
    F.groups,
    '',
    at,
    RECORD,
    undefined,
    out.texts ? `Group: ${group} ${name ?? `Unknown Type:${hex(recType, 2)}`}` : undefined,
  );
  out?.add(F.recType, recType, at, 1);
  out?.add(F.maddr, group, at + 4, 4);
  out?.close();
  if (name === undefined) {
    report(
      b.sink,
      'msnip.rec_type.unknown',
      at,
      `MSNIP record type ${recType} is neither 1 (start) nor 2 (hold)`,
      node ?? b.layer,
    );
  }
}

export const msnip: Protocol = {
  name: 'msnip',
  longName: 'MSNIP: Multicast Source Notification of Interest Protocol',
  fields: [
    F.type,
    F.count,
    F.checksum,
    F.checksumStatus,
    F.checksumCalculated,
    F.holdtime,
    { group: F.groups, members: [F.maddr, F.netmask, F.recType] },
    F.holdtime16,
    F.genid,
  ],
  problems: [
    ...messageProblems('msnip', 'MSNIP', 'draft-ietf-magma-msnip', 'draft-ietf-magma-msnip'),
    {
      id: 'msnip.count.overflow',
      severity: 'error',
      layer: 'msnip',
      description: 'the record count runs past the end of the message',
      reference: 'draft-ietf-magma-msnip',
    },
    {
      id: 'msnip.rec_type.unknown',
      severity: 'warning',
      layer: 'msnip',
      description: 'Receiver Membership Report record type other than 1 (start) and 2 (hold)',
      reference: 'draft-ietf-magma-msnip',
    },
  ],
  decode: decodeMsnip,
  title: () => 'MSNIP: Multicast Source Notification of Interest Protocol',
  column: () => 'MSNIP',
  info: (d, layer) => (d.igmp?.start === layer.offset ? igmpInfo(d.igmp) : ''),
};
