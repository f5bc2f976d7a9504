/**
 * Ready-made traffic: the frames of the project's bundled sample capture (one of every
 * message type the dissector decodes, each sent the way the RFCs say) and a frame mix for
 * benchmark captures.
 */
import { encodeExpCode, igmpV1, igmpV2, igmpV3Query, igmpV3Report, RecordType } from './igmp.js';
import { dvmrpProbe, mtrace, pimV1Query } from './family.js';
import { ipv4 } from './ipv4.js';
import { ethernet } from './link.js';
import { pcapFile, type PcapPacket } from './pcap.js';

/** One station on the sample LAN. */
export interface Station {
  ip: string;
  mac: string;
}

export const QUERIER: Station = { ip: '192.168.1.1', mac: '00:11:22:33:44:55' };
export const HOST_A: Station = { ip: '192.168.1.10', mac: '00:aa:bb:cc:dd:01' };
export const HOST_B: Station = { ip: '192.168.1.11', mac: '00:aa:bb:cc:dd:02' };
export const HOST_C: Station = { ip: '192.168.1.12', mac: '00:aa:bb:cc:dd:03' };

/** Well-known destinations (RFC 1112 §4, RFC 2236 §9, RFC 3376 §4.2.14, DVMRP). */
export const ALL_SYSTEMS = '224.0.0.1';
export const ALL_ROUTERS = '224.0.0.2';
export const ALL_DVMRP_ROUTERS = '224.0.0.4';
export const ALL_IGMPV3_ROUTERS = '224.0.0.22';

/** First timestamp of the sample capture (2023-11-14T22:13:20Z); frame n is n seconds later. */
export const SAMPLE_EPOCH = 1700000000;

export interface SampleFrame extends PcapPacket {
  /** What the frame is, for test messages and golden-file names. */
  name: string;
}

interface Message {
  name: string;
  from: Station;
  to: string;
  igmp: Buffer;
  /** RFC 2236 §2 and RFC 3376 §4 require it; RFC 1112 (v1) predates it. */
  routerAlert: boolean;
}

/** Ethernet + IPv4 (TTL 1, ToS 0xc0) around one IGMP-family message. */
export function igmpFrame(from: Station, to: string, igmp: Buffer, routerAlert = true): Buffer {
  return ethernet({
    src: from.mac,
    payload: ipv4({ src: from.ip, dst: to, payload: igmp, routerAlert }),
  });
}

function v1Messages(): Message[] {
  return [
    {
      name: 'v1 general query',
      from: QUERIER,
      to: ALL_SYSTEMS,
      igmp: igmpV1({ type: 0x11 }),
      routerAlert: false,
    },
    {
      name: 'v1 report',
      from: HOST_A,
      to: '239.2.2.2',
      igmp: igmpV1({ type: 0x12, group: '239.2.2.2' }),
      routerAlert: false,
    },
  ];
}

function v2Messages(): Message[] {
  const g = '239.1.1.1';
  return [
    {
      name: 'v2 general query',
      from: QUERIER,
      to: ALL_SYSTEMS,
      igmp: igmpV2({ type: 0x11, maxResp: 100 }),
    },
    {
      name: 'v2 group-specific query',
      from: QUERIER,
      to: g,
      igmp: igmpV2({ type: 0x11, maxResp: 10, group: g }),
    },
    { name: 'v2 report', from: HOST_A, to: g, igmp: igmpV2({ type: 0x16, group: g }) },
    { name: 'v2 leave', from: HOST_A, to: ALL_ROUTERS, igmp: igmpV2({ type: 0x17, group: g }) },
  ].map((m) => ({ ...m, routerAlert: true }));
}

/** A v3 report holding one record of each of the six types (RFC 3376 §4.2.12). */
export function allRecordTypesReport(): Buffer {
  return igmpV3Report({
    records: [
      { type: RecordType.ModeIsInclude, group: '232.1.1.1', sources: ['10.0.0.1'] },
      { type: RecordType.ModeIsExclude, group: '239.1.1.1', sources: [] },
      { type: RecordType.ChangeToInclude, group: '239.3.3.3', sources: ['10.0.0.3', '10.0.0.4'] },
      { type: RecordType.ChangeToExclude, group: '239.4.4.4', sources: ['10.0.0.5'] },
      {
        type: RecordType.AllowNewSources,
        group: '232.2.2.2',
        sources: ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
      },
      { type: RecordType.BlockOldSources, group: '232.3.3.3', sources: ['10.0.0.2'] },
    ],
  });
}

function v3Messages(): Message[] {
  const gs = '232.1.1.1';
  return [
    {
      name: 'v3 general query',
      from: QUERIER,
      to: ALL_SYSTEMS,
      igmp: igmpV3Query({ maxRespCode: 100, qrv: 2, qqic: 125 }),
    },
    {
      name: 'v3 group-specific query',
      from: QUERIER,
      to: '239.1.1.1',
      // Last Member Query Interval, 1 s (RFC 3376 §8.8).
      igmp: igmpV3Query({ maxRespCode: 10, group: '239.1.1.1', qrv: 2, qqic: 125 }),
    },
    {
      name: 'v3 group-and-source-specific query',
      from: QUERIER,
      to: gs,
      igmp: igmpV3Query({
        maxRespCode: encodeExpCode(272), // 0x91 = 27.2 s, exercises the exponential form
        group: gs,
        sFlag: true,
        qrv: 2,
        qqic: 125,
        sources: ['10.0.0.1', '10.0.0.2'],
      }),
    },
    { name: 'v3 report', from: HOST_B, to: ALL_IGMPV3_ROUTERS, igmp: allRecordTypesReport() },
  ].map((m) => ({ ...m, routerAlert: true }));
}

function familyMessages(): Message[] {
  return [
    {
      name: 'mtrace query',
      from: HOST_A,
      to: ALL_ROUTERS, // a receiver on the last hop's LAN may multicast its query there
      igmp: mtrace({
        group: '239.1.1.1',
        source: '10.0.0.1',
        receiver: HOST_A.ip,
        responseAddress: HOST_A.ip,
        queryId: 0x00abcd,
      }),
    },
    {
      name: 'dvmrp probe',
      from: QUERIER,
      to: ALL_DVMRP_ROUTERS,
      igmp: dvmrpProbe({ genId: 12345, neighbors: ['192.168.1.2'] }),
    },
    {
      name: 'pimv1 query',
      from: QUERIER,
      to: ALL_ROUTERS,
      igmp: pimV1Query({ mode: 2, holdtime: 105 }),
    },
  ].map((m) => ({ ...m, routerAlert: false }));
}

/** The frames of the bundled sample capture, timestamps SAMPLE_EPOCH + n seconds. */
export function sampleFrames(): SampleFrame[] {
  const messages = [...v1Messages(), ...v2Messages(), ...v3Messages(), ...familyMessages()];
  return messages.map((m, n) => ({
    name: m.name,
    data: igmpFrame(m.from, m.to, m.igmp, m.routerAlert),
    tsSec: SAMPLE_EPOCH + n,
    tsFrac: 0,
  }));
}

/** The sample capture as a classic µs pcap file (Ethernet, snaplen 65535). */
export function sampleCapture(): Buffer {
  return pcapFile({ packets: sampleFrames() });
}

/** A small mix of valid frames of every version, to cycle through in benchmark captures. */
export function benchFrameMix(): Buffer[] {
  const hosts = [HOST_A, HOST_B, HOST_C];
  const reports = hosts.map((h, i) =>
    igmpFrame(h, `239.0.0.${i + 1}`, igmpV2({ type: 0x16, group: `239.0.0.${i + 1}` })),
  );
  const tagged = ethernet({
    src: HOST_C.mac,
    vlans: [{ id: 100 }],
    payload: ipv4({ src: HOST_C.ip, dst: ALL_IGMPV3_ROUTERS, payload: twoRecordReport() }),
  });
  return [
    igmpFrame(QUERIER, ALL_SYSTEMS, igmpV3Query()),
    ...reports,
    igmpFrame(HOST_A, '239.2.2.2', igmpV1({ type: 0x12, group: '239.2.2.2' }), false),
    igmpFrame(QUERIER, ALL_SYSTEMS, igmpV2({ type: 0x11, maxResp: 100 })),
    igmpFrame(HOST_B, ALL_IGMPV3_ROUTERS, allRecordTypesReport()),
    tagged,
    igmpFrame(HOST_A, ALL_ROUTERS, igmpV2({ type: 0x17, group: '239.0.0.1' })),
  ];
}

function twoRecordReport(): Buffer {
  return igmpV3Report({
    records: [
      { type: RecordType.ChangeToExclude, group: '239.1.1.1' },
      { type: RecordType.AllowNewSources, group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.2'] },
    ],
  });
}

/**
 * count packets cycling through frames (default benchFrameMix()), one every millisecond from
 * startSec: feed it to writePcapStream for a large benchmark capture.
 */
export function* benchPackets(
  count: number,
  frames: Buffer[] = benchFrameMix(),
  startSec = SAMPLE_EPOCH,
): Generator<PcapPacket> {
  for (let i = 0; i < count; i++) {
    yield {
      data: frames[i % frames.length],
      tsSec: startSec + Math.floor(i / 1000),
      tsFrac: (i % 1000) * 1000,
    };
  }
}
