/**
 * The protocol registry, as Wireshark's dissector tables: every protocol is one module that
 * declares its fields, problems, heading, Info text and the table keys it answers to
 * (ethertype 0x0800, ip.proto 47, udp.port 4789 …). `dissect()` is one loop over these
 * tables; the outputs and analyses ask the registry, not the protocol modules, for what a
 * layer is called and how its heading reads.
 */
import type { Frame } from '../capture/frame.js';
import type { FieldOut } from '../field-out.js';
import type { FieldDef, FieldNode, Layer, Problem } from '../fields.js';
import { defineProblems, type ProblemDef } from '../problems.js';
import type { IgmpMessage, Ipv4View } from './views.js';

/** The dispatch tables a protocol can register in, keyed by the number its parent reads. */
export type TableName =
  /** LINKTYPE_* of the capture's interface */
  | 'link'
  /** Ethernet type, also after 802.1Q tags, LLC/SNAP, Linux cooked headers and GENEVE */
  | 'ethertype'
  /** GRE protocol type (an ethertype space of its own: 0x6558 is bridged Ethernet there) */
  | 'gre.proto'
  /** PPP protocol number */
  | 'ppp.protocol'
  /** IPv4 protocol and IPv6 next header (one number space, as in Wireshark's `ip.proto`) */
  | 'ip.proto'
  /** UDP port (the lower of the two is asked first) */
  | 'udp.port'
  /** The first nibble of a payload that names no protocol (raw IP links, MPLS) */
  | 'ip.version';

/** One dispatch table: the protocols by key, and how the walk treats a hand-off through it. */
export class DispatchTable {
  readonly entries = new Map<number, Protocol>();
  /**
   * Keys whose traffic is known and carries no IP (ARP, DNS …): the walk ends there quietly,
   * and `frame.protocols` names the protocol as tshark does.
   */
  readonly knownEnds = new Map<number, string>();

  constructor(
    readonly name: TableName,
    /**
     * Whether a miss is traffic igmpscope met and could not follow (a tunnel it does not know
     * could hide IGMP there): `validate` counts them, so PASS never hides unread frames.
     */
    readonly followed: boolean,
    /** Keys are shown in hex (ethertypes, PPP protocols). */
    private readonly hexKeys: boolean,
  ) {}

  /** A key as people write it: `ethertype 0x88b5`, `udp.port 8472`. */
  describe(key: number): string {
    return `${this.name} ${this.hexKeys ? `0x${key.toString(16).padStart(4, '0')}` : key}`;
  }
}

/** The tables, by name; decoders hand off through these objects (one Map lookup a layer). */
export const TABLES: Readonly<Record<TableName, DispatchTable>> = {
  link: new DispatchTable('link', false, false),
  ethertype: new DispatchTable('ethertype', true, true),
  'gre.proto': new DispatchTable('gre.proto', true, true),
  'ppp.protocol': new DispatchTable('ppp.protocol', true, true),
  'ip.proto': new DispatchTable('ip.proto', true, false),
  'udp.port': new DispatchTable('udp.port', true, false),
  'ip.version': new DispatchTable('ip.version', true, false),
};

export interface Registration {
  readonly table: TableName;
  readonly key: number;
}

/** A field, or a group field and the fields its objects hold (for the schema and filters). */
export type FieldList = readonly (FieldDef | FieldGroup)[];
export interface FieldGroup {
  readonly group: FieldDef;
  readonly members: FieldList;
}

export interface Protocol {
  /** Wireshark's filter name: the layer's JSON key and its name in `frame.protocols`. */
  readonly name: string;
  /** Wireshark's full name, for listings. */
  readonly longName: string;
  /** Every field the decoder can write, in the order it writes them. */
  readonly fields: FieldList;
  /** Problems the decoder can report. */
  readonly problems?: readonly ProblemDef[];
  /** The table keys the protocol answers to. */
  readonly registrations?: readonly Registration[];
  /**
   * Decodes the layer at `start`: `end` is where the captured bytes its parent gives it end,
   * `wireEnd` where they end on the wire (its parent's length fields say so). Adds its layer,
   * fields and problems, and hands the rest on with handOff(); never throws on bad bytes.
   */
  decode(d: Dissection, start: number, end: number, wireEnd: number): void;
  /** The `-V` heading (Wireshark's tree item text); gets the nodes of titleFields. */
  title(layer: Layer, titleNodes: readonly FieldNode[]): string;
  /** The fields the heading names: a writer that keeps no tree keeps these for it. */
  readonly titleFields?: readonly FieldDef[];
  /** Protocol column, when the frame's innermost layer with one is this. */
  column?(d: Dissection, layer: Layer): string;
  /** Info column, likewise. */
  info?(d: Dissection, layer: Layer): string;
  /** `frame.protocols` entry when it is not the name (radiotap's is followed by wlan_radio). */
  readonly chainName?: string;
  /** A run of its layers is one entry in `frame.protocols` (tshark reads an MPLS stack at once). */
  readonly chainOnce?: boolean;
  /**
   * What tells this layer's traffic apart from the same addresses elsewhere (a VLAN id, a VNI,
   * a tunnel's endpoints): membership keys its links by these, so two overlays never merge.
   */
  linkKey?(data: Buffer, layer: Layer): string | undefined;
  /** Offset of the destination MAC when the layer is a MAC layer (the 01:00:5e rule applies). */
  destinationMac?(data: Buffer, layer: Layer): number | undefined;
  /** Offset of the source MAC, likewise (the summary's columns when there is no IP). */
  sourceMac?(data: Buffer, layer: Layer): number | undefined;
  /**
   * A layer between a MAC layer and the IP it carries that leaves the MAC the IP's own
   * (802.1Q tags, LLC): the multicast MAC rule looks through it.
   */
  readonly transparent?: boolean;
}

/** One frame as it is dissected: what the decoders found, and the hand-off between them. */
export interface Dissection {
  readonly frame: Frame;
  /** Whether the field tree was built (the layers' nodes). */
  readonly detail: boolean;
  /** Where the decoders put fields (see ProblemSink.out). */
  readonly out: FieldOut | undefined;
  readonly layers: Layer[];
  /** Every problem of the frame, in the order found. */
  readonly problems: Problem[];
  /** The innermost IPv4 datagram. */
  ip?: Ipv4View;
  igmp?: IgmpMessage;
  /** IPv4 protocol 2 inside the innermost IPv4: the IGMP family, what igmpscope shows by default. */
  isIgmp: boolean;
  /**
   * The layer whose Protocol and Info columns stand for the frame when a layer inside it is
   * only carried data (a PIMv1 Register's packet); else the innermost layer that has them.
   */
  columns?: Layer;
  /** Source and destination of the innermost network layer, as the summary shows them. */
  src?: string;
  dst?: string;
  /** A table key the walk met and no protocol claims (`udp.port 8472`): traffic not followed. */
  unfollowed?: string;
  /**
   * Bytes of a frame check sequence at the end of the frame, when a layer says so (radiotap's
   * FCS flag): the MAC layer shows and checks them instead of handing them on.
   */
  fcsLength: number;
  /** The hand-off the current layer asks for: set by handOff(), read and cleared by the walk. */
  next: HandOff;
}

export interface HandOff {
  /** The table to look the key up in, or undefined when nothing follows. */
  table: DispatchTable | undefined;
  key: number;
  /** A second key to try when the first finds nothing (UDP's other port). */
  otherKey: number;
  /** A protocol named directly (802.3's LLC, 802.11's LLC, VXLAN's Ethernet). */
  name: string | undefined;
  start: number;
  end: number;
  wireEnd: number;
}

export function newHandOff(): HandOff {
  return {
    table: undefined,
    key: 0,
    otherKey: -1,
    name: undefined,
    start: 0,
    end: 0,
    wireEnd: 0,
  };
}

/** Hands the bytes from `start` on to the protocol `table` has under `key`. */
export function handOff(
  d: Dissection,
  table: DispatchTable,
  key: number,
  start: number,
  end: number,
  wireEnd: number,
  otherKey = -1,
): void {
  const next = d.next;
  next.table = table;
  next.key = key;
  next.otherKey = otherKey;
  next.name = undefined;
  next.start = start;
  next.end = end;
  next.wireEnd = wireEnd;
}

/**
 * Hands the bytes from `start` on by ethertype, as Ethernet, 802.1Q and the Linux cooked
 * headers do; tshark lists that step (`eth:ethertype:ip`).
 */
export function handOffByEthertype(
  d: Dissection,
  type: number,
  start: number,
  end: number,
  wireEnd: number,
): void {
  addStep(d, 'ethertype');
  handOff(d, TABLES.ethertype, type, start, end, wireEnd);
}

/** Adds a step after the last layer in `frame.protocols` (tshark's pseudo-layers). */
export function addStep(d: Dissection, step: string): void {
  const layer = d.layers[d.layers.length - 1];
  if (layer !== undefined) layer.step = layer.step === undefined ? step : `${layer.step}:${step}`;
}

/** Hands the bytes from `start` on to the protocol of that name (no table decides). */
export function handOffTo(
  d: Dissection,
  name: string,
  start: number,
  end: number,
  wireEnd: number,
): void {
  const next = d.next;
  next.table = undefined;
  next.name = name;
  next.start = start;
  next.end = end;
  next.wireEnd = wireEnd;
}

const protocols = new Map<string, Protocol>();

/** Adds a protocol: its name, its table keys and its problems. */
export function register(protocol: Protocol): void {
  if (protocols.has(protocol.name)) throw new Error(`protocol ${protocol.name} registered twice`);
  protocols.set(protocol.name, protocol);
  for (const { table, key } of protocol.registrations ?? [])
    TABLES[table].entries.set(key, protocol);
  if (protocol.problems) defineProblems(protocol.problems);
}

/**
 * Adds a table entry (tshark's `-d udp.port==8472,vxlan`). Returns what is wrong with the
 * request, or undefined when it was added.
 */
export function decodeAs(table: TableName, key: number, name: string): string | undefined {
  const protocol = protocols.get(name);
  if (!protocol) return `no protocol named "${name}"`;
  TABLES[table].entries.set(key, protocol);
  return undefined;
}

/**
 * Names a key whose traffic is known and carries no IP (by its Wireshark filter name), so
 * missing it is no unread traffic.
 */
export function registerKnownEnd(table: TableName, key: number, name: string): void {
  TABLES[table].knownEnds.set(key, name);
}

export function protocolNamed(name: string): Protocol | undefined {
  return protocols.get(name);
}

export function allProtocols(): Protocol[] {
  return [...protocols.values()];
}

export function lookup(table: TableName, key: number): Protocol | undefined {
  return TABLES[table].entries.get(key);
}

/**
 * `frame.protocols`: every layer's name, outermost first, with the steps tshark lists for its
 * dispatch tables (`eth:ethertype:ip:igmp:igmp`).
 */
export function protocolChain(layers: readonly Layer[]): string {
  // Most frames have the last frame's layers: a comparison finds that.
  const last = lastLayers;
  if (layers.length === last.count) {
    let same = true;
    for (let i = 0; i < layers.length && same; i++)
      same = layers[i].protocol === last.protocols[i] && layers[i].step === last.steps[i];
    if (same) return last.chain;
  }
  const chain = chainInTrie(layers);
  last.count = layers.length;
  for (let i = 0; i < layers.length; i++) {
    last.protocols[i] = layers[i].protocol;
    last.steps[i] = layers[i].step;
  }
  last.chain = chain;
  return chain;
}

const lastLayers = {
  count: -1,
  protocols: [] as string[],
  steps: [] as (string | undefined)[],
  chain: '',
};

/**
 * Frames of a capture share a few chains: they are kept in a trie by protocol and step, so a
 * frame finds its chain in a lookup or two per layer instead of building the text.
 */
function chainInTrie(layers: readonly Layer[]): string {
  let node: ChainNode | undefined = chainRoot;
  for (let i = 0; i < layers.length && node !== undefined; i++) {
    const layer = layers[i];
    node = chainChild(node, 'byProtocol', layer.protocol);
    if (node !== undefined && layer.step !== undefined)
      node = chainChild(node, 'byStep', layer.step);
  }
  if (node === undefined) return buildChain(layers);
  return (node.chain ??= buildChain(layers));
}

interface ChainNode {
  byProtocol: Map<string, ChainNode> | undefined;
  byStep: Map<string, ChainNode> | undefined;
  chain: string | undefined;
}

const chainRoot: ChainNode = { byProtocol: undefined, byStep: undefined, chain: undefined };
/** Trie nodes made so far: past MAX_CHAIN_NODES, new chains are built each time. */
let chainNodes = 0;
const MAX_CHAIN_NODES = 4096;

function chainChild(
  node: ChainNode,
  by: 'byProtocol' | 'byStep',
  key: string,
): ChainNode | undefined {
  const found = node[by]?.get(key);
  if (found !== undefined || chainNodes >= MAX_CHAIN_NODES) return found;
  const child: ChainNode = { byProtocol: undefined, byStep: undefined, chain: undefined };
  (node[by] ??= new Map()).set(key, child);
  chainNodes++;
  return child;
}

function buildChain(layers: readonly Layer[]): string {
  let chain = '';
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const protocol = protocols.get(layer.protocol);
    const repeat = i > 0 && layers[i - 1].protocol === layer.protocol;
    const name = repeat && protocol?.chainOnce ? '' : (protocol?.chainName ?? layer.protocol);
    if (name !== '') chain += i === 0 ? name : ':' + name;
    if (layer.step !== undefined) chain += ':' + layer.step;
  }
  return chain;
}

/**
 * What carries the frame's innermost IPv4 datagram, as a path of keys (`vlan10/172.30.0.1>
 * 172.30.0.2/vxlan4242`): each layer below it that tells its traffic apart. Empty when the
 * datagram sits on a plain link.
 */
export function carrierPath(d: Dissection): string {
  const ip = d.ip;
  let path = '';
  for (const layer of d.layers) {
    if (layer === ip?.layer) break;
    const key = protocols.get(layer.protocol)?.linkKey?.(d.frame.data, layer);
    if (key !== undefined) path += path === '' ? key : '/' + key;
  }
  return path;
}

/**
 * The MAC layer that carries the innermost IPv4 datagram directly (through 802.1Q tags or
 * LLC only): the offset of its destination (or source) MAC, or undefined when no MAC carries
 * the datagram (a tunnel header, MPLS or PPP sits between).
 */
export function carrierMac(d: Dissection, which: 'destination' | 'source'): number | undefined {
  const ip = d.ip;
  if (!ip) return undefined;
  const layers = d.layers;
  let i = layers.indexOf(ip.layer) - 1;
  for (; i >= 0; i--) {
    const protocol = protocols.get(layers[i].protocol);
    if (!protocol?.transparent) break;
  }
  if (i < 0) return undefined;
  const protocol = protocols.get(layers[i].protocol);
  return which === 'destination'
    ? protocol?.destinationMac?.(d.frame.data, layers[i])
    : protocol?.sourceMac?.(d.frame.data, layers[i]);
}

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];
