import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  encodeExpCode,
  ethernet,
  igmpFrame,
  igmpRaw,
  igmpV1,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  ipv4,
  dvmrpProbe,
  igap,
  igmpV0,
  mrdAdvertisement,
  mrdShort,
  msnipInterestSolicitation,
  mtrace,
  pimV1Query,
  rgmp,
  HOST_A,
  QUERIER,
} from '../src/builder/index.js';
import { decodeFloatCode } from '../src/layers/igmp/codes.js';
import { igmpInfo } from '../src/layers/igmp/info.js';
import { dissectBytes, jsonOf, problemIds } from './helpers.js';

function igmpOf(payload: Buffer, dst = '224.0.0.1', routerAlert = true) {
  const d = dissectBytes(igmpFrame(HOST_A, dst, payload, routerAlert));
  return { d, json: jsonOf(d), igmp: jsonOf(d).igmp as Record<string, unknown> };
}

test('v1 query and report: version by RFC 3376 §7.1, fields as Wireshark names them', () => {
  const q = igmpOf(igmpV1({ type: 0x11 }));
  assert.equal(q.d.igmp?.label, 'IGMPv1');
  assert.deepEqual(q.igmp, {
    'igmp.version': 1,
    'igmp.type': 0x11,
    'igmp.reserved': ['00'],
    'igmp.checksum': 0xeeff,
    'igmp.checksum.status': 'good',
    'igmp.maddr': '0.0.0.0',
    'igmp.query_type': 'general',
  });
  const r = igmpOf(igmpV1({ type: 0x12, group: '239.2.2.2' }), '239.2.2.2', false);
  assert.equal(r.igmp['igmp.version'], 1);
  assert.equal(r.igmp['igmp.maddr'], '239.2.2.2');
  assert.equal(igmpInfo(r.d.igmp!), 'Membership Report');
  assert.deepEqual(problemIds(r.d), []);
});

test('v2 messages: max resp in tenths and seconds, info texts as tshark', () => {
  const general = igmpOf(igmpV2({ type: 0x11, maxResp: 100 }));
  assert.equal(general.igmp['igmp.version'], 2);
  assert.equal(general.igmp['igmp.max_resp'], 100);
  assert.equal(general.igmp['igmp.max_resp_sec'], 10);
  assert.equal(igmpInfo(general.d.igmp!), 'Membership Query, general');
  const specific = igmpOf(igmpV2({ type: 0x11, maxResp: 10, group: '239.1.1.1' }), '239.1.1.1');
  assert.equal(specific.igmp['igmp.query_type'], 'group-specific');
  assert.equal(igmpInfo(specific.d.igmp!), 'Membership Query, specific for group 239.1.1.1');
  const report = igmpOf(igmpV2({ type: 0x16, group: '239.1.1.1' }), '239.1.1.1');
  assert.equal(igmpInfo(report.d.igmp!), 'Membership Report group 239.1.1.1');
  const leave = igmpOf(igmpV2({ type: 0x17, group: '239.1.1.1' }), '224.0.0.2');
  assert.equal(igmpInfo(leave.d.igmp!), 'Leave Group 239.1.1.1');
  assert.equal(leave.igmp['igmp.checksum.status'], 'good');
});

test('v3 query: Max Resp Code and QQIC decoded (RFC 3376 §4.1.1, §4.1.7), S, QRV, sources', () => {
  const q = igmpOf(
    igmpV3Query({
      maxRespCode: 0x91,
      group: '232.1.1.1',
      sFlag: true,
      qrv: 2,
      qqic: 0xff,
      sources: ['10.0.0.1', '10.0.0.2'],
    }),
    '232.1.1.1',
  );
  assert.equal(q.igmp['igmp.version'], 3);
  assert.equal(q.igmp['igmp.max_resp'], 272);
  assert.equal(q.igmp['igmp.max_resp.exp'], 1);
  assert.equal(q.igmp['igmp.max_resp.mant'], 1);
  assert.equal(q.igmp['igmp.max_resp_sec'], 27.2);
  assert.equal(q.igmp['igmp.s'], true);
  assert.equal(q.igmp['igmp.qrv'], 2);
  assert.equal(q.igmp['igmp.qqic'], 255);
  assert.equal(q.igmp['igmp.qqi'], 31744);
  assert.equal(q.igmp['igmp.num_src'], 2);
  assert.deepEqual(q.igmp['igmp.saddr'], ['10.0.0.1', '10.0.0.2']);
  assert.equal(q.igmp['igmp.query_type'], 'group-and-source-specific');
  assert.equal(
    igmpInfo(q.d.igmp!),
    'Membership Query, specific for group 232.1.1.1, sources {10.0.0.1, 10.0.0.2}',
  );
  const general = igmpOf(igmpV3Query({ maxRespCode: 100 }));
  assert.equal(general.igmp['igmp.max_resp'], 100);
  assert.equal('igmp.max_resp.exp' in general.igmp, false, 'exp/mant only when the code is ≥ 128');
  assert.equal(general.igmp['igmp.query_type'], 'general');
  assert.deepEqual(problemIds(general.d), []);
});

test('floating-point code: every code decodes as RFC 3376 §4.1.1 says', () => {
  assert.equal(decodeFloatCode(0x7f), 127);
  assert.equal(decodeFloatCode(0x80), 128);
  assert.equal(decodeFloatCode(0xfe), 30720);
  assert.equal(decodeFloatCode(0xff), 31744);
  for (let code = 0; code < 256; code++) assert.equal(encodeExpCode(decodeFloatCode(code)), code);
});

test('v3 report: all six record types, sources, aux data; info as tshark words it', () => {
  const report = igmpV3Report({
    records: [
      { type: 1, group: '239.0.0.1', sources: ['10.0.0.1'] },
      { type: 2, group: '239.0.0.2', sources: ['10.0.0.1', '10.0.0.2'] },
      { type: 3, group: '239.0.0.3' },
      { type: 4, group: '239.0.0.4' },
      { type: 5, group: '232.1.1.1', sources: ['10.0.0.9'] },
      {
        type: 6,
        group: '232.1.1.1',
        sources: ['10.0.0.8', '10.0.0.7'],
        auxData: Buffer.from('deadbeef', 'hex'),
      },
    ],
  });
  const r = igmpOf(report, '224.0.0.22');
  assert.equal(r.igmp['igmp.num_grp_recs'], 6);
  const records = r.igmp['igmp.records'] as Record<string, unknown>[];
  assert.equal(records.length, 6);
  assert.deepEqual(records[1], {
    'igmp.record_type': 2,
    'igmp.aux_data_len': 0,
    'igmp.num_src': 2,
    'igmp.maddr': '239.0.0.2',
    'igmp.saddr': ['10.0.0.1', '10.0.0.2'],
  });
  assert.equal(records[5]['igmp.aux_data'], 'de:ad:be:ef');
  assert.equal(records[5]['igmp.aux_data_len'], 1);
  assert.deepEqual(r.igmp['igmp.reserved'], ['00', '00:00']);
  assert.equal(r.igmp['igmp.checksum.status'], 'good');
  assert.equal(
    igmpInfo(r.d.igmp!),
    'Membership Report / Join group 239.0.0.1 for source {10.0.0.1} / Join group 239.0.0.2, for sources not in {10.0.0.1, 10.0.0.2}' +
      ' / Leave group 239.0.0.3 / Join group 239.0.0.4 for any sources / Group 232.1.1.1, new source {10.0.0.9}' +
      ' / Group 232.1.1.1, block sources {10.0.0.8, 10.0.0.7}',
  );
  assert.deepEqual(problemIds(r.d), []);
});

test('checksum: bad value reported with the expected one, on the node and the frame', () => {
  const good = igmpV2({ type: 0x16, group: '239.1.1.1' });
  const expected = good.readUInt16BE(2);
  const r = igmpOf(igmpV2({ type: 0x16, group: '239.1.1.1', checksum: 0x1234 }), '239.1.1.1');
  assert.equal(r.igmp['igmp.checksum'], 0x1234);
  assert.equal(r.igmp['igmp.checksum.status'], 'bad');
  assert.equal(r.igmp['igmp.checksum_calculated'], expected);
  const problem = r.json.problems.find((p) => p.id === 'igmp.checksum.bad');
  assert.ok(problem);
  assert.equal(problem.severity, 'error');
  assert.equal(problem.offset, 14 + 24 + 2, 'offset of the checksum field in the frame');
});

test('checksum spans the whole IP payload for v2 too (RFC 2236 §2.5), never the Ethernet padding', () => {
  // 12-byte v2 report whose checksum covers all 12 bytes: good by the RFC (Wireshark says bad).
  const long = igmpOf(
    igmpV2({ type: 0x16, group: '239.1.1.1', extra: Buffer.from([1, 2, 3, 4]) }),
    '239.1.1.1',
  );
  assert.equal(long.igmp['igmp.checksum.status'], 'good');
  assert.deepEqual(problemIds(long.d), ['igmp.trailing_bytes']);
  // Non-zero padding after the datagram must not disturb the checksum.
  const frame = ethernet({
    src: HOST_A.mac,
    payload: ipv4({
      src: HOST_A.ip,
      dst: '239.1.1.1',
      payload: igmpV2({ type: 0x16, group: '239.1.1.1' }),
    }),
    padTo60: false,
    trailer: Buffer.from('ffffffffffffffffffffffff', 'hex'),
  });
  const d = dissectBytes(frame);
  const json = jsonOf(d);
  assert.equal((json.igmp as Record<string, unknown>)['igmp.checksum.status'], 'good');
  // 46 bytes of frame + 12: all of it padding up to the 60-byte minimum, none of it IGMP.
  assert.equal(
    (json.eth as Record<string, unknown>)['eth.padding'],
    Array(12).fill('ff').join(':'),
  );
  assert.equal((json.eth as Record<string, unknown>)['eth.trailer'], undefined);
});

test('a query of 9–11 bytes is decoded from its first 8 bytes and flagged (RFC 3376 §7.1)', () => {
  for (const extra of [1, 2, 3]) {
    const r = igmpOf(igmpV2({ type: 0x11, maxResp: 100, extra: Buffer.alloc(extra) }));
    assert.equal(r.igmp['igmp.version'], 2);
    assert.ok(problemIds(r.d).includes('igmp.query.bad_length'));
  }
  const v1 = igmpOf(igmpV1({ type: 0x11, extra: Buffer.alloc(2) }));
  assert.equal(v1.igmp['igmp.version'], 1);
});

test('messages shorter than 8 bytes are malformed, never a crash', () => {
  for (let length = 0; length < 8; length++) {
    const msg = igmpV2({ type: 0x16, group: '239.1.1.1' }).subarray(0, length);
    const r = igmpOf(Buffer.from(msg), '239.1.1.1');
    assert.ok(problemIds(r.d).includes('igmp.too_short'), `length ${length}`);
    assert.equal(r.d.igmp?.malformed, true);
  }
});

test('counts that lie: sources, group records, aux data, each reported with its offset', () => {
  const query = igmpOf(
    igmpV3Query({ group: '239.1.1.1', sources: ['10.0.0.1'], numSources: 3 }),
    '239.1.1.1',
  );
  assert.deepEqual(problemIds(query.d), ['igmp.num_src.overflow']);
  assert.deepEqual(
    query.igmp['igmp.saddr'],
    ['10.0.0.1'],
    'the sources that are there are still shown',
  );

  const records = igmpOf(
    igmpV3Report({ records: [{ type: 4, group: '239.1.1.1' }], numRecords: 2 }),
    '224.0.0.22',
  );
  assert.deepEqual(problemIds(records.d), ['igmp.num_grp_recs.overflow']);
  assert.equal((records.igmp['igmp.records'] as unknown[]).length, 1);

  const sources = igmpOf(
    igmpV3Report({
      records: [{ type: 1, group: '239.1.1.1', sources: ['10.0.0.1'], numSources: 9 }],
    }),
    '224.0.0.22',
  );
  assert.deepEqual(problemIds(sources.d), ['igmp.num_src.overflow']);
  const problem = sources.d.problems[0];
  assert.equal(problem.offset, 14 + 24 + 8 + 8, 'the problem points at the first missing source');

  const aux = igmpOf(
    igmpV3Report({ records: [{ type: 1, group: '239.1.1.1', auxWords: 4 }] }),
    '224.0.0.22',
  );
  assert.deepEqual(problemIds(aux.d), ['igmp.aux_data_len.overflow']);
});

test('unknown record type and non-zero reserved fields are reported but decoding goes on', () => {
  const r = igmpOf(
    igmpV3Report({
      reserved1: 1,
      records: [
        { type: 9, group: '239.1.1.1' },
        { type: 4, group: '239.2.2.2' },
      ],
    }),
    '224.0.0.22',
  );
  assert.deepEqual(problemIds(r.d).sort(), ['igmp.record_type.unknown', 'igmp.reserved.nonzero']);
  assert.equal((r.igmp['igmp.records'] as unknown[]).length, 2);
  assert.match(igmpInfo(r.d.igmp!), /unknown record type \(\?\)/);
  const q = igmpOf(igmpV3Query({ reserved: 5 }));
  assert.deepEqual(problemIds(q.d), ['igmp.reserved.nonzero']);
  assert.equal(q.igmp['igmp.resv'], 5);
});

test('other IGMP-family types: each in the layer Wireshark gives it, labelled as it labels them', () => {
  const cases: [Buffer, string, string, string, string][] = [
    [dvmrpProbe({ genId: 1 }), '224.0.0.4', 'dvmrp', 'DVMRP', 'V3 Probe'],
    [pimV1Query(), '224.0.0.2', 'pim', 'PIMv1', 'Query'],
    [
      mtrace({
        group: '239.1.1.1',
        source: '10.0.0.1',
        receiver: '10.0.0.2',
        responseAddress: '10.0.0.3',
        queryId: 7,
      }),
      '224.0.0.2',
      'igmp',
      'IGMP',
      'Traceroute Query',
    ],
    [rgmp(0xff, '0.0.0.0'), '224.0.0.25', 'rgmp', 'RGMP', 'Hello'],
    [
      msnipInterestSolicitation(120, 1),
      '224.0.0.22',
      'msnip',
      'MSNIP',
      'Multicast Interest Solicitation',
    ],
    [
      mrdAdvertisement(20, 125, 2),
      '224.0.0.106',
      'mrdisc',
      'MRDISC',
      'Multicast Router Advertisement',
    ],
    [mrdShort(0x26), '224.0.0.2', 'mrdisc', 'MRDISC', 'Multicast Router Termination'],
    [
      igap({ type: 0x41, group: '0.0.0.0', subtype: 0x21 }),
      '224.0.0.1',
      'igap',
      'IGAP',
      'Membership Query',
    ],
    [
      igmpV0({ type: 3, identifier: 1, group: '224.5.6.7' }),
      '224.0.0.1',
      'igmp',
      'IGMPv0',
      'Join Group Request',
    ],
  ];
  for (const [payload, dst, layer, label, name] of cases) {
    const r = igmpOf(payload, dst);
    assert.equal(r.d.igmp?.label, label, name);
    assert.equal(igmpInfo(r.d.igmp!), name);
    assert.equal(r.d.igmp?.checksumStatus, 'good', name);
    assert.deepEqual(problemIds(r.d), [], name);
    const json = r.json as Record<string, unknown>;
    assert.equal(json['frame.protocols'], `eth:ethertype:ip:igmp:${layer}`, name);
    // As in Wireshark: a message another protocol takes has no igmp layer of its own.
    assert.ok(layer === 'igmp' || !('igmp' in json), name);
    assert.ok(layer in json, name);
  }
  const misplaced = igmpOf(rgmp(0xff, '0.0.0.0'), '224.0.0.1');
  assert.deepEqual(problemIds(misplaced.d), ['igmp.type.wrong_dst']);
  assert.equal(igmpInfo(misplaced.d.igmp!), 'Unknown Type:0xff', 'RGMP only at 224.0.0.25');
  assert.equal(misplaced.igmp['igmp.data'], '00:00:ff:00:00:00:00');
  const unknownPayload = igmpRaw(0x50, Buffer.alloc(4));
  const unknown = igmpOf(unknownPayload);
  assert.deepEqual(problemIds(unknown.d), ['igmp.type.unknown']);
  assert.equal(igmpInfo(unknown.d.igmp!), 'Unknown Type:0x50');
  assert.equal(
    (unknown.json as Record<string, unknown>)['frame.protocols'],
    'eth:ethertype:ip:igmp',
  );
  const afterType = [...unknownPayload.subarray(1)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':');
  assert.equal(unknown.igmp['igmp.data'], afterType, 'every byte after the type, as Wireshark');
  assert.equal(
    unknown.igmp['igmp.checksum.status'],
    undefined,
    'an unknown layout is not checksummed',
  );
});

test('truncated by the capture: every cut gives unverified checksum and igmp.truncated, never a throw', () => {
  const full = igmpFrame(
    QUERIER,
    '224.0.0.22',
    igmpV3Report({
      records: [
        { type: 5, group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.2'] },
        { type: 4, group: '239.1.1.1' },
      ],
    }),
  );
  const igmpStart = 14 + 24;
  for (let cut = 0; cut < full.length; cut++) {
    const d = dissectBytes(Buffer.from(full.subarray(0, cut)), { origLen: full.length });
    if (cut > igmpStart) {
      assert.ok(problemIds(d).includes('igmp.truncated'), `cut ${cut}: ${problemIds(d)}`);
      assert.notEqual(d.igmp?.checksumStatus, 'good');
      assert.equal(d.igmp?.malformed, false);
    }
  }
});

test('IGMP in IP fragments: first fragment decoded and marked incomplete, later ones shown as fragments', () => {
  const payload = igmpV2({ type: 0x16, group: '239.1.1.1' });
  const first = dissectBytes(
    ethernet({
      src: HOST_A.mac,
      payload: ipv4({ src: HOST_A.ip, dst: '239.1.1.1', payload, mf: true }),
    }),
  );
  assert.ok(problemIds(first).includes('ip.fragment'));
  assert.equal(first.igmp?.checksumStatus, 'unverified');
  const later = dissectBytes(
    ethernet({
      src: HOST_A.mac,
      payload: ipv4({ src: HOST_A.ip, dst: '239.1.1.1', payload, fragOffset: 1 }),
    }),
  );
  assert.equal(later.isIgmp, true);
  assert.equal(later.igmp, undefined);
});
