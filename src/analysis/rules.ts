import type { Severity } from '../fields.js';
import '../layers/index.js';
import { PROBLEM_DEFS } from '../problems.js';

/** A check `validate` runs: a decoder problem or an encapsulation / protocol-sense rule. */
export interface RuleDef {
  readonly id: string;
  readonly severity: Severity;
  readonly layer: string;
  readonly description: string;
  readonly reference?: string;
}

/**
 * The rules of our own, beyond the decoders' problems (issue: igmpscope validate). Default
 * severities are part of the contract: `--fail-on` must mean the same to every team.
 */
const OWN_RULES: RuleDef[] = [
  {
    id: 'encap.ttl',
    severity: 'error',
    layer: 'ip',
    description: 'IP TTL must be 1 on IGMPv1–v3 messages (mtrace is unicast by design and exempt)',
    reference: 'RFC 1112 appendix I, RFC 2236 §2, RFC 3376 §4',
  },
  {
    id: 'encap.router_alert',
    severity: 'warning',
    layer: 'ip',
    description: 'IGMPv2 and v3 messages must carry the IP Router Alert option',
    reference: 'RFC 2236 §2, RFC 3376 §4, RFC 2113',
  },
  {
    id: 'encap.dst',
    severity: 'error',
    layer: 'ip',
    description:
      'destination by message: general query → 224.0.0.1; group(-and-source)-specific query → the group; v1/v2 report → the group; v2 leave → 224.0.0.2 (to the group itself: a note); v3 report → 224.0.0.22',
    reference: 'RFC 2236 §2, §9, RFC 3376 §4.1.12, §4.2.14',
  },
  {
    id: 'encap.dst.leave_to_group',
    severity: 'note',
    layer: 'ip',
    description: 'v2 leave sent to the group it leaves rather than 224.0.0.2 (routers accept it)',
    reference: 'RFC 2236 §9',
  },
  {
    id: 'encap.mac',
    severity: 'error',
    layer: 'eth',
    description:
      'Ethernet destination must be 01:00:5e + the low 23 bits of the IPv4 multicast destination; a multicast IPv4 destination sent to a unicast MAC is an error',
    reference: 'RFC 1112 §6.4',
  },
  {
    id: 'encap.fragment',
    severity: 'warning',
    layer: 'ip',
    description: 'IGMP carried in an IP fragment',
  },
  {
    id: 'igmp.group.not_multicast',
    severity: 'error',
    layer: 'igmp',
    description: 'a group address that is not multicast (224.0.0.0/4) where a group is named',
    reference: 'RFC 2236 §2.4, RFC 3376 §4.1.3, §4.2.11',
  },
  {
    id: 'igmp.query.general_group',
    severity: 'error',
    layer: 'igmp',
    description: 'a query sent to 224.0.0.1 (a general query) whose group address is not 0.0.0.0',
    reference: 'RFC 2236 §2.4, RFC 3376 §4.1.3',
  },
  {
    id: 'igmp.report.all_systems',
    severity: 'error',
    layer: 'igmp',
    description: 'a report or record for 224.0.0.1, which is never reported',
    reference: 'RFC 2236 §6, RFC 3376 §5',
  },
  {
    id: 'igmp.group.link_local',
    severity: 'note',
    layer: 'igmp',
    description: 'a report or record for a 224.0.0.0/24 link-local group other than 224.0.0.1',
    reference: 'RFC 4541 §2.1.2',
  },
  {
    id: 'igmp.query.unspecified_source',
    severity: 'warning',
    layer: 'ip',
    description: 'a query from 0.0.0.0 (snooping switches may send such proxy queries)',
    reference: 'RFC 4541 §2.1.1',
  },
  {
    id: 'igmp.report.unspecified_source',
    severity: 'note',
    layer: 'ip',
    description: 'a v3 report from 0.0.0.0 (allowed for a host without an address yet)',
    reference: 'RFC 3376 §4.2.13',
  },
  {
    id: 'igmp.v3.duplicate_source',
    severity: 'warning',
    layer: 'igmp',
    description: 'the same source listed twice in a v3 query or group record',
    reference: 'RFC 3376 §4.1.9, §4.2.7',
  },
  {
    id: 'igmp.v3.duplicate_record',
    severity: 'warning',
    layer: 'igmp',
    description: 'two records for one group in a report, other than one ALLOW with one BLOCK',
    reference: 'RFC 3376 §5.1',
  },
  {
    id: 'igmp.v3.aux_data',
    severity: 'warning',
    layer: 'igmp',
    description: 'a v3 group record with auxiliary data (v3 senders must not include any)',
    reference: 'RFC 3376 §4.2.10',
  },
  {
    id: 'igmp.v3.empty_source_change',
    severity: 'warning',
    layer: 'igmp',
    description: 'an ALLOW_NEW_SOURCES or BLOCK_OLD_SOURCES record with no sources',
    reference: 'RFC 3376 §4.2.12',
  },
  {
    id: 'igmp.query.s_flag_general',
    severity: 'note',
    layer: 'igmp',
    description: 'S flag set on a general query',
    reference: 'RFC 3376 §4.1.5, §6.6.1',
  },
  {
    id: 'igmp.query.qrv_zero',
    severity: 'note',
    layer: 'igmp',
    description: 'QRV 0 in a v3 query (it means: use the default)',
    reference: 'RFC 3376 §4.1.6',
  },
  {
    id: 'igmp.query.max_resp_exceeds_qqi',
    severity: 'warning',
    layer: 'igmp',
    description:
      'a max response time, in seconds, longer than the query interval the QQIC gives (QQIC 0: no comparison)',
    reference: 'RFC 3376 §4.1.1, §4.1.7, §8.3',
  },
  {
    id: 'igmp.query.interval_code',
    severity: 'warning',
    layer: 'igmp',
    description:
      "a v3 general query's QQIC or Max Resp Code of 128 or more whose RFC 3376 floating-point reading does not fit the intervals between that querier's general queries (far beyond them, or the plain number fits them instead: the Linux bridge writes a 200 s interval as QQIC 200); needs two general queries from the querier",
    reference: 'RFC 3376 §4.1.1, §4.1.7, §8.2, §8.3',
  },
  {
    id: 'igmp.ssm.exclude',
    severity: 'warning',
    layer: 'igmp',
    description: 'an EXCLUDE-mode record (IS_EX, TO_EX) for an SSM group (232.0.0.0/8)',
    reference: 'RFC 4604 §2.2',
  },
  {
    id: 'igmp.ssm.old_report',
    severity: 'warning',
    layer: 'igmp',
    description: 'an IGMPv1 or v2 report for an SSM group (232.0.0.0/8)',
    reference: 'RFC 4604 §2.2',
  },
  {
    id: 'igmp.query.v1_among_newer',
    severity: 'note',
    layer: 'igmp',
    description:
      'a v1 query (a v2 query with Max Resp Time 0 is one) in a capture whose other queriers speak v2/v3',
    reference: 'RFC 2236 §4, RFC 3376 §7.1',
  },
];

/**
 * Decoder problems that a rule of its own name supersedes in `validate`. `ip.checksum.zero` is
 * deliberately not folded into `ip.checksum.bad`: offload is a warning of its own, which a team
 * capturing on its senders can turn off without hiding checksums that are really wrong.
 */
export const PROBLEM_ALIASES: ReadonlyMap<string, string> = new Map([
  ['ip.fragment', 'encap.fragment'],
]);

/** Every rule `validate` checks: the decoders' problems, then the rules above. */
export const RULES: ReadonlyMap<string, RuleDef> = new Map(
  [...[...PROBLEM_DEFS.values()].filter((p) => !PROBLEM_ALIASES.has(p.id)), ...OWN_RULES].map(
    (r) => [r.id, r],
  ),
);
