import type { GroupRecord, IgmpMessage } from '../views.js';
import { hex } from '../../fields.js';
import {
  DVMRP_CODE_NAMES,
  DVMRP_V1_CODE_NAMES,
  IGAP_TYPE_NAMES,
  MRDISC_TYPE_NAMES,
  MSNIP_TYPE_NAMES,
  RGMP_TYPE_NAMES,
  IGMP_LAYER_TYPES,
  IGMP_MTRACE_QUERY as MTRACE_QUERY,
  IGMP_MTRACE_RESPONSE as MTRACE_RESPONSE,
  IGMP_QUERY,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
  IGMPV0_TYPE_NAMES,
  MTRACE_BLOCK_LENGTH as MTRACE_BLOCK,
  MTRACE_HEADER_LENGTH as MTRACE_HEADER,
  PIMV1_CODE_NAMES,
} from './types.js';

function sourceList(sources: readonly string[]): string {
  return sources.join(', ');
}

/**
 * DVMRP's version, as Wireshark (with its default preference) tells it: the v3 layout
 * (draft-ietf-idmr-dvmrp-v3: an 8-byte header with the versions at bytes 6–7) when the
 * message has 8 bytes, RFC 1075's v1 otherwise. An RFC 1075 message of 8 bytes or more (AFI
 * and one command) is therefore read as v3, as Wireshark reads it.
 */
export function dvmrpVersion(length: number): 1 | 3 {
  return length >= 8 ? 3 : 1;
}

/**
 * The Info column of an IGMP-family message, worded as tshark words it (reference §6): by the
 * protocol it belongs to, then its type.
 */
export function igmpInfo(msg: IgmpMessage): string {
  if (msg.type < 0) return `Empty ${msg.label} message`;
  switch (msg.label) {
    case 'DVMRP': {
      if (msg.code === undefined) return 'DVMRP';
      const version = dvmrpVersion(msg.length);
      const name = (version === 3 ? DVMRP_CODE_NAMES : DVMRP_V1_CODE_NAMES).get(msg.code);
      return `V${version} ${name ?? `Unknown Type:${hex(msg.code, 2)}`}`;
    }
    case 'PIMv1':
      if (msg.code === undefined) return 'PIMv1';
      return PIMV1_CODE_NAMES.get(msg.code) ?? `Unknown (${msg.code})`;
    case 'RGMP':
      return named(RGMP_TYPE_NAMES, msg.type);
    case 'MSNIP':
      return named(MSNIP_TYPE_NAMES, msg.type);
    case 'MRDISC':
      return named(MRDISC_TYPE_NAMES, msg.type);
    case 'IGAP':
      return named(IGAP_TYPE_NAMES, msg.type);
    case 'IGMPv0':
      return named(IGMPV0_TYPE_NAMES, msg.type);
  }
  const name = IGMP_LAYER_TYPES.get(msg.type);
  if (name === undefined) return unknownType(msg.type);
  if (msg.type === IGMP_QUERY) return queryInfo(msg);
  if (msg.type === IGMP_V3_REPORT) return v3ReportInfo(msg);
  if (msg.type === MTRACE_QUERY)
    return msg.length === MTRACE_HEADER ? 'Traceroute Query' : 'Traceroute Request';
  if (msg.type === MTRACE_RESPONSE) {
    const blocks = Math.max(0, Math.floor((msg.length - MTRACE_HEADER) / MTRACE_BLOCK));
    return `Traceroute Response, ${blocks} block${blocks === 1 ? '' : 's'}`;
  }
  if (msg.group === undefined) return name;
  if (msg.version === 2) {
    if (msg.group === '0.0.0.0') return `${name}, general`;
    if (msg.type === IGMP_V2_REPORT) return `${name} group ${msg.group}`;
    if (msg.type === IGMP_V2_LEAVE) return `${name} ${msg.group}`;
  }
  return name;
}

function named(table: ReadonlyMap<number, string>, type: number): string {
  return table.get(type) ?? unknownType(type);
}

function unknownType(type: number): string {
  return `Unknown Type:${hex(type, 2)}`;
}

function queryInfo(msg: IgmpMessage): string {
  let text = 'Membership Query';
  if (msg.group === undefined) return text;
  if (msg.version === 1) return text;
  text += msg.group === '0.0.0.0' ? ', general' : `, specific for group ${msg.group}`;
  const sources = msg.sources ?? [];
  if (sources.length === 1) text += `, source {${sources[0]}}`;
  else if (sources.length > 1) text += `, sources {${sourceList(sources)}}`;
  return text;
}

function v3ReportInfo(msg: IgmpMessage): string {
  const records = msg.records ?? [];
  if (msg.numRecords === 0) return 'Membership Report - General query';
  let text = 'Membership Report';
  for (const record of records) text += ' / ' + recordInfo(record);
  return text;
}

function recordInfo(r: GroupRecord): string {
  const g = r.group;
  const n = r.sources.length;
  const list = sourceList(r.sources);
  switch (r.type) {
    case 1:
    case 3:
      if (n === 0) return `Leave group ${g}`;
      return n === 1
        ? `Join group ${g} for source {${list}}`
        : `Join group ${g} for sources in {${list}}`;
    case 2:
    case 4:
      if (n === 0) return `Join group ${g} for any sources`;
      return n === 1
        ? `Join group ${g}, for source not {${list}}`
        : `Join group ${g}, for sources not in {${list}}`;
    case 5:
      if (n === 0) return `Group ${g}, ALLOW_NEW_SOURCES but no source specified (?)`;
      return n === 1 ? `Group ${g}, new source {${list}}` : `Group ${g}, new sources {${list}}`;
    case 6:
      if (n === 0) return `Group ${g}, BLOCK_OLD_SOURCES but no source specified (?)`;
      return n === 1 ? `Group ${g}, block source {${list}}` : `Group ${g}, block sources {${list}}`;
    default:
      return n === 0
        ? `Group ${g}, unknown record type (?)`
        : `Group ${g}, unknown record type (?), sources {${list}}`;
  }
}
