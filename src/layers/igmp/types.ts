import { names } from '../../fields.js';

export const IGMP_QUERY = 0x11;
export const IGMP_V1_REPORT = 0x12;
export const IGMP_V2_REPORT = 0x16;
export const IGMP_V2_LEAVE = 0x17;
export const IGMP_V3_REPORT = 0x22;
export const IGMP_DVMRP = 0x13;
export const IGMP_PIMV1 = 0x14;
export const IGMP_MTRACE_RESPONSE = 0x1e;
export const IGMP_MTRACE_QUERY = 0x1f;
/** Multicast traceroute: a 24-byte header, then 32-byte response blocks. */
export const MTRACE_HEADER_LENGTH = 24;
export const MTRACE_BLOCK_LENGTH = 32;

/**
 * Names of every IGMP-family type we know: Wireshark's igmp.type value strings, the types it
 * hands to other protocols, and the RFC 4286 types it leaves unnamed. (Which protocol decodes a
 * type is familyProtocol's business; the igmp layer names its own types with IGMP_LAYER_TYPES.)
 */
export const IGMP_TYPE_NAMES = names({
  0x01: 'Create Group Request',
  0x02: 'Create Group Reply',
  0x03: 'Join Group Request',
  0x04: 'Join Group Reply',
  0x05: 'Leave Group Request',
  0x06: 'Leave Group Reply',
  0x07: 'Confirm Group Request',
  0x08: 'Confirm Group Reply',
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x13: 'DVMRP Protocol',
  0x14: 'PIM Routing Message',
  0x15: 'Cisco Trace Messages',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x1e: 'Traceroute Response',
  0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
  0x23: 'MSNIP Multicast Source Notification',
  0x24: 'Multicast Router Advertisement (draft) / MSNIP Interest Solicitation',
  0x25: 'Multicast Router Solicitation (draft) / MSNIP Receiver Membership Report',
  0x26: 'Multicast Router Termination (draft)',
  0x30: 'Multicast Router Advertisement',
  0x31: 'Multicast Router Solicitation',
  0x32: 'Multicast Router Termination',
  0x40: 'IGAP Membership Report',
  0x41: 'IGAP Membership Query',
  0x42: 'IGAP Leave Group',
  0xfc: 'RGMP Leave',
  0xfd: 'RGMP Join',
  0xfe: 'RGMP Bye',
  0xff: 'RGMP Hello',
});

/**
 * The types the igmp layer itself shows by name (Wireshark's igmp.type value strings): what
 * IGMP decodes (v0–v3, mtrace). Any other type in the igmp layer is one no protocol takes
 * there, shown as `Unknown`.
 */
export const IGMP_LAYER_TYPES = names({
  0x01: 'Create Group Request',
  0x02: 'Create Group Reply',
  0x03: 'Join Group Request',
  0x04: 'Join Group Reply',
  0x05: 'Leave Group Request',
  0x06: 'Leave Group Reply',
  0x07: 'Confirm Group Request',
  0x08: 'Confirm Group Reply',
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x13: 'DVMRP Protocol',
  0x14: 'PIM Routing Message',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x1e: 'Traceroute Response',
  0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
});

export const ALL_ROUTERS = '224.0.0.2';
/** RFC 3376 §4.2.14; MSNIP (draft-ietf-magma-msnip) sends to it as well. */
export const ALL_IGMPV3_ROUTERS = '224.0.0.22';
/** RFC 3488: RGMP messages go to 224.0.0.25. */
export const ALL_RGMP_ROUTERS = '224.0.0.25';

/**
 * The protocol that decodes an IGMP type (its registry name), or undefined when IGMP decodes
 * it itself (v0–v3, mtrace) or nobody does. Like Wireshark, MSNIP, the old MRDISC draft and
 * RGMP own their types only at their own destination; RFC 4286 MRD (0x30–0x32) owns its types
 * wherever they go, since IANA assigned them to it alone.
 */
export function familyProtocol(type: number, dst: string): string | undefined {
  if (type === IGMP_DVMRP) return 'dvmrp';
  if (type === IGMP_PIMV1) return 'pim';
  if (type >= 0x23 && type <= 0x25) return dst === ALL_IGMPV3_ROUTERS ? 'msnip' : undefined;
  // Wireshark's MRDISC registers 0x24–0x26 too, but MSNIP took 0x24/0x25: only 0x26 is MRDISC.
  if (type === 0x26) return dst === ALL_ROUTERS ? 'mrdisc' : undefined;
  if (type >= 0x30 && type <= 0x32) return 'mrdisc';
  if (type >= 0x40 && type <= 0x42) return 'igap';
  if (type >= 0xfc) return dst === ALL_RGMP_ROUTERS ? 'rgmp' : undefined;
  return undefined;
}

/**
 * For a type that belongs to a protocol only at one destination (and was sent elsewhere): the
 * protocol and the address it must go to. Undefined for any other type.
 */
export function gatedDestination(type: number): string | undefined {
  if (type >= 0x23 && type <= 0x25) return `MSNIP only at ${ALL_IGMPV3_ROUTERS}`;
  if (type === 0x26) return `old-draft MRDISC only at ${ALL_ROUTERS}`;
  if (type >= 0xfc) return `RGMP only at ${ALL_RGMP_ROUTERS}`;
  return undefined;
}

/** IGMPv0 (RFC 988 §"Message Formats"): the eight types it defines. */
export const IGMPV0_TYPE_NAMES = names({
  0x01: 'Create Group Request',
  0x02: 'Create Group Reply',
  0x03: 'Join Group Request',
  0x04: 'Join Group Reply',
  0x05: 'Leave Group Request',
  0x06: 'Leave Group Reply',
  0x07: 'Confirm Group Request',
  0x08: 'Confirm Group Reply',
});
/** RFC 988: an IGMPv0 message is 20 bytes. */
export const IGMPV0_LENGTH = 20;

/** Multicast traceroute (draft-ietf-idmr-traceroute-ipm): the routing protocol of a hop. */
export const MTRACE_RTG_PROTO_NAMES = names({
  1: 'DVMRP',
  2: 'MOSPF',
  3: 'PIM',
  4: 'CBT',
  5: 'PIM using special routing table',
  6: 'PIM using a static route',
  7: 'DVMRP using a static route',
  8: 'PIM using MBGP (aka BGP4+) route',
  9: 'CBT using special routing table',
  10: 'CBT using a static route',
  11: 'PIM using state created by Assert processing',
});

/** Multicast traceroute forwarding codes (draft-ietf-idmr-traceroute-ipm). */
export const MTRACE_FWD_CODE_NAMES = names({
  0x00: 'NO_ERROR',
  0x01: 'WRONG_IF',
  0x02: 'PRUNE_SENT',
  0x03: 'PRUNE_RCVD',
  0x04: 'SCOPED',
  0x05: 'NO_ROUTE',
  0x06: 'WRONG_LAST_HOP',
  0x07: 'NOT_FORWARDING',
  0x08: 'REACHED_RP',
  0x09: 'RPF_IF',
  0x0a: 'NO_MULTICAST',
  0x0b: 'INFO_HIDDEN',
  0x81: 'NO_SPACE',
  0x82: 'OLD_ROUTER',
  0x83: 'ADMIN_PROHIB',
});

export const RECORD_TYPE_NAMES = names({
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources',
});

/** RFC 3376 §4.2.12 short names (IS_IN … BLOCK), used in summaries and tables. */
export const RECORD_TYPE_SHORT = names({
  1: 'IS_IN',
  2: 'IS_EX',
  3: 'TO_IN',
  4: 'TO_EX',
  5: 'ALLOW',
  6: 'BLOCK',
});

/** DVMRP v3 codes (draft-ietf-idmr-dvmrp-v3), shown as Wireshark's Info shows them. */
export const DVMRP_CODE_NAMES = names({
  1: 'Probe',
  2: 'Report',
  3: 'Ask Neighbors',
  4: 'Neighbors',
  5: 'Ask Neighbors 2',
  6: 'Neighbors 2',
  7: 'Prune',
  8: 'Graft',
  9: 'Graft ACK',
});

/** PIMv1 message codes (carried in IGMP type 0x14). */
export const PIMV1_CODE_NAMES = names({
  0: 'Query',
  1: 'Register',
  2: 'Register-stop',
  3: 'Join/Prune',
  4: 'RP-Reachable',
  5: 'Assert',
  6: 'Graft',
  7: 'Graft-Ack',
  8: 'Mode',
});

/** DVMRP v1 codes (RFC 1075's subtypes), as Wireshark names them. */
export const DVMRP_V1_CODE_NAMES = names({
  1: 'Response',
  2: 'Request',
  3: 'Non-membership report',
  4: 'Non-membership cancellation',
});
/** RFC 3488. */
export const RGMP_TYPE_NAMES = names({
  0xfc: 'Leave',
  0xfd: 'Join',
  0xfe: 'Bye',
  0xff: 'Hello',
});
/** draft-ietf-magma-msnip. */
export const MSNIP_TYPE_NAMES = names({
  0x23: 'Multicast Group Map',
  0x24: 'Multicast Interest Solicitation',
  0x25: 'Multicast Receiver Membership Report',
});
/** The old MRDISC draft (0x24–0x26) and RFC 4286 §3–§5 (0x30–0x32). */
export const MRDISC_TYPE_NAMES = names({
  0x24: 'Multicast Router Advertisement',
  0x25: 'Multicast Router Solicitation',
  0x26: 'Multicast Router Termination',
  0x30: 'Multicast Router Advertisement',
  0x31: 'Multicast Router Solicitation',
  0x32: 'Multicast Router Termination',
});
/** draft-hayashi-igap. */
export const IGAP_TYPE_NAMES = names({
  0x40: 'Membership Report (Join)',
  0x41: 'Membership Query',
  0x42: 'Leave Group',
});
