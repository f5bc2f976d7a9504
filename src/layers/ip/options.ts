import type { FieldOut } from '../../field-out.js';
import { bytesHex, field, names, type Layer, type Problem } from '../../fields.js';
import { attach, report, type ProblemSink } from '../../problems.js';
import type { FieldList } from '../registry.js';

const OPT_EOL = 0;
const OPT_NOP = 1;
/** RFC 2113: copied, class 0, number 20. */
export const OPT_ROUTER_ALERT = 148;

const OPTION_NAMES = names({
  0: 'End of Options List (EOL)',
  1: 'No Operation (NOP)',
  7: 'Record Route',
  68: 'Time Stamp',
  130: 'Security',
  131: 'Loose Source Route',
  133: 'Extended Security',
  136: 'Stream ID',
  137: 'Strict Source Route',
  148: 'Router Alert',
});

const RA_VALUE_NAMES = names({ 0: 'Router shall examine packet' });

export const ipOptionFields = {
  options: field({ abbrev: 'ip.options', name: 'Options', kind: 'label', treeOnly: true }),
  option: field({ abbrev: 'ip.opt', name: 'IP Option', kind: 'group', groupKey: 'ip.options' }),
  type: field({ abbrev: 'ip.opt.type', name: 'Type', kind: 'uint', names: OPTION_NAMES }),
  len: field({ abbrev: 'ip.opt.len', name: 'Length', kind: 'uint' }),
  ra: field({
    abbrev: 'ip.opt.ra',
    name: 'Router Alert',
    kind: 'uint',
    show: (n) => `${RA_VALUE_NAMES.get(n.value as number) ?? 'Reserved'} (${n.value as number})`,
  }),
  value: field({
    abbrev: 'ip.opt.value',
    name: 'Value',
    kind: 'bytes',
    ours: true,
    blurb: 'the bytes of an option igmpscope does not decode',
  }),
};

export const IP_OPTION_FIELDS: FieldList = [
  ipOptionFields.options,
  {
    group: ipOptionFields.option,
    members: [ipOptionFields.type, ipOptionFields.len, ipOptionFields.ra, ipOptionFields.value],
  },
];

/** One option as the first pass read it; the fields are added from these in a second pass. */
interface IpOption {
  offset: number;
  type: number;
  /** The length byte; -1 for EOL/NOP (no length) and when the header ends before it. */
  len: number;
  /** Where the option's captured bytes end. */
  end: number;
  /** The length byte is missing or impossible: the option's fields stop at it. */
  broken: boolean;
  problems: Problem[];
}

/**
 * Decodes the options area of an IPv4 header (RFC 791 §3.1) into an `Options` subtree (when
 * fields are wanted). Returns whether a Router Alert option (RFC 2113) is present.
 */
export function decodeOptions(
  data: Buffer,
  start: number,
  capturedEnd: number,
  headerEnd: number,
  sink: ProblemSink,
  layer: Layer,
): boolean {
  const out = sink.out;
  // Read first, then write: the heading that holds the options names them all.
  const options: IpOption[] | undefined = out ? [] : undefined;
  let routerAlert = false;
  let offset = start;
  while (offset < capturedEnd) {
    const type = data[offset];
    const option: IpOption | undefined = options && {
      offset,
      type,
      len: -1,
      end: offset + 1,
      broken: false,
      problems: [],
    };
    if (option) options?.push(option);
    // Problems go to the option's node once it exists; without a tree, to the layer.
    const at = out ? undefined : layer;
    if (type === OPT_EOL || type === OPT_NOP) {
      offset++;
      if (type === OPT_EOL) break;
      continue;
    }
    if (offset + 1 >= capturedEnd) {
      const message = `IPv4 option ${type} has no length byte before the end of the header`;
      const problem = report(sink, 'ip.opt.len.bad', offset, message, at);
      if (option) {
        option.broken = true;
        option.problems.push(problem);
      }
      break;
    }
    const len = data[offset + 1];
    if (option) {
      option.len = len;
      option.end = Math.min(offset + len, capturedEnd);
    }
    if (len < 2 || offset + len > headerEnd) {
      const why = len < 2 ? 'is below 2' : `runs ${offset + len - headerEnd} bytes past the header`;
      const message = `IPv4 option ${type} length ${len} ${why}`;
      const problem = report(sink, 'ip.opt.len.bad', offset + 1, message, at);
      if (option) {
        option.broken = true;
        option.problems.push(problem);
      }
      break;
    }
    if (type === OPT_ROUTER_ALERT) {
      routerAlert = true;
      if (len !== 4) {
        const message = `Router Alert option length ${len}, RFC 2113 requires 4`;
        const problem = report(sink, 'ip.opt.ra.len.bad', offset + 1, message, at);
        option?.problems.push(problem);
      }
    }
    offset += len;
  }
  if (out && options) addOptionFields(out, data, start, headerEnd, options);
  return routerAlert;
}

function addOptionFields(
  out: FieldOut,
  data: Buffer,
  start: number,
  headerEnd: number,
  options: readonly IpOption[],
): void {
  let heading: string | undefined;
  if (out.texts) {
    const labels = options.filter((o) => !o.broken).map((o) => optionName(o.type));
    heading = `Options: (${headerEnd - start} bytes)${labels.length ? ', ' + labels.join(', ') : ''}`;
  }
  out.open(ipOptionFields.options, '', start, headerEnd - start, undefined, heading);
  for (const o of options) {
    let value: number | undefined;
    let body: Buffer | undefined;
    if (o.len >= 2 && !o.broken) {
      if (o.type !== OPT_ROUTER_ALERT) body = data.subarray(o.offset + 2, o.end);
      else if (o.end - o.offset >= 4) value = data.readUInt16BE(o.offset + 2);
    }
    const text = out.texts ? optionText(o, value, body) : undefined;
    const length = o.len < 0 ? 1 : o.broken ? 2 : o.len;
    const optionNode = out.open(ipOptionFields.option, '', o.offset, length, o.type, text);
    for (const problem of o.problems) if (optionNode) attach(optionNode, problem);
    out.add(ipOptionFields.type, o.type, o.offset, 1);
    if (o.len >= 0) out.add(ipOptionFields.len, o.len, o.offset + 1, 1);
    if (value !== undefined) out.add(ipOptionFields.ra, value, o.offset + 2, 2);
    if (body && body.length > 0) out.add(ipOptionFields.value, body, o.offset + 2, body.length);
    out.close();
  }
  out.close();
}

/** The heading of one option in the tree. */
function optionText(o: IpOption, value: number | undefined, body: Buffer | undefined): string {
  const name = optionName(o.type);
  if (o.len < 0) return o.broken ? `${name} (length missing)` : name;
  if (o.broken) return `${name} (bad length ${o.len})`;
  if (o.type === OPT_ROUTER_ALERT) {
    const shown =
      value === undefined ? '' : `: ${RA_VALUE_NAMES.get(value) ?? 'Reserved'} (${value})`;
    return `IP Option - Router Alert (${o.len} bytes)${shown}`;
  }
  const hex = body && body.length ? ': ' + bytesHex(body, '') : '';
  return `IP Option - ${name} (${o.len} bytes)${hex}`;
}

function optionName(type: number): string {
  return OPTION_NAMES.get(type) ?? `Unknown (${type})`;
}
