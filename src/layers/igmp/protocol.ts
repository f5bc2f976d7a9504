import { IP_PROTO_IGMP } from '../ip/ipv4.js';
import type { ProblemDef } from '../../problems.js';
import { addStep, type Dissection, type FieldList, type Protocol } from '../registry.js';
import { IGMP_TYPE_NAMES } from './types.js';
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
    description: 'IGMP type not assigned to any known protocol',
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
  F.code,
  F.mtraceMaxHops,
  F.mtraceSaddr,
  F.mtraceRaddr,
  F.mtraceRspaddr,
  F.mtraceRespTtl,
  F.mtraceQid,
  F.trailing,
];

/**
 * IGMP and its family, as IPv4 protocol 2 carries them: the IPv4 datagram's view gives the
 * message its length, its destination (RGMP, MSNIP and MRDISC are told apart by it) and
 * whether it is a first fragment.
 */
function decode(d: Dissection, start: number, end: number, wireEnd: number): void {
  const ip = d.ip;
  const msg = (d.igmp = decodeIgmp(
    {
      data: d.frame.data,
      start,
      capturedEnd: end,
      length: wireEnd - start,
      dst: ip?.dst ?? '',
      fragmented: ip?.fragment === 'first',
    },
    d,
    d.layers,
  ));
  // tshark lists the dissector a message goes to after IGMP's own (it calls itself per version).
  const step =
    FAMILY_STEPS[msg.label] ??
    (msg.label === 'IGMP' && IGMP_TYPE_NAMES.has(msg.type) ? 'igmp' : undefined);
  if (step !== undefined) addStep(d, step);
}

/** The `frame.protocols` entry after `igmp` by the protocol column the message gets. */
const FAMILY_STEPS: Readonly<Record<string, string>> = {
  IGMPv0: 'igmp',
  IGMPv1: 'igmp',
  IGMPv2: 'igmp',
  IGMPv3: 'igmp',
  DVMRP: 'dvmrp',
  PIMv1: 'pim',
  RGMP: 'rgmp',
  MSNIP: 'msnip',
  MRDISC: 'mrdisc',
  IGAP: 'igap',
};

export const igmp: Protocol = {
  name: 'igmp',
  longName: 'Internet Group Management Protocol',
  fields: IGMP_FIELDS,
  problems: IGMP_PROBLEMS,
  registrations: [{ table: 'ip.proto', key: IP_PROTO_IGMP }],
  decode,
  title: () => 'Internet Group Management Protocol',
  column: (d) => d.igmp?.label ?? 'IGMP',
  info: (d) => (d.igmp ? igmpInfo(d.igmp) : ''),
};
