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
 * Names of every IGMP-family type we know (Wireshark's igmp.type value strings plus the
 * protocols it hands off and the RFC 4286 types it leaves unnamed).
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

const MSNIP_NAMES = names({
  0x23: 'Multicast Group Map',
  0x24: 'Multicast Interest Solicitation',
  0x25: 'Multicast Receiver Membership Report',
});
const MRDISC_NAMES = names({
  0x24: 'Multicast Router Advertisement',
  0x25: 'Multicast Router Solicitation',
  0x26: 'Multicast Router Termination',
});

export interface OtherTypeInfo {
  /** Protocol column, as Wireshark labels the frame. */
  label: string;
  name: string | undefined;
  /** IGMPv0 (RFC 988) types carry a version; the others none. */
  version?: 0;
}

/**
 * Which protocol a non-membership IGMP type belongs to. Like Wireshark, the MSNIP, old MRDISC
 * and RGMP types count as those protocols only at their own destination address.
 */
export function otherTypeInfo(type: number, dst: string): OtherTypeInfo {
  if (type <= 0x0f) return { label: 'IGMPv0', name: IGMP_TYPE_NAMES.get(type), version: 0 };
  if (type === 0x13) return { label: 'DVMRP', name: IGMP_TYPE_NAMES.get(type) };
  if (type === 0x14) return { label: 'PIMv1', name: IGMP_TYPE_NAMES.get(type) };
  if (type >= 0x23 && type <= 0x25 && dst === '224.0.0.22')
    return { label: 'MSNIP', name: MSNIP_NAMES.get(type) };
  if (type >= 0x24 && type <= 0x26 && dst === '224.0.0.2')
    return { label: 'MRDISC', name: MRDISC_NAMES.get(type) };
  if (type >= 0x30 && type <= 0x32) return { label: 'MRD', name: IGMP_TYPE_NAMES.get(type) };
  if (type >= 0x40 && type <= 0x42) return { label: 'IGAP', name: IGMP_TYPE_NAMES.get(type) };
  if (type >= 0xfc && dst === '224.0.0.25')
    return { label: 'RGMP', name: IGMP_TYPE_NAMES.get(type) };
  return { label: 'IGMP', name: IGMP_TYPE_NAMES.get(type) };
}

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

/** DVMRP v3 codes (draft-ietf-idmr-dvmrp-v3 §3), shown as Wireshark's Info shows them. */
export const DVMRP_CODE_NAMES = names({
  1: 'Probe',
  2: 'Report',
  3: 'Ask Neighbors',
  4: 'Neighbors',
  5: 'Ask Neighbors 2',
  6: 'Neighbors 2',
  7: 'Prune',
  8: 'Graft',
  9: 'Graft Ack',
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
