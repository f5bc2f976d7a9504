import { IP_PROTO_IGMP } from '../ip/ipv4.js';
import type { ProblemDef } from '../../problems.js';
import { addStep, handOffTo, type Dissection, type FieldList, type Protocol } from '../registry.js';
import { familyProtocol, IGMP_LAYER_TYPES } from './types.js';
import { decodeIgmp } from './decode.js';
import { igmpFields as F } from './fields.js';
import { igmpInfo } from './info.js';

const IGMP_PROBLEMS: readonly ProblemDef[] = [
  {
    id: 'igmp.truncated',
    severity: 'warning',
    layer: 'igmp',
    description:
      'IGMP message cut short by the capture: fields past the cut and the checksum cannot be checked',
  },
  {
    id: 'igmp.too_short',
    severity: 'error',
    layer: 'igmp',
    description: 'IGMP message shorter than its minimum length (8 bytes; 12 for a v3 query)',
    reference: 'RFC 2236 §2, RFC 3376 §4',
  },
  {
    id: 'igmp.query.bad_length',
    severity: 'error',
    layer: 'igmp',
    description:
      'query of 9–11 bytes: decoded as v1/v2 from its first 8 bytes, but routers must ignore it',
    reference: 'RFC 3376 §7.1',
  },
  {
    id: 'igmp.checksum.bad',
    severity: 'error',
    layer: 'igmp',
    description: 'IGMP checksum over the whole message is wrong',
    reference: 'RFC 2236 §2.3, RFC 3376 §4.1.2',
  },
  {
    id: 'igmp.num_src.overflow',
    severity: 'error',
    layer: 'igmp',
    description: 'the number of sources runs past the end of the message',
    reference: 'RFC 3376 §4.1.8, §4.2.6',
  },
  {
    id: 'igmp.num_grp_recs.overflow',
    severity: 'error',
    layer: 'igmp',
    description: 'the number of group records runs past the end of the message',
    reference: 'RFC 3376 §4.2.3',
  },
  {
    id: 'igmp.aux_data_len.overflow',
    severity: 'error',
    layer: 'igmp',
    description: 'the auxiliary data length runs past the end of the message',
    reference: 'RFC 3376 §4.2.6',
  },
  {
    id: 'igmp.record_type.unknown',
    severity: 'error',
    layer: 'igmp',
    description: 'group record type outside 1–6',
    reference: 'RFC 3376 §4.2.12',
  },
  {
    id: 'igmp.reserved.nonzero',
    severity: 'warning',
    layer: 'igmp',
    description: 'a reserved field is not zero (senders must zero it)',
    reference: 'RFC 3376 §4.1.5, §4.2.1',
  },
  {
    id: 'igmp.type.unknown',
    severity: 'warning',
    layer: 'igmp',
    description:
      'IGMP type no decoded protocol defines (its bytes are shown as igmp.data), or an IGMPv0 type RFC 988 does not name',
  },
  {
    id: 'igmp.type.wrong_dst',
    severity: 'warning',
    layer: 'igmp',
    description:
      'an RGMP, MSNIP or old-draft MRDISC type sent to another address than its protocol’s (224.0.0.25, 224.0.0.22, 224.0.0.2): decoded as unknown, as Wireshark does',
    reference: 'RFC 3488',
  },
  {
    id: 'igmp.mtrace.partial_block',
    severity: 'warning',
    layer: 'igmp',
    description:
      'multicast traceroute message whose length leaves a partial 32-byte response block after the last whole one',
  },
  {
    id: 'igmp.trailing_bytes',
    severity: 'note',
    layer: 'igmp',
    description:
      'bytes after the end of the IGMP message inside the IP payload (summed in the checksum, otherwise ignored)',
    reference: 'RFC 2236 §2.5, RFC 3376 §4.1.10',
  },
];

const IGMP_FIELDS: FieldList = [
  F.version,
  F.type,
  F.reserved,
  F.maxResp,
  F.maxRespExp,
  F.maxRespMant,
  F.maxRespSec,
  F.checksum,
  F.checksumStatus,
  F.checksumCalculated,
  F.maddr,
  F.queryType,
  F.resv,
  F.s,
  F.qrv,
  F.qqic,
  F.qqi,
  F.numSrc,
  F.saddr,
  F.numGrpRecs,
  {
    group: F.record,
    members: [F.recordType, F.auxDataLen, F.numSrc, F.maddr, F.saddr, F.auxData],
  },
  F.data,
  F.mtraceMaxHops,
  F.mtraceSaddr,
  F.mtraceRaddr,
  F.mtraceRspaddr,
  F.mtraceRespTtl,
  F.mtraceQid,
  {
    group: F.mtraceBlock,
    members: [
      F.mtraceArrival,
      F.mtraceInaddr,
      F.mtraceOutaddr,
      F.mtracePrevrtr,
      F.mtraceInpkt,
      F.mtraceOutpkt,
      F.mtraceTotal,
      F.mtraceRtgProto,
      F.mtraceFwdTtl,
      F.mtraceMbz,
      F.mtraceS,
      F.mtraceSrcMask,
      F.mtraceFwdCode,
    ],
  },
  F.groupType,
  F.reply,
  F.replyPending,
  F.identifier,
  F.accessKey,
  F.trailing,
];

/**
 * IGMP and its family, as IPv4 protocol 2 carries them. A type another protocol defines
 * (DVMRP, PIMv1, RGMP, MSNIP, MRDISC, IGAP) goes to that protocol, which makes the only layer
 * of the message, as in Wireshark, where such a frame has no igmp layer; `frame.protocols`
 * still lists igmp before it (`ip:igmp:dvmrp`). IGMP decodes the rest itself: v0–v3, mtrace
 * and the types nobody defines. The IPv4 datagram's view gives the message its destination
 * (RGMP, MSNIP and MRDISC are told apart by it) and whether it is a first fragment.
 */
function decode(d: Dissection, start: number, end: number, wireEnd: number): void {
  const ip = d.ip;
  const dst = ip?.dst ?? '';
  const data = d.frame.data;
  if (start < end && start < wireEnd) {
    const family = familyProtocol(data[start], dst);
    if (family !== undefined) {
      addStep(d, 'igmp');
      handOffTo(d, family, start, end, wireEnd);
      return;
    }
  }
  const msg = (d.igmp = decodeIgmp(
    {
      data,
      start,
      capturedEnd: end,
      length: wireEnd - start,
      dst,
      fragmented: ip?.fragment === 'first',
    },
    d,
    d.layers,
  ));
  // tshark lists the dissector IGMP calls for the types it decodes itself (`ip:igmp:igmp`);
  // a type nobody decodes is igmp alone.
  if (IGMP_LAYER_TYPES.has(msg.type) || (msg.type >= 0 && msg.type <= 0x0f)) addStep(d, 'igmp');
}

export const igmp: Protocol = {
  name: 'igmp',
  longName: 'Internet Group Management Protocol',
  fields: IGMP_FIELDS,
  problems: IGMP_PROBLEMS,
  registrations: [{ table: 'ip.proto', key: IP_PROTO_IGMP }],
  decode,
  title: () => 'Internet Group Management Protocol',
  column: (d, layer) => (d.igmp?.start === layer.offset ? d.igmp.label : 'IGMP'),
  info: (d, layer) => (d.igmp?.start === layer.offset ? igmpInfo(d.igmp) : ''),
};
