import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchFrameMix,
  benchPackets,
  decodeExpCode,
  dvmrpProbe,
  encodeExpCode,
  ethernet,
  formatMac,
  igmpRaw,
  igmpV1,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  internetChecksum,
  ipv4,
  ipv4Bytes,
  ipv4ToUint32,
  isMulticastIpv4,
  macBytes,
  mtrace,
  multicastMac,
  nullLoopback,
  onesComplementSum,
  pcapFile,
  pcapngFile,
  PcapStreamWriter,
  pimV1Query,
  routerAlertOption,
  sampleCapture,
  sampleFrames,
  sll,
  sll2,
  uint32ToIpv4,
  writePcapStream,
  type PcapPacket,
} from '../src/builder/index.js';
import { corpusPath, needsCorpus } from './corpus.js';

// ---------------------------------------------------------------------------------------------
// A tiny independent reader for the files the builder writes and for the reference captures.

interface PcapRecord {
  tsSec: number;
  tsFrac: number;
  capLen: number;
  origLen: number;
  data: Buffer;
}

interface PcapParsed {
  bigEndian: boolean;
  nanosecond: boolean;
  major: number;
  minor: number;
  snapLen: number;
  linkTypeField: number;
  records: PcapRecord[];
}

function readPcap(buf: Buffer): PcapParsed {
  const magicLe = buf.readUInt32LE(0);
  const magicBe = buf.readUInt32BE(0);
  const bigEndian = magicBe === 0xa1b2c3d4 || magicBe === 0xa1b23c4d;
  const magic = bigEndian ? magicBe : magicLe;
  assert.ok(magic === 0xa1b2c3d4 || magic === 0xa1b23c4d, 'pcap magic');
  const u16 = (o: number) => (bigEndian ? buf.readUInt16BE(o) : buf.readUInt16LE(o));
  const u32 = (o: number) => (bigEndian ? buf.readUInt32BE(o) : buf.readUInt32LE(o));
  const records: PcapRecord[] = [];
  let off = 24;
  while (off < buf.length) {
    const capLen = u32(off + 8);
    const data = buf.subarray(off + 16, off + 16 + capLen);
    records.push({ tsSec: u32(off), tsFrac: u32(off + 4), capLen, origLen: u32(off + 12), data });
    off += 16 + capLen;
  }
  return {
    bigEndian,
    nanosecond: magic === 0xa1b23c4d,
    major: u16(4),
    minor: u16(6),
    snapLen: u32(16),
    linkTypeField: u32(20),
    records,
  };
}

interface PcapngBlockParsed {
  type: number;
  bigEndian: boolean;
  totalLength: number;
  trailerLength: number;
  body: Buffer;
}

function readPcapng(buf: Buffer): PcapngBlockParsed[] {
  const blocks: PcapngBlockParsed[] = [];
  let bigEndian = false;
  let off = 0;
  while (off < buf.length) {
    if (buf.readUInt32BE(off) === 0x0a0d0d0a) {
      // The byte-order magic of each SHB sets the order of its whole section.
      bigEndian = buf.readUInt32BE(off + 8) === 0x1a2b3c4d;
    }
    const u32 = (o: number) => (bigEndian ? buf.readUInt32BE(o) : buf.readUInt32LE(o));
    const totalLength = u32(off + 4);
    assert.equal(totalLength % 4, 0, 'blocks are 4-byte aligned');
    blocks.push({
      type: u32(off),
      bigEndian,
      totalLength,
      trailerLength: u32(off + totalLength - 4),
      body: buf.subarray(off + 8, off + totalLength - 4),
    });
    off += totalLength;
  }
  assert.equal(off, buf.length, 'blocks tile the file');
  return blocks;
}

/** Options of a block body from offset `start`: [code, value] pairs, up to opt_endofopt. */
function readOptions(body: Buffer, start: number, bigEndian: boolean): [number, Buffer][] {
  const u16 = (o: number) => (bigEndian ? body.readUInt16BE(o) : body.readUInt16LE(o));
  const out: [number, Buffer][] = [];
  let off = start;
  while (off < body.length) {
    const code = u16(off);
    const len = u16(off + 2);
    if (code === 0) {
      assert.equal(len, 0);
      assert.equal(off + 4, body.length, 'opt_endofopt ends the options');
      return out;
    }
    out.push([code, body.subarray(off + 4, off + 4 + len)]);
    off += 4 + Math.ceil(len / 4) * 4;
  }
  assert.fail('options without opt_endofopt');
}

/** The IPv4 header and IGMP message of an Ethernet frame (tags skipped, padding dropped). */
function dissect(frame: Buffer): { ip: Buffer; igmp: Buffer; etherType: number } {
  let off = 12;
  while (frame.readUInt16BE(off) === 0x8100 || frame.readUInt16BE(off) === 0x88a8) off += 4;
  const etherType = frame.readUInt16BE(off);
  const ipStart = off + 2;
  const ihl = (frame[ipStart] & 0x0f) * 4;
  const total = frame.readUInt16BE(ipStart + 2);
  return {
    ip: frame.subarray(ipStart, ipStart + ihl),
    igmp: frame.subarray(ipStart + ihl, ipStart + total),
    etherType,
  };
}

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ---------------------------------------------------------------------------------------------
// checksum.ts, addr.ts, expcode

test('internetChecksum follows RFC 1071 (its §3 example, odd length, empty)', () => {
  const rfc = hex('0001 f203 f4f5 f6f7');
  assert.equal(onesComplementSum(rfc), 0xddf2);
  assert.equal(internetChecksum(rfc), 0x220d);
  assert.equal(internetChecksum(hex('01')), 0xfeff, 'odd byte padded as the high byte');
  assert.equal(internetChecksum(Buffer.alloc(0)), 0xffff);
  assert.equal(internetChecksum(hex('ff 0001 f203 f4f5 f6f7 ff'), 1, 9), 0x220d, 'range');
  const sealed = Buffer.concat([rfc, hex('220d')]);
  assert.equal(internetChecksum(sealed), 0, 'a correct checksum verifies to 0');
});

test('addresses parse strictly and map to RFC 1112 §6.4 MACs', () => {
  assert.deepEqual(ipv4Bytes('239.1.2.3'), hex('ef010203'));
  assert.equal(ipv4ToUint32('255.255.255.255'), 0xffffffff);
  assert.equal(uint32ToIpv4(0xe00000fb), '224.0.0.251');
  assert.throws(() => ipv4Bytes('256.1.1.1'), RangeError);
  assert.throws(() => ipv4Bytes('1.2.3'), RangeError);
  assert.deepEqual(macBytes('01:00:5e:00:00:16'), hex('01005e000016'));
  assert.deepEqual(macBytes('01-00-5E-00-00-16'), hex('01005e000016'));
  assert.throws(() => macBytes('01:00:5e:00:00'), RangeError);
  assert.equal(formatMac(multicastMac('239.255.255.250')), '01:00:5e:7f:ff:fa');
  // Only the low 23 bits survive: 224.128.1.1 and 239.0.1.1 share 224.0.1.1's MAC.
  assert.deepEqual(multicastMac('224.128.1.1'), multicastMac('224.0.1.1'));
  assert.deepEqual(multicastMac('239.0.1.1'), multicastMac('224.0.1.1'));
  assert.ok(isMulticastIpv4('224.0.0.1') && isMulticastIpv4('239.255.255.255'));
  assert.ok(!isMulticastIpv4('240.0.0.1') && !isMulticastIpv4('192.168.1.1'));
});

test('expcode: RFC 3376 §4.1.1 values, round trip over every code, rounding up', () => {
  assert.equal(decodeExpCode(0x91), 272);
  assert.equal(decodeExpCode(0xff), 31744);
  assert.equal(decodeExpCode(0x80), 128);
  assert.equal(decodeExpCode(127), 127);
  for (let code = 0; code < 256; code++) {
    assert.equal(encodeExpCode(decodeExpCode(code)), code, `code ${code}`);
  }
  assert.equal(encodeExpCode(272), 0x91);
  assert.equal(encodeExpCode(129), 0x81, '129 is not representable: next is 136');
  assert.equal(decodeExpCode(encodeExpCode(249)), 256);
  assert.equal(encodeExpCode(31744), 0xff);
  assert.throws(() => encodeExpCode(31745), RangeError);
  assert.throws(() => encodeExpCode(-1), RangeError);
  assert.throws(() => decodeExpCode(256), RangeError);
});

// ---------------------------------------------------------------------------------------------
// Byte-exact against real captures

test(
  'IGMP_V2.pcap: general query (no options) and sender-side report rebuilt byte for byte',
  needsCorpus,
  () => {
    const { records } = readPcap(readFileSync(corpusPath('tcpdump/IGMP_V2.pcap')));
    const query = ethernet({
      src: '00:1b:11:10:26:11',
      payload: ipv4({
        src: '192.168.1.2',
        dst: '224.0.0.1',
        tos: 0,
        id: 0x6551,
        routerAlert: false,
        payload: igmpV2({ type: 0x11, maxResp: 100 }),
      }),
    });
    assert.deepEqual(query, records[0].data);
    const report = ethernet({
      src: '00:1c:23:aa:be:ad',
      padTo60: false,
      payload: ipv4({
        src: '192.168.1.64',
        dst: '239.255.255.250',
        tos: 0,
        id: 0x8c62,
        payload: igmpV2({ type: 0x16, group: '239.255.255.250' }),
      }),
    });
    assert.deepEqual(report, records[1].data);
  },
);

test('zeek igmp.pcap: IGMPv3 TO_EX report rebuilt byte for byte', needsCorpus, () => {
  const { records } = readPcap(readFileSync(corpusPath('zeek/igmp.pcap')));
  const frame = ethernet({
    src: '50:dc:e7:a2:d8:95',
    padTo60: false,
    payload: ipv4({
      src: '192.168.1.150',
      dst: '224.0.0.22',
      df: true,
      payload: igmpV3Report({ records: [{ type: 4, group: '239.255.255.250' }] }),
    }),
  });
  assert.deepEqual(frame, records[0].data);
});

test(
  'zeek home-multicast-short: v3 query with 10 trailing bytes inside the IP length',
  needsCorpus,
  () => {
    const { records } = readPcap(readFileSync(corpusPath('zeek/home-multicast-short.pcap')));
    const frame = ethernet({
      src: '98:da:c4:c9:80:a8',
      payload: ipv4({
        src: '192.168.0.1',
        dst: '224.0.0.1',
        tos: 0,
        df: true,
        payload: igmpV3Query({ maxRespCode: 100, qrv: 2, qqic: 125, extra: Buffer.alloc(10) }),
      }),
    });
    assert.deepEqual(frame, records[0].data);
  },
);

test('scapy-igmp-sample.pcap (built with scapy for the reference notes): the whole file rebuilt byte for byte', () => {
  const querier = { src: '192.168.1.1', mac: '00:11:22:33:44:55' };
  const host = { src: '192.168.1.10', mac: '00:aa:bb:cc:dd:01' };
  const frame = (from: typeof host, dst: string, igmp: Buffer, routerAlert = true) =>
    ethernet({ src: from.mac, payload: ipv4({ src: from.src, dst, payload: igmp, routerAlert }) });
  const frames = [
    frame(querier, '224.0.0.1', igmpV2({ type: 0x11, maxResp: 100 })),
    frame(host, '239.1.1.1', igmpV2({ type: 0x16, group: '239.1.1.1' })),
    frame(host, '224.0.0.2', igmpV2({ type: 0x17, group: '239.1.1.1' })),
    frame(
      querier,
      '232.1.1.1',
      igmpV3Query({
        maxRespCode: 0x91,
        group: '232.1.1.1',
        sFlag: true,
        sources: ['10.0.0.1', '10.0.0.2'],
      }),
    ),
    frame(
      host,
      '224.0.0.22',
      igmpV3Report({
        records: [
          { type: 4, group: '239.1.1.1' },
          { type: 5, group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.2'] },
        ],
      }),
    ),
    frame(host, '239.2.2.2', igmpV1({ type: 0x12, group: '239.2.2.2' }), false),
  ];
  const file = pcapFile({
    packets: frames.map((data, n) => ({ data, tsSec: 1700000000 + n, tsFrac: 0 })),
  });
  assert.deepEqual(file, readFileSync('fixtures/scapy-igmp-sample.pcap'));
});

test('packetgen igmpv3.pcapng: the whole pcapng file rebuilt byte for byte', needsCorpus, () => {
  const query = ethernet({
    src: '00:01:01:00:00:01',
    padTo60: false,
    payload: ipv4({
      src: '127.0.0.1',
      dst: '224.0.0.9',
      id: 0x8f98,
      payload: igmpV3Query({
        maxRespCode: 1,
        group: '224.0.0.9',
        sFlag: true,
        qrv: 7,
        qqic: 0,
        sources: ['192.168.20.222'],
      }),
    }),
  });
  const report = ethernet({
    src: '00:01:01:00:00:02',
    padTo60: false,
    payload: ipv4({
      src: '127.0.0.1',
      dst: '224.0.0.22',
      id: 0x0f65,
      payload: igmpV3Report({
        records: [{ type: 1, group: '224.0.0.9', sources: ['192.168.20.222'] }],
      }),
    }),
  });
  const file = pcapngFile({
    sections: [
      {
        interfaces: [{ linkType: 1 }],
        blocks: [
          { kind: 'epb', interfaceId: 0, timestamp: 0x0005639e_7c3e6600n, data: query },
          { kind: 'epb', interfaceId: 0, timestamp: 0x0005639e_7c4da840n, data: report },
        ],
      },
    ],
  });
  assert.deepEqual(file, readFileSync(corpusPath('packetgen/igmpv3.pcapng')));
});

// ---------------------------------------------------------------------------------------------
// igmp.ts

test('igmpV1 and igmpV2: layout, whole-message checksum including extra bytes', () => {
  const q = igmpV1({ type: 0x11 });
  assert.deepEqual(q, hex('1100 eeff 00000000'));
  const r = igmpV1({ type: 0x12, group: '239.2.2.2', unused: 7 });
  assert.equal(r[1], 7);
  assert.equal(internetChecksum(r), 0);
  const leave = igmpV2({ type: 0x17, group: '239.1.1.1' });
  assert.deepEqual(leave, hex('1700 f8fc ef010101'));
  // RFC 2236 §2.5: longer messages are legal and the checksum covers every byte.
  const long = igmpV2({ type: 0x16, group: '239.1.1.1', extra: hex('deadbeef') });
  assert.equal(long.length, 12);
  assert.equal(internetChecksum(long), 0);
  assert.notEqual(internetChecksum(long, 0, 8), 0, 'the first 8 bytes alone do not verify');
  const forced = igmpV2({ type: 0x16, group: '239.1.1.1', checksum: 0x1234 });
  assert.equal(forced.readUInt16BE(2), 0x1234);
  assert.notEqual(internetChecksum(forced), 0);
});

test('igmpV3Query: fields, defaults, lying source count, reserved bits, ranges', () => {
  const q = igmpV3Query({
    maxRespCode: 0x91,
    group: '232.1.1.1',
    sFlag: true,
    qrv: 2,
    qqic: 125,
    sources: ['10.0.0.1', '10.0.0.2'],
  });
  assert.deepEqual(q, hex('1191 e6e9 e8010101 0a 7d 0002 0a000001 0a000002'));
  const general = igmpV3Query();
  assert.deepEqual(general, hex('1164 ec1e 00000000 02 7d 0000'));
  const lie = igmpV3Query({ sources: ['10.0.0.1'], numSources: 3 });
  assert.equal(lie.length, 16);
  assert.equal(lie.readUInt16BE(10), 3);
  assert.equal(internetChecksum(lie), 0, 'the lie is in the count, not the checksum');
  const resv = igmpV3Query({ reserved: 0xf, qrv: 7, sFlag: false });
  assert.equal(resv[8], 0xf7);
  assert.throws(() => igmpV3Query({ qrv: 8 }), RangeError);
  assert.throws(() => igmpV3Query({ reserved: 16 }), RangeError);
  const extra = igmpV3Query({ extra: Buffer.alloc(3, 0xaa) });
  assert.equal(extra.length, 15);
  assert.equal(internetChecksum(extra), 0);
});

test('igmpV3Report: records, aux data, lying counts, reserved fields, truncation', () => {
  const rep = igmpV3Report({
    records: [
      { type: 4, group: '239.1.1.1' },
      { type: 5, group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.2'] },
    ],
  });
  assert.deepEqual(
    rep,
    hex('2200 e7f2 0000 0002 04000000 ef010101 05000002 e8010101 0a000001 0a000002'),
  );
  const aux = igmpV3Report({
    records: [{ type: 1, group: '239.1.1.1', sources: ['10.0.0.1'], auxData: hex('deadbeef') }],
  });
  assert.equal(aux[9], 1, 'aux data length in 32-bit words');
  assert.deepEqual(aux.subarray(20), hex('deadbeef'), 'aux data follows the sources');
  assert.equal(internetChecksum(aux), 0);
  assert.throws(() =>
    igmpV3Report({ records: [{ type: 1, group: '1.1.1.1', auxData: hex('01') }] }),
  );
  const lies = igmpV3Report({
    numRecords: 5,
    reserved1: 0xaa,
    reserved2: 0xbbcc,
    records: [{ type: 9, group: '239.1.1.1', numSources: 4, auxWords: 2 }],
  });
  assert.equal(lies.length, 16);
  assert.deepEqual(
    [lies[1], lies.readUInt16BE(4), lies.readUInt16BE(6), lies[8], lies[9], lies.readUInt16BE(10)],
    [0xaa, 0xbbcc, 5, 9, 2, 4],
  );
  assert.equal(internetChecksum(lies), 0);
  const cut = igmpV3Report({
    records: [{ type: 5, group: '232.1.1.1', sources: ['10.0.0.1'] }],
    truncateTo: 14,
  });
  assert.equal(cut.length, 14);
  assert.equal(cut.readUInt16BE(6), 1, 'still claims its record');
  assert.equal(cut.readUInt16BE(10), 1, 'still claims its source');
  assert.equal(internetChecksum(cut), 0, 'checksum computed over what was sent');
  assert.throws(() => igmpV3Report({ records: [], truncateTo: 9 }), RangeError);
  const forced = igmpV3Report({ records: [], checksum: 0 });
  assert.equal(forced.readUInt16BE(2), 0);
});

test('igmpRaw and the IGMP-family builders', () => {
  const raw = igmpRaw(0x30, hex('0005 0002'), { code: 20 });
  assert.deepEqual([raw[0], raw[1], raw.length], [0x30, 20, 8]);
  assert.equal(internetChecksum(raw), 0);
  assert.equal(igmpRaw(0xff, hex('e0000019'), { checksum: 0xbeef }).readUInt16BE(2), 0xbeef);
  assert.equal(igmpRaw(0x01, Buffer.alloc(16)).length, 20, 'IGMPv0 is 20 bytes');

  const probe = dvmrpProbe({ genId: 12345, neighbors: ['192.168.1.2'] });
  assert.deepEqual(
    probe,
    Buffer.concat([hex('1301'), probe.subarray(2, 4), hex('000eff03 00003039 c0a80102')]),
  );
  assert.equal(internetChecksum(probe), 0);
  const pim = pimV1Query();
  assert.deepEqual(pim.subarray(4), hex('10000000 20000069'));
  assert.deepEqual([pim[0], pim[1], internetChecksum(pim)], [0x14, 0, 0]);
});

test(
  'mtrace: the 24-byte query of tcpdump mtrace.pcap frame 1 rebuilt byte for byte',
  needsCorpus,
  () => {
    const { records } = readPcap(readFileSync(corpusPath('tcpdump/mtrace.pcap')));
    const mt = mtrace({
      group: '0.0.0.0',
      source: '172.16.40.1',
      receiver: '172.16.20.1',
      responseAddress: '172.16.40.1',
      responseTtl: 0x40,
      queryId: 7,
    });
    assert.equal(mt.length, 24);
    assert.deepEqual(mt, dissect(records[0].data).igmp);
  },
);

// ---------------------------------------------------------------------------------------------
// ipv4.ts and link.ts

test('ipv4: RFC defaults (TTL 1, ToS 0xc0, Router Alert), header checksum, overrides', () => {
  const payload = igmpV2({ type: 0x16, group: '239.1.1.1' });
  const d = ipv4({ src: '192.168.1.10', dst: '239.1.1.1', payload });
  assert.equal(d[0], 0x46, 'IHL 6 with Router Alert');
  assert.deepEqual([d[1], d.readUInt16BE(2), d[8], d[9]], [0xc0, 32, 1, 2]);
  assert.deepEqual(d.subarray(20, 24), routerAlertOption());
  assert.equal(internetChecksum(d, 0, 24), 0);
  assert.deepEqual(routerAlertOption(1), hex('94040001'));

  const plain = ipv4({
    src: '1.1.1.1',
    dst: '2.2.2.2',
    payload,
    routerAlert: false,
    ttl: 64,
    tos: 0,
  });
  assert.deepEqual([plain[0], plain[1], plain[8], plain.length], [0x45, 0, 64, 28]);

  const opt = ipv4({ src: '1.1.1.1', dst: '2.2.2.2', payload, options: hex('01') });
  assert.equal(opt[0], 0x47, 'options padded to a 32-bit boundary');
  assert.deepEqual(opt.subarray(24, 28), hex('01000000'));
  assert.throws(() => ipv4({ src: '1.1.1.1', dst: '2.2.2.2', payload, options: Buffer.alloc(40) }));

  const frag = ipv4({
    src: '1.1.1.1',
    dst: '2.2.2.2',
    payload,
    df: true,
    mf: true,
    fragOffset: 0x123,
    id: 77,
  });
  assert.deepEqual([frag.readUInt16BE(4), frag.readUInt16BE(6)], [77, 0x6123]);

  const lie = ipv4({
    src: '1.1.1.1',
    dst: '2.2.2.2',
    payload,
    totalLength: 12336,
    headerChecksum: 0xdead,
    ihl: 15,
  });
  assert.deepEqual([lie[0], lie.readUInt16BE(2), lie.readUInt16BE(10)], [0x4f, 12336, 0xdead]);
  assert.equal(lie.length, 32, 'the bytes laid out do not follow the lies');
  assert.notEqual(internetChecksum(lie, 0, 24), 0);
});

test('ethernet: multicast MAC by default, padding, VLAN tags, trailer', () => {
  const payload = ipv4({
    src: '192.168.1.10',
    dst: '224.0.0.22',
    payload: igmpV3Report({ records: [] }),
  });
  const f = ethernet({ src: '00:aa:bb:cc:dd:01', payload });
  assert.equal(formatMac(f.subarray(0, 6)), '01:00:5e:00:00:16');
  assert.equal(f.length, 60);
  assert.deepEqual(f.subarray(14 + payload.length), Buffer.alloc(60 - 14 - payload.length));
  assert.equal(
    ethernet({ src: '00:aa:bb:cc:dd:01', payload, padTo60: false }).length,
    14 + payload.length,
  );

  const unicast = ipv4({ src: '10.0.0.5', dst: '172.16.20.1', payload: Buffer.alloc(8) });
  assert.throws(() => ethernet({ src: '00:aa:bb:cc:dd:01', payload: unicast }), TypeError);
  assert.equal(
    formatMac(
      ethernet({ dst: 'c2:00:32:48:00:00', src: '00:aa:bb:cc:dd:01', payload: unicast }).subarray(
        0,
        6,
      ),
    ),
    'c2:00:32:48:00:00',
  );

  const qinq = ethernet({
    src: '00:aa:bb:cc:dd:01',
    vlans: [
      { tpid: 0x88a8, id: 10 },
      { pcp: 6, dei: true, id: 0xabc },
    ],
    payload,
    trailer: hex('cafebabe'),
  });
  assert.deepEqual(qinq.subarray(12, 22), hex('88a8 000a 8100 dabc 0800'));
  assert.equal(formatMac(qinq.subarray(0, 6)), '01:00:5e:00:00:16', 'dst found through the tags');
  assert.deepEqual(qinq.subarray(-4), hex('cafebabe'), 'trailer after the data');
  assert.equal(qinq.length, 60 + 4, 'padded to 60, then the trailer');
  assert.throws(
    () => ethernet({ src: '00:aa:bb:cc:dd:01', vlans: [{ id: 4096 }], payload }),
    RangeError,
  );
});

test('cooked (SLL, SLL2) and null/loopback headers', () => {
  const payload = ipv4({
    src: '192.168.1.10',
    dst: '239.1.1.1',
    payload: igmpV2({ type: 0x16, group: '239.1.1.1' }),
  });
  const v1 = sll({ addr: '00:aa:bb:cc:dd:01', payload });
  assert.deepEqual(v1.subarray(0, 16), hex('0002 0001 0006 00aabbccdd010000 0800'));
  assert.deepEqual(v1.subarray(16), payload);
  const out = sll({ addr: '00:aa:bb:cc:dd:01', payload, packetType: 4 });
  assert.equal(out.readUInt16BE(0), 4);
  const uni = ipv4({ src: '10.0.0.6', dst: '10.0.0.5', payload: Buffer.alloc(8) });
  assert.equal(sll({ addr: '00:aa:bb:cc:dd:01', payload: uni }).readUInt16BE(0), 0, 'to us');
  const v2 = sll2({ addr: '00:aa:bb:cc:dd:01', ifindex: 3, payload });
  assert.deepEqual(v2.subarray(0, 20), hex('0800 0000 00000003 0001 02 06 00aabbccdd010000'));
  assert.deepEqual(nullLoopback({ payload }).subarray(0, 4), hex('02000000'));
  assert.deepEqual(
    nullLoopback({ payload, littleEndian: false, family: 24 }).subarray(0, 4),
    hex('00000018'),
  );
});

// ---------------------------------------------------------------------------------------------
// capture writers

const somePackets = (): PcapPacket[] => [
  { data: hex('aabbcc'), tsSec: 1700000000, tsFrac: 123456 },
  { data: hex('01020304050607'), tsSec: 1700000001, tsFrac: 999999, origLen: 1500 },
];

test('pcapFile: magic per byte order and resolution, header fields, records read back', () => {
  const cases = [
    { bigEndian: false, nanosecond: false, magic: 'd4c3b2a1' },
    { bigEndian: false, nanosecond: true, magic: '4d3cb2a1' },
    { bigEndian: true, nanosecond: false, magic: 'a1b2c3d4' },
    { bigEndian: true, nanosecond: true, magic: 'a1b23c4d' },
  ];
  for (const c of cases) {
    const file = pcapFile({ ...c, snapLen: 262144, linkType: 113, packets: somePackets() });
    assert.equal(file.subarray(0, 4).toString('hex'), c.magic);
    const p = readPcap(file);
    assert.deepEqual(
      [p.bigEndian, p.nanosecond, p.major, p.minor, p.snapLen, p.linkTypeField],
      [c.bigEndian, c.nanosecond, 2, 4, 262144, 113],
    );
    assert.equal(p.records.length, 2);
    assert.deepEqual(p.records[1], {
      tsSec: 1700000001,
      tsFrac: 999999,
      capLen: 7,
      origLen: 1500,
      data: hex('01020304050607'),
    });
  }
  const fcs = readPcap(pcapFile({ linkTypeHigh: 0x3000_0000, version: [1, 0], packets: [] }));
  assert.deepEqual(
    [fcs.linkTypeField, fcs.major, fcs.minor, fcs.records.length],
    [0x30000001, 1, 0, 0],
  );
});

test('pcapFile: a lying captured length is written as asked', () => {
  const file = pcapFile({ packets: [{ data: hex('aabbcc'), tsSec: 1, tsFrac: 2, capLen: 1000 }] });
  assert.equal(file.length, 24 + 16 + 3, 'only the real bytes follow');
  assert.equal(file.readUInt32LE(24 + 8), 1000);
  assert.equal(file.readUInt32LE(24 + 12), 3);
});

test('pcapngFile: blocks, options, resolution, byte orders, sections, trailer lie', () => {
  const frame = sampleFrames()[2].data;
  const file = pcapngFile({
    sections: [
      {
        interfaces: [{ linkType: 1, snapLen: 65535, tsResol: 9 }, { linkType: 276 }],
        blocks: [
          { kind: 'epb', interfaceId: 0, timestamp: 1700000000_123456789n, data: frame },
          { kind: 'spb', data: frame.subarray(0, 41), origLen: frame.length },
          { kind: 'pb', interfaceId: 1, drops: 3, timestamp: 5n, data: hex('0102') },
          { kind: 'raw', type: 0x00000bad, body: hex('0102030405') },
          {
            kind: 'epb',
            interfaceId: 0,
            timestamp: 0n,
            data: hex('01'),
            capLen: 99,
            badTrailer: true,
          },
        ],
      },
      {
        bigEndian: true,
        majorVersion: 2,
        interfaces: [{ linkType: 0, tsResol: 0x8a }],
        blocks: [],
      },
    ],
  });
  const blocks = readPcapng(file);
  assert.deepEqual(
    blocks.map((b) => [b.type, b.bigEndian]),
    [
      [0x0a0d0d0a, false],
      [1, false],
      [1, false],
      [6, false],
      [3, false],
      [2, false],
      [0xbad, false],
      [6, false],
      [0x0a0d0d0a, true],
      [1, true],
    ],
  );
  for (const [i, b] of blocks.entries()) {
    if (i === 7) assert.equal(b.trailerLength, b.totalLength + 4, 'badTrailer disagrees');
    else assert.equal(b.trailerLength, b.totalLength, `block ${i} trailer`);
  }
  const [shb, idb0, idb1, epb, spb, pb, raw, bad, shb2, idb2] = blocks;
  assert.deepEqual(shb.body.subarray(0, 8), hex('4d3c2b1a 0100 0000'));
  assert.deepEqual(shb.body.subarray(8, 16), Buffer.alloc(8, 0xff), 'section length -1');
  assert.deepEqual([idb0.body.readUInt16LE(0), idb0.body.readUInt32LE(4)], [1, 65535]);
  assert.deepEqual(readOptions(idb0.body, 8, false), [[9, hex('09')]]);
  assert.equal(idb1.body.length, 8, 'no options, no opt_endofopt');
  const ts = (BigInt(epb.body.readUInt32LE(4)) << 32n) | BigInt(epb.body.readUInt32LE(8));
  assert.equal(ts, 1700000000_123456789n);
  assert.deepEqual([epb.body.readUInt32LE(12), epb.body.readUInt32LE(16)], [60, 60]);
  assert.deepEqual(epb.body.subarray(20, 80), frame);
  assert.deepEqual([spb.body.readUInt32LE(0), spb.totalLength], [60, 12 + 4 + 44]);
  assert.deepEqual(
    [
      pb.body.readUInt16LE(0),
      pb.body.readUInt16LE(2),
      pb.body.readUInt32LE(8),
      pb.body.readUInt32LE(12),
    ],
    [1, 3, 5, 2],
  );
  assert.deepEqual(raw.body, hex('0102030405000000'), 'raw body padded to 4');
  assert.equal(bad.body.readUInt32LE(12), 99, 'captured length lie');
  assert.deepEqual(shb2.body.subarray(0, 8), hex('1a2b3c4d 0002 0000'));
  assert.deepEqual(readOptions(idb2.body, 8, true), [[9, hex('8a')]]);
  assert.equal(idb2.body.readUInt16BE(0), 0);
});

test('PcapStreamWriter: same bytes as pcapFile, across chunk flushes and oversized records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-builder-'));
  try {
    const packets = [
      ...benchPackets(50),
      { data: Buffer.alloc(300, 0x5a), tsSec: 9, tsFrac: 9 },
      ...benchPackets(5),
    ];
    for (const bigEndian of [false, true]) {
      const path = join(dir, `small-${bigEndian}.pcap`);
      const result = writePcapStream(path, packets, {
        chunkSize: 128,
        bigEndian,
        nanosecond: true,
      });
      const expected = pcapFile({ packets, bigEndian, nanosecond: true });
      assert.deepEqual(readFileSync(path), expected);
      assert.deepEqual(result, { frames: packets.length, bytes: expected.length });
    }
    const writer = new PcapStreamWriter(join(dir, 'closed.pcap'));
    writer.close();
    writer.close();
    assert.throws(() => writer.write(packets[0]));
    assert.throws(() => new PcapStreamWriter(join(dir, 'x.pcap'), { chunkSize: 8 }), RangeError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writePcapStream: 200k frames quickly, readable end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-builder-'));
  try {
    const path = join(dir, 'bench.pcap');
    const mix = benchFrameMix();
    const count = 200_000;
    const started = performance.now();
    const result = writePcapStream(path, benchPackets(count, mix));
    const elapsed = performance.now() - started;
    assert.equal(result.frames, count);
    assert.equal(statSync(path).size, result.bytes);
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    const p = readPcap(readFileSync(path));
    assert.equal(p.records.length, count);
    const last = p.records[count - 1];
    assert.deepEqual(last.data, mix[(count - 1) % mix.length]);
    assert.deepEqual([last.tsSec, last.tsFrac], [1700000000 + 199, 999000]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// scenarios.ts

const DESTINATIONS: Record<string, string> = {
  'v1 general query': '224.0.0.1',
  'v1 report': '239.2.2.2',
  'v2 general query': '224.0.0.1',
  'v2 group-specific query': '239.1.1.1',
  'v2 report': '239.1.1.1',
  'v2 leave': '224.0.0.2',
  'v3 general query': '224.0.0.1',
  'v3 group-specific query': '239.1.1.1',
  'v3 group-and-source-specific query': '232.1.1.1',
  'v3 report': '224.0.0.22',
  'mtrace query': '224.0.0.2',
  'dvmrp probe': '224.0.0.4',
  'pimv1 query': '224.0.0.2',
};

test('sampleFrames: every message type, correctly encapsulated and summed', () => {
  const frames = sampleFrames();
  assert.deepEqual(
    frames.map((f) => f.name),
    Object.keys(DESTINATIONS),
  );
  for (const [n, f] of frames.entries()) {
    const { ip, igmp } = dissect(f.data);
    const dst = uint32ToIpv4(ip.readUInt32BE(16));
    const hasRa = ip.length === 24 && ip.subarray(20).equals(routerAlertOption());
    assert.equal(dst, DESTINATIONS[f.name], f.name);
    assert.deepEqual([ip[8], ip[1], ip[9]], [1, 0xc0, 2], `${f.name}: TTL 1, ToS 0xc0, IGMP`);
    assert.equal(internetChecksum(ip), 0, `${f.name}: IP header checksum`);
    assert.equal(internetChecksum(igmp), 0, `${f.name}: IGMP checksum`);
    assert.deepEqual(f.data.subarray(0, 6), multicastMac(dst), `${f.name}: MAC`);
    assert.equal(hasRa, /^v[23]/.test(f.name), `${f.name}: Router Alert on v2/v3 only`);
    assert.deepEqual([f.tsSec, f.tsFrac], [1700000000 + n, 0]);
    assert.ok(f.data.length >= 60);
    assert.match(uint32ToIpv4(ip.readUInt32BE(12)), /^192\.168\.1\.\d+$/);
  }
  const igmpOf = (name: string) => dissect(frames.find((f) => f.name === name)!.data).igmp;
  assert.deepEqual([...igmpOf('v1 general query').subarray(0, 2)], [0x11, 0]);
  assert.equal(igmpOf('v2 general query')[1], 100);
  assert.equal(igmpOf('v2 group-specific query')[1], 10);
  const v3q = igmpOf('v3 general query');
  assert.deepEqual([v3q.length, v3q[1], v3q[8] & 7, v3q[9]], [12, 100, 2, 125]);
  const gss = igmpOf('v3 group-and-source-specific query');
  assert.deepEqual([gss[1], gss[8] & 8, gss.readUInt16BE(10)], [0x91, 8, 2]);
  const report = igmpOf('v3 report');
  const types: number[] = [];
  const counts: number[] = [];
  let off = 8;
  for (let i = 0; i < report.readUInt16BE(6); i++) {
    types.push(report[off]);
    counts.push(report.readUInt16BE(off + 2));
    off += 8 + 4 * report.readUInt16BE(off + 2) + 4 * report[off + 1];
  }
  assert.equal(off, report.length);
  assert.deepEqual(types, [1, 2, 3, 4, 5, 6]);
  assert.ok(new Set(counts).size >= 3, 'various source counts');
  assert.equal(igmpOf('mtrace query').length, 24);
  assert.deepEqual([...igmpOf('dvmrp probe').subarray(0, 2)], [0x13, 1]);
  assert.deepEqual([...igmpOf('pimv1 query').subarray(0, 2)], [0x14, 0]);
  assert.deepEqual(sampleCapture(), pcapFile({ packets: frames }));
});

test('benchFrameMix: valid frames of every version', () => {
  const mix = benchFrameMix();
  const kinds = new Set<string>();
  for (const f of mix) {
    const { ip, igmp, etherType } = dissect(f);
    assert.equal(etherType, 0x0800);
    assert.equal(internetChecksum(ip), 0);
    assert.equal(internetChecksum(igmp), 0);
    assert.deepEqual(f.subarray(0, 6), multicastMac(ip.readUInt32BE(16)));
    kinds.add(`${igmp[0].toString(16)}/${igmp.length}`);
  }
  for (const k of ['12/8', '11/8', '16/8', '17/8', '11/12']) assert.ok(kinds.has(k), k);
  assert.ok([...kinds].some((k) => k.startsWith('22/')));
});
