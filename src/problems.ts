import type { Problem, ProblemTarget, Severity } from './fields.js';
import type { FieldOut } from './field-out.js';

/**
 * Every problem a decoder can report, described once: its stable id, default severity and what
 * it means. The decoders raise them by id; `validate` (and its `rules` listing) reads this table.
 */
export interface ProblemDef {
  readonly id: string;
  readonly severity: Severity;
  readonly layer: string;
  readonly description: string;
  readonly reference?: string;
}

const defs: ProblemDef[] = [
  {
    id: 'frame.snaplen_exceeded',
    severity: 'warning',
    layer: 'frame',
    description: 'captured length is above the interface snaplen (libpcap tolerates it)',
  },
  {
    id: 'link.unsupported',
    severity: 'note',
    layer: 'frame',
    description: 'link-layer type not decoded by igmpscope',
  },
  {
    id: 'eth.truncated',
    severity: 'warning',
    layer: 'eth',
    description: 'Ethernet header cut short',
  },
  {
    id: 'vlan.truncated',
    severity: 'warning',
    layer: 'vlan',
    description: '802.1Q tag cut short',
  },
  {
    id: 'sll.truncated',
    severity: 'warning',
    layer: 'sll',
    description: 'Linux cooked-capture header cut short',
  },
  {
    id: 'null.truncated',
    severity: 'warning',
    layer: 'null',
    description: 'BSD loopback header cut short',
  },
  {
    id: 'ip.truncated',
    severity: 'warning',
    layer: 'ip',
    description: 'IPv4 header cut short by the capture',
  },
  {
    id: 'ip.version.bad',
    severity: 'error',
    layer: 'ip',
    description: 'IP version field is not 4 on an IPv4 link or ethertype',
  },
  {
    id: 'ip.hdr_len.bad',
    severity: 'error',
    layer: 'ip',
    description: 'IPv4 header length below 20 bytes or beyond the total length',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.len.bad',
    severity: 'error',
    layer: 'ip',
    description:
      'IPv4 total length is shorter than the header or longer than the frame on the wire',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.checksum.bad',
    severity: 'error',
    layer: 'ip',
    description: 'IPv4 header checksum is wrong',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.checksum.zero',
    severity: 'warning',
    layer: 'ip',
    description:
      'IPv4 header checksum is 0x0000 where another value is due: likely checksum offload on the capturing host, which captured the packet before its interface filled the checksum in',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.opt.len.bad',
    severity: 'error',
    layer: 'ip',
    description: 'an IPv4 option length is below 2 or runs past the header',
    reference: 'RFC 791 §3.1',
  },
  {
    id: 'ip.opt.ra.len.bad',
    severity: 'error',
    layer: 'ip',
    description: 'Router Alert option whose length is not 4',
    reference: 'RFC 2113 §2.1',
  },
  {
    id: 'ip.fragment',
    severity: 'warning',
    layer: 'ip',
    description: 'IGMP carried in an IP fragment: decoded from the first fragment only, incomplete',
  },
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

export const PROBLEM_DEFS: ReadonlyMap<string, ProblemDef> = new Map(defs.map((d) => [d.id, d]));

/** Where decoders put their problems while dissecting one frame. */
export interface ProblemSink {
  readonly problems: Problem[];
  /**
   * Where the fields go: a tree builder (`-V`, the library) or the NDJSON writer. Without one
   * (summary lines, analyses) decoders compute only typed results and problems: the hot path
   * allocates what it uses.
   */
  readonly out: FieldOut | undefined;
}

/**
 * Records a problem with the registry's default severity, on the frame and, when given, on the
 * node (or layer) it belongs to, so the tree shows it where it occurs.
 */
export function report(
  sink: ProblemSink,
  id: string,
  offset: number,
  message: string,
  at?: ProblemTarget,
): Problem {
  const def = PROBLEM_DEFS.get(id);
  if (!def) throw new Error(`unregistered problem id ${id}`);
  const problem: Problem = { id, severity: def.severity, layer: def.layer, offset, message };
  sink.problems.push(problem);
  if (at) attach(at, problem);
  return problem;
}

/** Shows a problem at a node (or layer) of the tree, where it occurs. */
export function attach(at: ProblemTarget, problem: Problem): void {
  (at.problems ??= []).push(problem);
}
