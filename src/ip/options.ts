import { bytesHex, field, names, node, type FieldNode, type Layer } from '../fields.js';
import { report, type ProblemSink } from '../problems.js';

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
  value: field({ abbrev: 'ip.opt.value', name: 'Value', kind: 'bytes', ours: true }),
};

/**
 * Decodes the options area of an IPv4 header (RFC 791 §3.1) into an `Options` subtree (when
 * the tree is wanted). Returns whether a Router Alert option (RFC 2113) is present.
 */
export function decodeOptions(
  data: Buffer,
  start: number,
  capturedEnd: number,
  headerEnd: number,
  sink: ProblemSink,
  layer: Layer,
): boolean {
  const detail = sink.detail;
  const items: FieldNode[] = [];
  const labels: string[] = [];
  let routerAlert = false;
  let offset = start;
  while (offset < capturedEnd) {
    const type = data[offset];
    if (type === OPT_EOL || type === OPT_NOP) {
      if (detail) {
        const opt = node(ipOptionFields.option, '', offset, 1, type, OPTION_NAMES.get(type));
        opt.children = [node(ipOptionFields.type, type, offset, 1)];
        items.push(opt);
        labels.push(optionName(type));
      }
      offset++;
      if (type === OPT_EOL) break;
      continue;
    }
    if (offset + 1 >= capturedEnd) {
      const opt = detail
        ? optionNode(offset, 1, type, `${optionName(type)} (length missing)`, items)
        : undefined;
      report(
        sink,
        'ip.opt.len.bad',
        offset,
        `IPv4 option ${type} has no length byte before the end of the header`,
        opt ?? layer,
      );
      break;
    }
    const len = data[offset + 1];
    if (len < 2 || offset + len > headerEnd) {
      const opt = detail
        ? optionNode(offset, 2, type, `${optionName(type)} (bad length ${len})`, items, len)
        : undefined;
      const why = len < 2 ? 'is below 2' : `runs ${offset + len - headerEnd} bytes past the header`;
      report(
        sink,
        'ip.opt.len.bad',
        offset + 1,
        `IPv4 option ${type} length ${len} ${why}`,
        opt ?? layer,
      );
      break;
    }
    const bodyEnd = Math.min(offset + len, capturedEnd);
    const opt = detail ? optionNode(offset, len, type, '', items, len) : undefined;
    if (type === OPT_ROUTER_ALERT) {
      routerAlert = true;
      if (len !== 4) {
        report(
          sink,
          'ip.opt.ra.len.bad',
          offset + 1,
          `Router Alert option length ${len}, RFC 2113 requires 4`,
          opt ?? layer,
        );
      }
      if (opt) {
        labels.push('Router Alert');
        opt.text = `IP Option - Router Alert (${len} bytes)`;
        if (bodyEnd - offset >= 4) {
          const value = data.readUInt16BE(offset + 2);
          opt.children?.push(node(ipOptionFields.ra, value, offset + 2, 2));
          opt.text += `: ${RA_VALUE_NAMES.get(value) ?? 'Reserved'} (${value})`;
        }
      }
    } else if (opt) {
      const body = data.subarray(offset + 2, bodyEnd);
      if (body.length > 0)
        opt.children?.push(node(ipOptionFields.value, body, offset + 2, body.length));
      opt.text = `IP Option - ${optionName(type)} (${len} bytes)${body.length ? ': ' + bytesHex(body, '') : ''}`;
      labels.push(optionName(type));
    }
    offset += len;
  }
  if (detail) {
    const heading = node(ipOptionFields.options, '', start, headerEnd - start);
    heading.children = items;
    heading.text = `Options: (${headerEnd - start} bytes)${labels.length ? ', ' + labels.join(', ') : ''}`;
    layer.nodes.push(heading);
  }
  return routerAlert;
}

/** An option subtree with its type (and length, when there is one). */
function optionNode(
  offset: number,
  length: number,
  type: number,
  text: string,
  items: FieldNode[],
  len?: number,
): FieldNode {
  const opt = node(ipOptionFields.option, '', offset, length, type, text);
  opt.children = [node(ipOptionFields.type, type, offset, 1)];
  if (len !== undefined) opt.children.push(node(ipOptionFields.len, len, offset + 1, 1));
  items.push(opt);
  return opt;
}

function optionName(type: number): string {
  return OPTION_NAMES.get(type) ?? `Unknown (${type})`;
}
