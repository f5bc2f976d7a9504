import {
  ethernet,
  igmpFrame,
  igmpRaw,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  ipv4,
  pcapFile,
  pcapngFile,
  sampleCapture,
  sampleFrames,
  sll2,
  tunnelCapture,
  tunnelDefectFrames,
  tunnelFrames,
  HOST_A,
  HOST_B,
  QUERIER,
  SAMPLE_EPOCH,
} from '../src/builder/index.js';
import { familyCapture } from '../src/builder/family-scenarios.js';

/** One frame of each defect the decoders must report (see fixtures/README.md). */
export function defectFrames(): { name: string; data: Buffer; origLen?: number }[] {
  const report = igmpV2({ type: 0x16, group: '239.1.1.1' });
  return [
    {
      name: 'bad IGMP checksum',
      data: igmpFrame(
        HOST_A,
        '239.1.1.1',
        igmpV2({ type: 0x16, group: '239.1.1.1', checksum: 0xbad0 }),
      ),
    },
    {
      name: 'bad IP checksum',
      data: ethernet({
        src: HOST_A.mac,
        payload: ipv4({
          src: HOST_A.ip,
          dst: '239.1.1.1',
          payload: report,
          headerChecksum: 0x1111,
        }),
      }),
    },
    {
      name: 'v3 query lying about its sources',
      data: igmpFrame(
        QUERIER,
        '239.1.1.1',
        igmpV3Query({ group: '239.1.1.1', sources: ['10.0.0.1'], numSources: 40 }),
      ),
    },
    {
      name: 'v3 report lying about its records',
      data: igmpFrame(
        HOST_B,
        '224.0.0.22',
        igmpV3Report({ records: [{ type: 4, group: '239.9.9.9' }], numRecords: 3 }),
      ),
    },
    {
      name: 'v3 record with aux data past the end',
      data: igmpFrame(
        HOST_B,
        '224.0.0.22',
        igmpV3Report({ records: [{ type: 1, group: '239.9.9.9', auxWords: 200 }] }),
      ),
    },
    {
      name: 'unknown record type',
      data: igmpFrame(
        HOST_B,
        '224.0.0.22',
        igmpV3Report({ records: [{ type: 7, group: '239.9.9.9' }] }),
      ),
    },
    {
      name: 'query of 10 bytes',
      data: igmpFrame(
        QUERIER,
        '224.0.0.1',
        igmpV2({ type: 0x11, maxResp: 100, extra: Buffer.alloc(2) }),
      ),
    },
    {
      name: 'message of 6 bytes',
      data: igmpFrame(HOST_A, '239.1.1.1', Buffer.from(report.subarray(0, 6))),
    },
    {
      name: 'unknown IGMP type',
      data: igmpFrame(HOST_A, '224.0.0.1', igmpRaw(0x5a, Buffer.from('1b5b33316d0a', 'hex'))),
    },
    {
      name: 'cut by the snaplen',
      data: Buffer.from(
        igmpFrame(
          HOST_B,
          '224.0.0.22',
          igmpV3Report({
            records: [{ type: 5, group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.2'] }],
          }),
        ).subarray(0, 50),
      ),
      origLen: 70,
    },
    {
      name: 'non-zero reserved bits',
      data: igmpFrame(QUERIER, '224.0.0.1', igmpV3Query({ reserved: 0xf })),
    },
  ];
}

/** pcapng with an Ethernet interface (ns timestamps) and a Linux SLL2 one (2^-10 s). */
function twoInterfaces(): Buffer {
  const v3report = igmpV3Report({ records: [{ type: 4, group: '239.1.1.1' }] });
  return pcapngFile({
    sections: [
      {
        interfaces: [
          { linkType: 1, snapLen: 0, tsResol: 9 },
          { linkType: 276, snapLen: 262144, tsResol: 0x8a },
        ],
        blocks: [
          {
            kind: 'epb',
            interfaceId: 0,
            timestamp: BigInt(SAMPLE_EPOCH) * 1_000_000_000n + 123_456_789n,
            data: igmpFrame(QUERIER, '224.0.0.1', igmpV3Query()),
          },
          {
            kind: 'epb',
            interfaceId: 1,
            timestamp: BigInt(SAMPLE_EPOCH + 1) * 1024n + 512n,
            data: sll2({
              addr: HOST_A.mac,
              ifindex: 3,
              payload: ipv4({ src: HOST_A.ip, dst: '224.0.0.22', payload: v3report }),
            }),
          },
          { kind: 'raw', type: 5, body: Buffer.alloc(12) },
          {
            kind: 'epb',
            interfaceId: 0,
            timestamp: BigInt(SAMPLE_EPOCH + 2) * 1_000_000_000n,
            data: ethernet({
              src: HOST_B.mac,
              vlans: [{ id: 42 }],
              payload: ipv4({
                src: HOST_B.ip,
                dst: '239.1.1.1',
                payload: igmpV2({ type: 0x16, group: '239.1.1.1' }),
              }),
            }),
          },
        ],
      },
    ],
  });
}

/** Capture files damaged the ways issue 5 lists; fixtures/fuzz/README.md says what each expects. */
export function fuzzCorpus(): Map<string, Buffer> {
  const frames = sampleFrames().slice(0, 4);
  const packets = frames.map((f) => ({ data: f.data, tsSec: f.tsSec, tsFrac: 0 }));
  const withCapLen = (index: number, capLen: number): Buffer =>
    pcapFile({ packets: packets.map((p, i) => (i === index ? { ...p, capLen } : p)) });
  const pcap = pcapFile({ packets });
  const epbs = frames.map((f, i) => ({
    kind: 'epb' as const,
    interfaceId: 0,
    timestamp: BigInt(i),
    data: f.data,
  }));
  const ng = (blocks: Parameters<typeof pcapngFile>[0]['sections'][0]['blocks']): Buffer =>
    pcapngFile({ sections: [{ interfaces: [{ linkType: 1 }], blocks }] });
  const good = ng(epbs);
  // Offsets: the SHB (28 bytes) and IDB (20 bytes) come first; the first EPB starts at 48.
  const zeroLength = Buffer.from(good);
  const secondBlock = 48 + good.readUInt32LE(48 + 4);
  zeroLength.writeUInt32LE(0, secondBlock + 4);
  const oddLength = Buffer.from(good);
  oddLength.writeUInt32LE(oddLength.readUInt32LE(secondBlock + 4) + 2, secondBlock + 4);
  const capPastBlock = Buffer.from(good);
  capPastBlock.writeUInt32LE(4000, secondBlock + 20);
  return new Map([
    ['fixtures/fuzz/caplen-ffffffff.pcap', withCapLen(2, 0xffffffff)],
    ['fixtures/fuzz/caplen-300k.pcap', withCapLen(2, 300_000)],
    ['fixtures/fuzz/caplen-above-snaplen.pcap', pcapFile({ snapLen: 40, packets })],
    [
      'fixtures/fuzz/cut-in-record-header.pcap',
      Buffer.from(pcap.subarray(0, pcap.length - frames[3].data.length - 6)),
    ],
    ['fixtures/fuzz/header-only-cut.pcap', Buffer.from(pcap.subarray(0, 20))],
    [
      'fixtures/fuzz/pcapng-bad-trailer.pcapng',
      ng(epbs.map((b, i) => (i === 1 ? { ...b, badTrailer: true } : b))),
    ],
    ['fixtures/fuzz/pcapng-zero-length-block.pcapng', zeroLength],
    ['fixtures/fuzz/pcapng-odd-length-block.pcapng', oddLength],
    ['fixtures/fuzz/pcapng-caplen-past-block.pcapng', capPastBlock],
    ['fixtures/fuzz/pcapng-cut-in-block.pcapng', Buffer.from(good.subarray(0, good.length - 10))],
    ['fixtures/fuzz/empty.pcap', Buffer.alloc(0)],
  ]);
}

/** Every built fixture by path, as the bytes the builder makes now. */
export function builtFixtures(): Map<string, Buffer> {
  const sample = sampleCapture();
  const cut = sample.subarray(0, sample.length - 30);
  const defects = defectFrames().map((f, n) => ({
    data: f.data,
    origLen: f.origLen,
    tsSec: SAMPLE_EPOCH + n,
    tsFrac: 0,
  }));
  return new Map([
    ['fixtures/sample.pcap', sample],
    [
      'fixtures/built/sample-ns-be.pcap',
      pcapFile({
        bigEndian: true,
        nanosecond: true,
        packets: sampleFrames().map((f) => ({ ...f, tsFrac: 5 })),
      }),
    ],
    ['fixtures/built/two-interfaces.pcapng', twoInterfaces()],
    ['fixtures/built/defects.pcap', pcapFile({ snapLen: 65535, packets: defects })],
    ['fixtures/built/cut-short.pcap', Buffer.from(cut)],
    ['fixtures/built/tunnels.pcapng', tunnelCapture(tunnelFrames())],
    ['fixtures/built/tunnel-defects.pcapng', tunnelCapture(tunnelDefectFrames())],
    ['fixtures/built/family.pcap', familyCapture()],
    ...fuzzCorpus(),
  ]);
}
