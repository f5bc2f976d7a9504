import { macAt } from '../../addr.js';
import { startLayer } from '../../field-out.js';
import { field, hex, names, type FieldDef } from '../../fields.js';
import { report } from '../../problems.js';
import {
  CHECKSUM_STATUS_TEXT,
  CHECKSUM_STATUS_CODES,
  CHECKSUM_STATUSES,
  type ChecksumStatus,
} from '../views.js';
import { LINKTYPE_IEEE802_11 } from '../link/linktypes.js';
import { handOffTo, type Dissection, type Protocol } from '../registry.js';
import { crc32 } from '../../checksum.js';

const TYPE_NAMES = names({
  0: 'Management frame',
  1: 'Control frame',
  2: 'Data frame',
  3: 'Extension',
});
const DATA_SUBTYPES = names({
  0: 'Data',
  4: 'Null function (No data)',
  8: 'QoS Data',
  12: 'QoS Null function (No data)',
});
const DS_NAMES = names({
  0: 'Not leaving DS or network is operating in AD-HOC mode (To DS: 0 From DS: 0)',
  1: 'Frame from STA to DS via an AP (To DS: 1 From DS: 0)',
  2: 'Frame from DS to a STA via AP(To DS: 0 From DS: 1)',
  3: 'WDS (AP to AP) or Mesh (MP to MP) Frame (To DS: 1 From DS: 1)',
});
const PRIORITY_NAMES = names({
  0: 'Best Effort (Best Effort)',
  1: 'Background (Background)',
  2: 'Spare (Background)',
  3: 'Excellent Effort (Best Effort)',
  4: 'Controlled Load (Video)',
  5: 'Video (Video)',
  6: 'Voice (Voice)',
  7: 'Network Control (Voice)',
});

const flag = (
  abbrev: string,
  name: string,
  mask: number,
  texts: readonly [string, string],
): FieldDef => field({ abbrev, name, kind: 'bool', mask, bitWidth: 8, trueFalse: texts });

export const wlanFields = {
  typeSubtype: field({
    abbrev: 'wlan.fc.type_subtype',
    name: 'Type/Subtype',
    kind: 'uint',
    hexDigits: 4,
    show: (n) => `${typeSubtypeName(n.value as number)} (${hex(n.value as number, 4)})`,
  }),
  fc: field({ abbrev: 'wlan.fc', name: 'Frame Control Field', kind: 'uint', hexDigits: 4 }),
  version: field({
    abbrev: 'wlan.fc.version',
    name: 'Version',
    kind: 'uint',
    mask: 0x03,
    bitWidth: 8,
  }),
  type: field({
    abbrev: 'wlan.fc.type',
    name: 'Type',
    kind: 'uint',
    mask: 0x0c,
    bitWidth: 8,
    names: TYPE_NAMES,
  }),
  subtype: field({
    abbrev: 'wlan.fc.subtype',
    name: 'Subtype',
    kind: 'uint',
    mask: 0xf0,
    bitWidth: 8,
  }),
  flags: field({ abbrev: 'wlan.flags', name: 'Flags', kind: 'uint', hexDigits: 2 }),
  ds: field({
    abbrev: 'wlan.fc.ds',
    name: 'DS status',
    kind: 'uint',
    hexDigits: 1,
    mask: 0x03,
    bitWidth: 8,
    show: (n) => `${DS_NAMES.get(n.value as number) ?? ''} (${hex(n.value as number, 1)})`,
  }),
  tods: flag('wlan.fc.tods', 'To DS', 0x01, ['Frame is entering DS', 'Frame is not entering DS']),
  fromds: flag('wlan.fc.fromds', 'From DS', 0x02, [
    'Frame is exiting DS',
    'Frame is not exiting DS',
  ]),
  frag: flag('wlan.fc.frag', 'More Fragments', 0x04, [
    'More fragments follow',
    'This is the last fragment',
  ]),
  retry: flag('wlan.fc.retry', 'Retry', 0x08, [
    'Frame is being retransmitted',
    'Frame is not being retransmitted',
  ]),
  pwrmgt: flag('wlan.fc.pwrmgt', 'PWR MGT', 0x10, ['STA will go to sleep', 'STA will stay up']),
  moredata: flag('wlan.fc.moredata', 'More Data', 0x20, [
    'Data is buffered for STA at AP',
    'No data buffered',
  ]),
  protected: flag('wlan.fc.protected', 'Protected flag', 0x40, [
    'Data is protected',
    'Data is not protected',
  ]),
  order: flag('wlan.fc.order', '+HTC/Order flag', 0x80, [
    'Strictly ordered',
    'Not strictly ordered',
  ]),
  duration: field({
    abbrev: 'wlan.duration',
    name: 'Duration',
    kind: 'uint',
    mask: 0x7fff,
    bitWidth: 16,
    show: (n) => `${n.value as number} microseconds`,
  }),
  ra: field({ abbrev: 'wlan.ra', name: 'Receiver address', kind: 'mac' }),
  ta: field({ abbrev: 'wlan.ta', name: 'Transmitter address', kind: 'mac' }),
  da: field({ abbrev: 'wlan.da', name: 'Destination address', kind: 'mac' }),
  sa: field({ abbrev: 'wlan.sa', name: 'Source address', kind: 'mac' }),
  bssid: field({ abbrev: 'wlan.bssid', name: 'BSS Id', kind: 'mac' }),
  staa: field({ abbrev: 'wlan.staa', name: 'STA address', kind: 'mac' }),
  fragNumber: field({
    abbrev: 'wlan.frag',
    name: 'Fragment number',
    kind: 'uint',
    mask: 0x000f,
    bitWidth: 16,
  }),
  seq: field({
    abbrev: 'wlan.seq',
    name: 'Sequence number',
    kind: 'uint',
    mask: 0xfff0,
    bitWidth: 16,
  }),
  qos: field({ abbrev: 'wlan.qos', name: 'Qos Control', kind: 'uint', hexDigits: 4 }),
  tid: field({ abbrev: 'wlan.qos.tid', name: 'TID', kind: 'uint', mask: 0x000f, bitWidth: 16 }),
  priority: field({
    abbrev: 'wlan.qos.priority',
    name: 'Priority',
    kind: 'uint',
    mask: 0x0007,
    bitWidth: 16,
    names: PRIORITY_NAMES,
    generated: true,
  }),
  bit4: field({
    abbrev: 'wlan.qos.bit4',
    name: 'QoS bit 4',
    kind: 'bool',
    mask: 0x0010,
    bitWidth: 16,
    trueFalse: [
      'Bits 8-15 of QoS Control field are Queue Size',
      'Bits 8-15 of QoS Control field are TXOP Duration Requested',
    ],
  }),
  eosp: field({
    abbrev: 'wlan.qos.eosp',
    name: 'EOSP',
    kind: 'bool',
    mask: 0x0010,
    bitWidth: 16,
    trueFalse: ['End of service period', 'Service period'],
  }),
  ack: field({
    abbrev: 'wlan.qos.ack',
    name: 'Ack Policy',
    kind: 'uint',
    hexDigits: 1,
    mask: 0x0060,
    bitWidth: 16,
    names: names({ 0: 'Normal Ack', 1: 'No Ack', 2: 'No explicit acknowledgment', 3: 'Block Ack' }),
  }),
  amsdu: field({
    abbrev: 'wlan.qos.amsdupresent',
    name: 'Payload Type',
    kind: 'bool',
    mask: 0x0080,
    bitWidth: 16,
    trueFalse: ['A-MSDU', 'MSDU'],
  }),
  fcs: field({ abbrev: 'wlan.fcs', name: 'Frame check sequence', kind: 'uint', hexDigits: 8 }),
  fcsStatus: field({
    abbrev: 'wlan.fcs.status',
    name: 'FCS Status',
    kind: 'string',
    values: CHECKSUM_STATUSES,
    codes: CHECKSUM_STATUS_CODES,
    generated: true,
    show: (n) => CHECKSUM_STATUS_TEXT[n.value as ChecksumStatus],
  }),
};

function typeSubtypeName(value: number): string {
  const type = value >>> 4;
  const subtype = value & 0x0f;
  if (type === 2) return DATA_SUBTYPES.get(subtype) ?? `Data subtype ${subtype}`;
  return `${TYPE_NAMES.get(type) ?? 'Frame'} subtype ${subtype}`;
}

const DATA = 2;
const MANAGEMENT = 0;
const TO_DS = 0x01;
const FROM_DS = 0x02;
const PROTECTED = 0x40;
const ORDER = 0x80;
/** The flag letters of the heading, from bit 7 to bit 0, as tshark prints them; C: an FCS. */
const FLAG_LETTERS = 'opmPRMFT';

/** Where the four address fields are and which role each has, by the DS bits (IEEE 802.11 Table 9-26). */
const ROLES: Record<number, readonly (readonly FieldDef[])[]> = {
  0: [[wlanFields.ra, wlanFields.da], [wlanFields.ta, wlanFields.sa], [wlanFields.bssid]],
  1: [
    [wlanFields.ra, wlanFields.bssid],
    [wlanFields.ta, wlanFields.sa, wlanFields.staa],
    [wlanFields.da],
  ],
  2: [
    [wlanFields.ra, wlanFields.da, wlanFields.staa],
    [wlanFields.ta, wlanFields.bssid],
    [wlanFields.sa],
  ],
  3: [[wlanFields.ra], [wlanFields.ta], [wlanFields.da], [wlanFields.sa]],
};

/** Offsets of the destination and source address in a frame with these DS bits (data frames). */
const DA_INDEX: readonly number[] = [0, 2, 0, 2];
const SA_INDEX: readonly number[] = [1, 1, 2, 3];

/** Where the n-th address field starts (the fourth follows the sequence control). */
const addressAt = (start: number, index: number): number =>
  index < 3 ? start + 4 + 6 * index : start + 24;

/**
 * An IEEE 802.11 frame (IEEE 802.11-2020 §9.2, §9.3): frame control, duration, the addresses
 * in the roles the DS bits give them, sequence control, QoS control; a data frame's body goes
 * to LLC unless it is protected (encrypted). The FCS is checked when a radiotap header says
 * the frame has one.
 */
function decodeWlan(d: Dissection, start: number, end: number, wireEnd: number): void {
  const data = d.frame.data;
  const fcsLength = d.fcsLength;
  const frameEnd = Math.max(start, end - fcsLength);
  const layer = startLayer(d.out, d.layers, 'wlan', start, Math.min(24, frameEnd - start));
  if (frameEnd - start < 10) {
    report(d, 'wlan.truncated', start, `802.11 header cut short: ${frameEnd - start} bytes`, layer);
    return;
  }
  const fc0 = data[start];
  const flags = data[start + 1];
  const type = (fc0 >>> 2) & 3;
  const subtype = fc0 >>> 4;
  const ds = flags & 3;
  const qos = type === DATA && (subtype & 8) !== 0;
  const addresses = type === DATA ? (ds === 3 ? 4 : 3) : type === MANAGEMENT ? 3 : 1;
  let headerLength = addresses >= 3 ? 24 : 10;
  if (addresses === 4) headerLength += 6;
  if (qos) headerLength += 2;
  if (qos && (flags & ORDER) !== 0) headerLength += 4;
  if (frameEnd - start < headerLength) {
    const message = `802.11 header of ${headerLength} bytes cut short: ${frameEnd - start} captured`;
    report(d, 'wlan.truncated', start, message, layer);
    return;
  }
  layer.length = headerLength;
  const out = d.out;
  if (out) {
    const fc = (fc0 << 8) | flags;
    out.add(wlanFields.typeSubtype, (type << 4) | subtype, start, 1);
    out.open(wlanFields.fc, fc, start, 2);
    out.add(wlanFields.version, fc0 & 3, start, 1, fc0);
    out.add(wlanFields.type, type, start, 1, fc0);
    out.add(wlanFields.subtype, subtype, start, 1, fc0);
    out.open(wlanFields.flags, flags, start + 1, 1);
    out.add(wlanFields.ds, ds, start + 1, 1, flags);
    out.add(wlanFields.tods, (flags & TO_DS) !== 0, start + 1, 1, flags);
    out.add(wlanFields.fromds, (flags & FROM_DS) !== 0, start + 1, 1, flags);
    out.add(wlanFields.frag, (flags & 0x04) !== 0, start + 1, 1, flags);
    out.add(wlanFields.retry, (flags & 0x08) !== 0, start + 1, 1, flags);
    out.add(wlanFields.pwrmgt, (flags & 0x10) !== 0, start + 1, 1, flags);
    out.add(wlanFields.moredata, (flags & 0x20) !== 0, start + 1, 1, flags);
    out.add(wlanFields.protected, (flags & PROTECTED) !== 0, start + 1, 1, flags);
    out.add(wlanFields.order, (flags & ORDER) !== 0, start + 1, 1, flags);
    out.close();
    out.close();
    const duration = data.readUInt16LE(start + 2);
    out.add(wlanFields.duration, duration & 0x7fff, start + 2, 2, duration);
    const roles = type === DATA ? ROLES[ds] : ROLES[0];
    for (let i = 0; i < Math.min(addresses, roles.length); i++) {
      const at = addressAt(start, i);
      for (const role of roles[i]) out.add(role, macAt(data, at), at, 6);
    }
    if (addresses >= 3) {
      const seq = data.readUInt16LE(start + 22);
      out.add(wlanFields.fragNumber, seq & 0x0f, start + 22, 2, seq);
      out.add(wlanFields.seq, seq >>> 4, start + 22, 2, seq);
    }
  }
  if (fcsLength === 4 && end - start >= headerLength + 4)
    addFcs(d, start, frameEnd, end === wireEnd);
  if (out && qos) {
    const at = start + headerLength - ((flags & ORDER) !== 0 ? 6 : 2);
    const control = data.readUInt16LE(at);
    out.open(wlanFields.qos, control, at, 2);
    out.add(wlanFields.tid, control & 0x0f, at, 2, control);
    out.add(wlanFields.priority, control & 0x07, at, 2, control);
    // Bit 4 is EOSP from an AP; from a station (To DS) it says what bits 8-15 hold.
    const bit4 = (control & 0x10) !== 0;
    out.add((flags & TO_DS) !== 0 ? wlanFields.bit4 : wlanFields.eosp, bit4, at, 2, control);
    out.add(wlanFields.ack, (control >>> 5) & 3, at, 2, control);
    out.add(wlanFields.amsdu, (control & 0x80) !== 0, at, 2, control);
    out.close();
  }
  const body = start + headerLength;
  // Null-function frames carry no body; a protected body is encrypted.
  if (type !== DATA || (subtype & 4) !== 0 || (flags & PROTECTED) !== 0 || body >= frameEnd) return;
  handOffTo(d, 'llc', body, frameEnd, Math.max(body, wireEnd - fcsLength));
}

function addFcs(d: Dissection, start: number, frameEnd: number, complete: boolean): void {
  const data = d.frame.data;
  const stored = data.readUInt32LE(frameEnd);
  const status: ChecksumStatus = complete
    ? crc32(data.subarray(start, frameEnd)) === stored
      ? 'good'
      : 'bad'
    : 'unverified';
  const node = d.out?.add(wlanFields.fcs, stored, frameEnd, 4);
  if (status === 'bad') {
    const expected = crc32(data.subarray(start, frameEnd));
    report(
      d,
      'wlan.fcs.bad',
      frameEnd,
      `802.11 frame check sequence ${hex(stored, 8)} is wrong, should be ${hex(expected, 8)}`,
      node ?? d.layers[d.layers.length - 1],
    );
  }
  d.out?.add(wlanFields.fcsStatus, status, frameEnd, 0);
}

function flagLetters(flags: number, fcs: boolean): string {
  let text = '';
  for (let bit = 7; bit >= 0; bit--) text += flags & (1 << bit) ? FLAG_LETTERS[7 - bit] : '.';
  return fcs ? text + 'C' : text;
}

export const wlan: Protocol = {
  name: 'wlan',
  longName: 'IEEE 802.11 wireless LAN',
  fields: Object.values(wlanFields),
  problems: [
    {
      id: 'wlan.truncated',
      severity: 'warning',
      layer: 'wlan',
      description: '802.11 header cut short by the capture',
    },
    {
      id: 'wlan.fcs.bad',
      severity: 'error',
      layer: 'wlan',
      description: '802.11 frame check sequence (CRC-32) is wrong',
      reference: 'IEEE 802.11-2020 §9.2.4.8',
    },
  ],
  registrations: [{ table: 'link', key: LINKTYPE_IEEE802_11 }],
  decode: decodeWlan,
  titleFields: [wlanFields.typeSubtype, wlanFields.flags, wlanFields.fcs],
  title: (_layer, nodes) => {
    let typeSubtype: number | undefined;
    let flags = 0;
    let fcs = false;
    for (const n of nodes) {
      if (n.field === wlanFields.typeSubtype) typeSubtype = n.value as number;
      if (n.field === wlanFields.flags) flags = n.value as number;
      if (n.field === wlanFields.fcs) fcs = true;
      for (const c of n.children ?? []) if (c.field === wlanFields.flags) flags = c.value as number;
    }
    const name = typeSubtype === undefined ? 'Frame' : typeSubtypeName(typeSubtype);
    return `IEEE 802.11 ${name}, Flags: ${flagLetters(flags, fcs)}`;
  },
  column: () => '802.11',
  destinationMac: (data, layer) => {
    const at = layer.offset;
    if (at + 24 > data.length) return undefined;
    const flags = data[at + 1];
    return addressAt(at, DA_INDEX[flags & 3]);
  },
  sourceMac: (data, layer) => {
    const at = layer.offset;
    if (at + 30 > data.length && (data[at + 1] & 3) === 3) return undefined;
    if (at + 24 > data.length) return undefined;
    return addressAt(at, SA_INDEX[data[at + 1] & 3]);
  },
  linkKey: (data, layer) => {
    // The BSS a frame belongs to: addr3 without DS bits, addr1 to the AP, addr2 from it.
    const at = layer.offset;
    if (at + 24 > data.length) return undefined;
    const ds = data[at + 1] & 3;
    if (ds === 3) return undefined;
    return `bss${macAt(data, addressAt(at, [2, 0, 1][ds]))}`;
  },
};
