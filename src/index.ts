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
  decodeIgmp,
  type GroupRecord,
  type IgmpInput,
  type IgmpMessage,
} from './layers/igmp/decode.js';
export { igmpFields, type QueryKind } from './layers/igmp/fields.js';
export { decodeFloatCode } from './layers/igmp/codes.js';
export { IGMP_TYPE_NAMES, RECORD_TYPE_NAMES, RECORD_TYPE_SHORT } from './layers/igmp/types.js';
export { decodeIpv4, ipFields, type Ipv4Result, type ChecksumStatus } from './layers/ip/ipv4.js';
export { ipOptionFields } from './layers/ip/options.js';
export { decodeEthernet, ethFields, vlanFields } from './layers/link/ethernet.js';
export { decodeSll, decodeSll2, sllFields } from './layers/link/sll.js';
export { decodeNull, nullFields } from './layers/link/null.js';
export { LINK_DECODERS } from './layers/link/linktypes.js';
export { infoColumn, protocolColumn, igmpInfo } from './output/info.js';
export { summaryLine } from './output/summary.js';
export { frameTree } from './output/tree.js';
export { TreeOut } from './output/tree-out.js';
export { frameJson, JsonOut } from './output/json.js';
export { ByteBuffer } from './output/bytes.js';
export { NodeOut, type FieldOut } from './field-out.js';
export { RelativeClock } from './output/time.js';
export { escapeTerminal } from './output/escape.js';
export { makePalette, colorLevel, type Palette } from './output/palette.js';
