/**
 * The JSON Schema of one `--json` line, generated from the field registry: every registered
 * protocol's fields with their types, so the schema never restates by hand what the decoders
 * declare. `npm run schema` writes it to schema/dissect-frame.schema.json; a test fails when
 * the checked-in file is stale.
 */
import type { FieldDef } from '../fields.js';
import '../layers/index.js';
import { allProtocols, type FieldList } from '../layers/registry.js';
import { PROBLEM_DEFS } from '../problems.js';

type Schema = Record<string, unknown>;

const IPV4 = '^(\\d{1,3}\\.){3}\\d{1,3}$';
const IPV6 = '^[0-9a-f:.]+$';
const MAC = '^([0-9a-f]{2}:){5}[0-9a-f]{2}$';
const HEX_BYTES = '^([0-9a-f]{2}(:[0-9a-f]{2})*)?$';

function valueSchema(def: FieldDef): Schema {
  switch (def.kind) {
    case 'uint':
      return def.fractional ? { type: 'number', minimum: 0 } : { type: 'integer', minimum: 0 };
    case 'int':
      return { type: 'integer' };
    case 'bool':
      return { type: 'boolean' };
    case 'ipv4':
      return { type: 'string', pattern: IPV4 };
    case 'mac':
      return { type: 'string', pattern: MAC };
    case 'ipv6':
      return { type: 'string', pattern: IPV6 };
    case 'bytes':
      return { type: 'string', pattern: HEX_BYTES };
    default:
      return def.values ? { enum: [...def.values] } : { type: 'string' };
  }
}

function described(def: FieldDef, schema: Schema): Schema {
  const blurb = def.ours ? `(igmpscope's own) ${def.blurb ?? def.name}` : def.blurb;
  return blurb === undefined ? schema : { ...schema, description: blurb };
}

/** The object a layer (or a group's element) is: its fields as properties, nothing else. */
function objectSchema(fields: FieldList): Schema {
  const properties: Record<string, Schema> = {};
  for (const entry of fields) {
    if ('group' in entry) {
      const key = entry.group.groupKey ?? entry.group.abbrev;
      const object = objectSchema(entry.members);
      properties[key] = described(
        entry.group,
        entry.group.groupObject ? object : { type: 'array', items: object },
      );
      continue;
    }
    if (entry.kind === 'label' || entry.treeOnly) continue;
    const value = valueSchema(entry);
    properties[entry.abbrev] = described(
      entry,
      entry.repeats ? { type: 'array', items: value } : value,
    );
  }
  return { type: 'object', additionalProperties: false, properties };
}

/** The schema of one NDJSON line of `igmpscope --json`. */
export function frameSchema(): Schema {
  const layers: Record<string, Schema> = {};
  for (const protocol of allProtocols().sort((a, b) => a.name.localeCompare(b.name))) {
    const layer = objectSchema(protocol.fields);
    layers[protocol.name] = {
      description: `${protocol.longName}; an array of its layers, outermost first, when the frame has several`,
      anyOf: [layer, { type: 'array', minItems: 2, items: layer }],
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://igmpscope.invalid/schema/dissect-frame.schema.json',
    title: 'igmpscope --json: one frame',
    description:
      "One line of `igmpscope --json` (NDJSON). Keys are Wireshark display-filter field names with typed values; keys marked (igmpscope's own) have no Wireshark counterpart. Generated from igmpscope's field registry (npm run schema).",
    type: 'object',
    additionalProperties: false,
    required: [
      'frame.number',
      'frame.time_epoch',
      'frame.time_relative',
      'frame.len',
      'frame.cap_len',
      'frame.interface_id',
      'frame.encap',
      'frame.protocols',
      'problems',
    ],
    properties: {
      'frame.number': {
        type: 'integer',
        minimum: 0,
        description: "the capture's own 1-based frame number",
      },
      'frame.time_epoch': {
        type: 'string',
        pattern: '^\\d+(\\.\\d+)?$',
        description: "seconds since the epoch at the capture's full precision",
      },
      'frame.time_relative': {
        type: 'number',
        description: "seconds since the capture's first frame",
      },
      'frame.len': { type: 'integer', minimum: 0 },
      'frame.cap_len': { type: 'integer', minimum: 0 },
      'frame.interface_id': { type: 'integer', minimum: 0 },
      'frame.encap': {
        type: 'integer',
        minimum: 0,
        description: 'LINKTYPE_* value of the interface',
      },
      'frame.protocols': {
        type: 'string',
        description: "every layer's name, outermost first, colon-separated, as tshark lists them",
      },
      file: { type: 'string', description: 'present when several files are read' },
      ...layers,
      problems: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'severity', 'layer', 'offset', 'message'],
          properties: {
            id: { enum: [...PROBLEM_DEFS.keys()].sort() },
            severity: { enum: ['error', 'warning', 'note'] },
            layer: { type: 'string' },
            offset: {
              type: 'integer',
              minimum: 0,
              description: 'byte offset from the start of the frame',
            },
            message: { type: 'string' },
          },
        },
      },
    },
  };
}
