/**
 * IGAP, the Internet Group membership Authentication Protocol (draft-hayashi-igap): IGMP types
 * 0x40 Membership Report, 0x41 Membership Query and 0x42 Leave Group, an IGMPv2-like head
 * followed by an authentication part (subtype, user account, message).
 */
import { ipv4At } from '../../addr.js';
import { field, hex, names } from '../../fields.js';
import { report } from '../../problems.js';
import type { Dissection, Protocol } from '../registry.js';
import { tenthsToSeconds } from './codes.js';
import { igmpInfo } from './info.js';
import {
  beginMessage,
  endMessage,
  messageChecksum,
  messageProblems,
  nameOr,
  putMessageChecksum,
  type Bounds,
  type Describe,
} from './message.js';
import { IGAP_TYPE_NAMES } from './types.js';

const checksum = messageChecksum('igap');

/**
 * The subtypes of draft-hayashi-igap, by message type: Basic (0x01, 0x21, 0x41), Password
 * (0x02, 0x42), Challenge-Response (0x03/0x04, 0x23, 0x43/0x44), the querier's User-specific
 * Query (0x22), Authentication (0x24) and Accounting (0x25) messages. (Wireshark 4.0 leaves
 * 0x01 and 0x22 unnamed.)
 */
const SUBTYPES = names({
  0x01: 'Basic Join',
  0x02: 'Password Mechanism Join (Password-Join)',
  0x03: 'Challenge-Response Mechanism Join Request (Challenge-Request-Join)',
  0x04: 'Challenge-Response Mechanism Join Response (Challenge-Response-Join)',
  0x21: 'Basic Query',
  0x22: 'User-specific Query',
  0x23: 'Challenge-Response Mechanism Challenge (Challenge)',
  0x24: 'Authentication Message',
  0x25: 'Accounting Message',
  0x41: 'Basic Leave',
  0x42: 'Password Mechanism Leave (Password-Leave)',
  0x43: 'Challenge-Response Mechanism Leave Challenge Request (Challenge-Request-Leave)',
  0x44: 'Challenge-Response Mechanism Response (Challenge-Response-Leave)',
});
const AUTH_RESULTS = names({ 0x11: 'Authentication success', 0x21: 'Authentication failure' });
const ACCOUNTING = names({ 0x11: 'Accounting start', 0x21: 'Accounting stop' });

export const igapFields = {
  type: field({
    abbrev: 'igap.type',
    name: 'Type',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => `${nameOr(IGAP_TYPE_NAMES, n.value as number)} (${hex(n.value as number, 2)})`,
  }),
  maxResp: field({
    abbrev: 'igap.max_resp',
    name: 'Max Response Time',
    kind: 'uint',
    blurb: 'tenths of a second',
    show: (n) => `${tenthsToSeconds(n.value as number)} sec (${hex(n.value as number, 2)})`,
  }),
  checksum: checksum.checksum,
  checksumStatus: checksum.status,
  checksumCalculated: checksum.calculated,
  maddr: field({ abbrev: 'igap.maddr', name: 'Multicast group address', kind: 'ipv4' }),
  version: field({
    abbrev: 'igap.version',
    name: 'Version',
    kind: 'uint',
    hexDigits: 2,
    names: names({ 0x10: '1' }),
  }),
  subtype: field({
    abbrev: 'igap.subtype',
    name: 'Subtype',
    kind: 'uint',
    hexDigits: 2,
    show: (n) => `${nameOr(SUBTYPES, n.value as number)} (${hex(n.value as number, 2)})`,
  }),
  challengeId: field({
    abbrev: 'igap.challengeid',
    name: 'Challenge ID',
    kind: 'uint',
    hexDigits: 2,
  }),
  asize: field({ abbrev: 'igap.asize', name: 'Account Size', kind: 'uint' }),
  msize: field({ abbrev: 'igap.msize', name: 'Message Size', kind: 'uint' }),
  account: field({ abbrev: 'igap.account', name: 'User Account', kind: 'string' }),
  password: field({ abbrev: 'igap.user_password', name: 'User password', kind: 'string' }),
  md5: field({
    abbrev: 'igap.result_of_md5_calculation',
    name: 'Result of MD5 calculation',
    kind: 'bytes',
  }),
  challenge: field({ abbrev: 'igap.challenge', name: 'Challenge', kind: 'bytes' }),
  authResult: field({
    abbrev: 'igap.authentication_result',
    name: 'Authentication result',
    kind: 'uint',
    hexDigits: 2,
    names: AUTH_RESULTS,
  }),
  accounting: field({
    abbrev: 'igap.accounting_status',
    name: 'Accounting status',
    kind: 'uint',
    hexDigits: 2,
    names: ACCOUNTING,
  }),
  unknownMessage: field({
    abbrev: 'igap.unknown_message',
    name: 'Unknown message',
    kind: 'bytes',
  }),
};
const F = igapFields;

/** draft-hayashi-igap: the fixed part ends at byte 16; then a 16-byte account, a 64-byte message. */
const FIXED = 16;
const ACCOUNT_AT = 16;
const ACCOUNT_MAX = 16;
const MESSAGE_AT = 32;
const MESSAGE_MAX = 64;

const SHORT: Describe = (b) =>
  `IGAP message of ${b.length} bytes, shorter than its ${FIXED}-byte fixed part`;
/** x: the size the message claims, y: where that part would start. */
const PART_OVERFLOW: Describe = (b, at, size) =>
  `a ${size}-byte part at byte ${at - b.start} runs past the end of the ${b.length}-byte message`;

/**
 * draft-hayashi-igap: type, max response time (tenths of a second), checksum over the whole
 * message, group, version, subtype, a reserved byte, challenge id, account size, message size,
 * 2 reserved bytes; then the User Account (16 bytes, of which the account size are used) and the
 * Message (64 bytes, the message size used), whose meaning the subtype gives.
 */
function decodeIgap(d: Dissection, start: number, end: number, wireEnd: number): void {
  const b = beginMessage(d, 'igap', 'IGAP', start, end, wireEnd, 'igap.truncated');
  decodeIgapBody(b, start);
  endMessage(b);
}

function decodeIgapBody(b: Bounds, start: number): void {
  const { data } = b;
  const out = b.out;
  out?.add(F.type, b.msg.type, start, 1);
  if (!b.has(start + 1, 1, 'igap.too_short', SHORT)) return;
  out?.add(F.maxResp, data[start + 1], start + 1, 1);
  if (!b.has(start + 2, 2, 'igap.too_short', SHORT)) return;
  putMessageChecksum(b, checksum, b.length >= FIXED);
  if (!b.has(start + 4, FIXED - 4, 'igap.too_short', SHORT)) return;
  const group = ipv4At(data, start + 4);
  b.msg.group = group;
  const subtype = data[start + 9];
  const asize = data[start + 12];
  const msize = data[start + 13];
  let sizeNode;
  if (out) {
    out.add(F.maddr, group, start + 4, 4);
    out.add(F.version, data[start + 8], start + 8, 1);
    out.add(F.subtype, subtype, start + 9, 1);
    out.add(F.challengeId, data[start + 11], start + 11, 1);
    sizeNode = out.add(F.asize, asize, start + 12, 1);
    sizeNode = out.add(F.msize, msize, start + 13, 1) ?? sizeNode;
  }
  if (asize > ACCOUNT_MAX || msize > MESSAGE_MAX) {
    report(
      b.sink,
      'igap.size.bad',
      start + 12,
      `account size ${asize} and message size ${msize}: the fields hold at most ${ACCOUNT_MAX} and ${MESSAGE_MAX} bytes`,
      sizeNode ?? b.layer,
    );
  }
  const accountLength = Math.min(asize, ACCOUNT_MAX);
  if (accountLength > 0) {
    const at = start + ACCOUNT_AT;
    if (!b.has(at, accountLength, 'igap.too_short', PART_OVERFLOW, accountLength)) return;
    out?.add(F.account, text(data, at, accountLength), at, accountLength);
  }
  const messageLength = Math.min(msize, MESSAGE_MAX);
  if (messageLength > 0) {
    const at = start + MESSAGE_AT;
    if (!b.has(at, messageLength, 'igap.too_short', PART_OVERFLOW, messageLength)) return;
    if (out) pushMessage(b, subtype, at, messageLength);
  }
}

/** The Message field, by subtype (draft-hayashi-igap): password, MD5 digest, challenge … */
function pushMessage(b: Bounds, subtype: number, at: number, length: number): void {
  const { data } = b;
  const out = b.out;
  if (!out) return;
  switch (subtype) {
    case 0x02:
    case 0x42:
      out.add(F.password, text(data, at, length), at, length);
      break;
    case 0x04:
    case 0x44:
      out.add(F.md5, data.subarray(at, at + length), at, length);
      break;
    case 0x23:
      out.add(F.challenge, data.subarray(at, at + length), at, length);
      break;
    case 0x24:
      out.add(F.authResult, data[at], at, 1);
      break;
    case 0x25:
      out.add(F.accounting, data[at], at, 1);
      break;
    default:
      out.add(F.unknownMessage, data.subarray(at, at + length), at, length);
  }
}

/** A text field: its bytes as Latin-1 up to the first NUL (the writers escape the rest). */
function text(data: Buffer, at: number, length: number): string {
  let end = at;
  while (end < at + length && data[end] !== 0) end++;
  return data.toString('latin1', at, end);
}

export const igap: Protocol = {
  name: 'igap',
  longName: 'Internet Group membership Authentication Protocol',
  fields: Object.values(F),
  problems: [
    ...messageProblems('igap', 'IGAP', 'draft-hayashi-igap', 'draft-hayashi-igap'),
    {
      id: 'igap.size.bad',
      severity: 'error',
      layer: 'igap',
      description:
        'account size above 16 or message size above 64: larger than the fields (read up to their size, as Wireshark)',
      reference: 'draft-hayashi-igap',
    },
  ],
  decode: decodeIgap,
  title: () => 'Internet Group membership Authentication Protocol',
  column: () => 'IGAP',
  info: (d, layer) => (d.igmp?.start === layer.offset ? igmpInfo(d.igmp) : ''),
};
