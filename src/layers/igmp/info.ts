import type { GroupRecord, IgmpMessage } from '../views.js';
import { hex } from '../../fields.js';
import {
  DVMRP_CODE_NAMES,
  IGMP_DVMRP,
  IGMP_MTRACE_QUERY as MTRACE_QUERY,
  IGMP_MTRACE_RESPONSE as MTRACE_RESPONSE,
  IGMP_PIMV1,
  IGMP_QUERY,
  IGMP_TYPE_NAMES,
  IGMP_V2_LEAVE,
  IGMP_V2_REPORT,
  IGMP_V3_REPORT,
  MTRACE_BLOCK_LENGTH as MTRACE_BLOCK,
  MTRACE_HEADER_LENGTH as MTRACE_HEADER,
  PIMV1_CODE_NAMES,
} from './types.js';

function sourceList(sources: readonly string[]): string {
  return sources.join(', ');
}

/** The Info column of an IGMP-family message, worded as tshark words it (reference §6). */
export function igmpInfo(msg: IgmpMessage): string {
  if (msg.type < 0) return 'Empty IGMP message';
  const name = IGMP_TYPE_NAMES.get(msg.type);
  if (name === undefined) return `Unknown Type:${hex(msg.type, 2)}`;
  if (msg.type === IGMP_QUERY) return queryInfo(msg);
  if (msg.type === IGMP_V3_REPORT) return v3ReportInfo(msg);
  if (msg.type === IGMP_DVMRP && msg.code !== undefined)
    return `V3 ${DVMRP_CODE_NAMES.get(msg.code) ?? `Unknown (${msg.code})`}`;
  if (msg.type === IGMP_PIMV1 && msg.code !== undefined)
    return PIMV1_CODE_NAMES.get(msg.code) ?? `Unknown (${msg.code})`;
  // tshark's RGMP dissector leaves its name to the Protocol column: `Hello`, not `RGMP Hello`.
  if (msg.label === 'RGMP') return name.slice('RGMP '.length);
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
