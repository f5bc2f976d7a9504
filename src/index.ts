/**
 * igmpscope as a library: the capture readers, the layered decoders, the field registry and
 * the formatters the CLI uses. Decoders are pure: bytes in, fields and problems out.
 */
export { readCapture, type CaptureSummary } from './capture/open.js';
export { CaptureError, epochString, MAX_CAPTURED_LENGTH, type Frame } from './capture/frame.js';
export { dissect, linkTypeName, type Dissection } from './dissect.js';
export {
  bitPattern,
  bytesHex,
  findNode,
  shownValue,
  type FieldDef,
  type FieldKind,
  type FieldNode,
  type FieldValue,
  type Layer,
  type Problem,
  type Severity,
} from './fields.js';
export { PROBLEM_DEFS, type ProblemDef } from './problems.js';
export {
  allProtocols,
  decodeAs,
  lookup,
  protocolNamed,
  register,
  handOff,
  handOffTo,
  type FieldList,
  type Protocol,
  type Registration,
  type TableName,
} from './layers/registry.js';
export type {
  ChecksumStatus,
  GroupRecord,
  IgmpMessage,
  Ipv4View,
  QueryKind,
} from './layers/views.js';
export { decodeIgmp, type IgmpInput } from './layers/igmp/decode.js';
export { igmpFields } from './layers/igmp/fields.js';
export { igmpInfo } from './layers/igmp/info.js';
export { decodeFloatCode } from './layers/igmp/codes.js';
export { IGMP_TYPE_NAMES, RECORD_TYPE_NAMES, RECORD_TYPE_SHORT } from './layers/igmp/types.js';
export { ipFields } from './layers/ip/ipv4.js';
export { ipOptionFields } from './layers/ip/options.js';
export { ethFields } from './layers/link/ethernet.js';
export { vlanFields } from './layers/link/vlan.js';
export { sllFields } from './layers/link/sll.js';
export { nullFields } from './layers/link/null.js';
export { infoColumn, protocolColumn } from './output/info.js';
export { summaryLine } from './output/summary.js';
export { frameTree, TreeOut } from './output/tree-out.js';
export { frameJson, JsonOut } from './output/json.js';
export { ByteBuffer } from './output/bytes.js';
export { NodeOut, type FieldOut } from './field-out.js';
export { RelativeClock } from './output/time.js';
export { escapeTerminal } from './output/escape.js';
export { makePalette, colorLevel, type Palette } from './output/palette.js';
