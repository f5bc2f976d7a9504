import type { Frame } from './capture/frame.js';
import { NodeOut, type FieldOut } from './field-out.js';
import './layers/index.js';
import { LINKTYPE_NAMES } from './layers/link/linktypes.js';
import {
  addStep,
  lookup,
  newHandOff,
  protocolNamed,
  type Dissection,
  type HandOff,
  type Protocol,
} from './layers/registry.js';
import { report } from './problems.js';

export type { Dissection } from './layers/registry.js';

export interface DissectOptions {
  /** Build the field tree (for -V and the library). Default true; summaries and analyses skip it. */
  detail?: boolean;
  /** Hand the fields to this writer instead of building a tree (the NDJSON writer). */
  out?: FieldOut;
}

/**
 * More layers than this is a looping or hostile frame: the deepest real stacks (QinQ, MPLS,
 * a tunnel, an inner VLAN) stay well under it.
 */
const MAX_LAYERS = 24;

/** The hand-off between layers: one for all frames, since a walk runs to its end in one go. */
const HAND_OFF = newHandOff();

/**
 * Walks one frame down the dispatch tables: the link type names the first protocol, and each
 * layer hands what follows it to the protocol its table has for the key it read, until
 * nothing claims the bytes.
 */
export function dissect(frame: Frame, options: DissectOptions = {}): Dissection {
  const detail = options.out === undefined && options.detail !== false;
  const d: Dissection = {
    frame,
    detail,
    out: options.out ?? (detail ? new NodeOut() : undefined),
    layers: [],
    problems: [],
    ip: undefined,
    igmp: undefined,
    isIgmp: false,
    columns: undefined,
    src: undefined,
    dst: undefined,
    unfollowed: undefined,
    fcsLength: 0,
    next: HAND_OFF,
  };
  const data = frame.data;
  if (frame.snapLen > 0 && data.length > frame.snapLen) {
    report(
      d,
      'frame.snaplen_exceeded',
      0,
      `captured length ${data.length} is above the snaplen ${frame.snapLen}`,
    );
  }
  let protocol = lookup('link', frame.linkType);
  if (!protocol) {
    report(d, 'link.unsupported', 0, `link type ${frame.linkType} is not decoded`);
    return d;
  }
  const next = d.next;
  let start = 0;
  let end = data.length;
  let wireEnd = frame.origLen;
  for (let depth = 0; ; depth++) {
    if (depth === MAX_LAYERS) {
      report(
        d,
        'frame.too_many_layers',
        start,
        `more than ${MAX_LAYERS} layers: not decoded further`,
      );
      break;
    }
    next.table = undefined;
    next.name = undefined;
    protocol.decode(d, start, end, wireEnd);
    const following = nextProtocol(d, next);
    if (following === undefined) break;
    protocol = following;
    start = next.start;
    end = next.end;
    wireEnd = next.wireEnd;
  }
  return d;
}

/** The protocol the layer just decoded hands on to, noting a key no protocol claims. */
function nextProtocol(d: Dissection, next: HandOff): Protocol | undefined {
  if (next.name !== undefined) return protocolNamed(next.name);
  const table = next.table;
  if (table === undefined) return undefined;
  const entries = table.entries;
  const found =
    entries.get(next.key) ?? (next.otherKey >= 0 ? entries.get(next.otherKey) : undefined);
  if (found !== undefined || !table.followed) return found;
  const ends = table.knownEnds;
  const known = ends.get(next.key) ?? (next.otherKey >= 0 ? ends.get(next.otherKey) : undefined);
  if (known !== undefined) {
    addStep(d, known);
  } else {
    d.unfollowed = table.describe(next.key);
    // What nothing decodes is data to tshark, which lists it as such.
    if (next.start < next.end) addStep(d, 'data');
  }
  return undefined;
}

export function linkTypeName(linkType: number): string {
  return LINKTYPE_NAMES.get(linkType) ?? `Unknown (${linkType})`;
}
