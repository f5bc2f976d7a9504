import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCapture } from '../src/capture/open.js';
import { dissect, type Dissection } from '../src/dissect.js';
import { igmpInfo } from '../src/layers/igmp/info.js';

/**
 * The real captures in fixtures/ (see fixtures/README.md for provenance). Expected values come
 * from reading the bytes, cross-checked with tshark 4.0.17 and tcpdump 4.99.3 (by hand, not here).
 */
async function dissectFile(path: string): Promise<Dissection[]> {
  const out: Dissection[] = [];
  for await (const batch of readCapture(path)) for (const frame of batch) out.push(dissect(frame));
  return out;
}

const igmpOnly = (all: Dissection[]): Dissection[] => all.filter((d) => d.isIgmp);

test('tcpdump IGMP_V1.pcap: 3 v1 queries and 24 v1 reports, Router Alert, padding not summed', async () => {
  const frames = await dissectFile('fixtures/IGMP_V1.pcap');
  assert.equal(frames.length, 27);
  const queries = frames.filter((d) => d.igmp?.type === 0x11);
  assert.equal(queries.length, 3);
  assert.ok(queries.every((d) => d.igmp?.version === 1 && d.igmp.group === '0.0.0.0'));
  assert.ok(frames.every((d) => d.igmp?.checksumStatus === 'good' && d.ip?.routerAlert === true));
  assert.equal(frames[1].igmp?.group, '224.0.0.252');
  assert.ok(frames.every((d) => d.problems.length === 0));
});

test('tcpdump IGMP_V2.pcap: queries, reports and leaves as tshark reads them', async () => {
  const frames = await dissectFile('fixtures/IGMP_V2.pcap');
  assert.equal(frames.length, 18);
  const kinds = frames.map((d) => `${d.igmp?.type.toString(16)}:${d.igmp?.group}`);
  assert.equal(kinds[0], '11:0.0.0.0');
  assert.equal(kinds[4], '17:225.1.1.3');
  assert.equal(kinds[5], '11:225.1.1.3');
  assert.equal(frames[5].igmp?.maxRespTenths, 10);
  assert.equal(frames[0].igmp?.maxRespTenths, 100);
  assert.equal(frames[0].ip?.routerAlert, false, 'the queries carry no IP options');
  assert.equal(igmpInfo(frames[4].igmp!), 'Leave Group 225.1.1.3');
  assert.ok(
    frames.every(
      (d) => d.igmp?.version === 2 && d.igmp.checksumStatus === 'good' && d.problems.length === 0,
    ),
  );
});

test('tcpdump igmpv3-queries.pcap: exponential Max Resp Code 0xFE = 3072 s', async () => {
  const frames = await dissectFile('fixtures/igmpv3-queries.pcap');
  assert.deepEqual(
    frames.map((d) => d.igmp?.maxRespTenths),
    [100, 30720, 30720, 10, 10, 10],
  );
  assert.ok(
    frames.every((d) => d.igmp?.qrv === 2 && d.igmp.qqic === 125 && d.igmp.queryKind === 'general'),
  );
  assert.ok(frames.every((d) => d.igmp?.checksumStatus === 'good'));
});

test('zeek igmp-bad-checksum.pcap: frame 5 is bad and should be 0x0904', async () => {
  const frames = await dissectFile('fixtures/igmp-bad-checksum.pcap');
  assert.equal(frames.length, 12);
  const bad = frames.filter((d) => d.igmp?.checksumStatus === 'bad');
  assert.deepEqual(
    bad.map((d) => d.frame.number),
    [5],
  );
  assert.match(bad[0].problems[0].message, /should be 0x0904/);
  assert.equal(bad[0].problems[0].offset, 14 + 24 + 2);
  const v3 = frames.filter((d) => d.igmp?.version === 3);
  assert.equal(v3.length, 4);
  assert.deepEqual(v3[0].igmp?.records, [
    { offset: 46, type: 4, auxWords: 0, group: '239.255.255.250', sources: [] },
  ]);
});

test('zeek home-multicast-short.pcap: zero bytes inside the IP length are trailing, checksum still good', async () => {
  const frames = igmpOnly(await dissectFile('fixtures/home-multicast-short.pcap'));
  assert.equal(frames.length, 3);
  assert.equal(frames[0].igmp?.length, 22);
  assert.ok(frames.every((d) => d.igmp?.checksumStatus === 'good'));
  assert.deepEqual(
    frames[0].problems.map((p) => p.id),
    ['igmp.trailing_bytes'],
  );
  assert.deepEqual(
    frames[2].igmp?.records?.map((r) => r.group),
    ['239.255.255.250', '224.0.0.251'],
  );
});

test('packetgen igmpv3.pcapng: the only real group-and-source-specific query, S=1, QRV=7', async () => {
  const frames = await dissectFile('fixtures/igmpv3.pcapng');
  const query = frames[0].igmp!;
  assert.equal(query.queryKind, 'group-and-source-specific');
  assert.equal(query.sFlag, true);
  assert.equal(query.qrv, 7);
  assert.equal(query.qqic, 0);
  assert.deepEqual(query.sources, ['192.168.20.222']);
  assert.deepEqual(frames[1].igmp?.records, [
    { offset: 46, type: 1, auxWords: 0, group: '224.0.0.9', sources: ['192.168.20.222'] },
  ]);
});

test('mtrace, DVMRP and PIMv1 over IGMP: labelled by protocol, checksums good', async () => {
  const mtrace = await dissectFile('fixtures/mtrace.pcap');
  assert.deepEqual(
    mtrace.map((d) => igmpInfo(d.igmp!)),
    ['Traceroute Query', 'Traceroute Request'],
  );
  assert.ok(mtrace.every((d) => d.igmp?.checksumStatus === 'good' && d.igmp.version === undefined));
  const dvmrp = await dissectFile('fixtures/mrinfo_query.pcap');
  assert.deepEqual(
    dvmrp.map((d) => igmpInfo(d.igmp!)),
    ['V3 Ask Neighbors 2', 'V3 Neighbors 2'],
  );
  const pim = igmpOnly(await dissectFile('fixtures/PIM-SM_join_prune.pcap'));
  assert.equal(pim.length, 4);
  assert.ok(pim.every((d) => d.igmp?.label === 'PIMv1' && igmpInfo(d.igmp) === 'RP-Reachable'));
});

test('fuzzed tcpdump files: truncated and lying frames give problems, the capture is read to its end', async () => {
  const hoobr = await dissectFile('fixtures/hoobr_pimv1.pcap');
  assert.equal(hoobr.length, 9);
  assert.equal(
    hoobr[0].frame.linkType,
    1,
    'link type 0x30000001 carries FCS bits above the low 16',
  );
  const pim = hoobr[8];
  assert.equal(pim.igmp?.checksumStatus, 'unverified');
  assert.equal(pim.layers.at(-1)?.protocol, 'pim', 'PIMv1 is a layer of its own');
  assert.ok(pim.problems.some((p) => p.id === 'pim.truncated'));
  const relts = await dissectFile('fixtures/relts-0x80000000.pcap');
  assert.deepEqual(
    relts[0].problems.map((p) => p.id),
    ['ip.checksum.bad', 'dvmrp.truncated'],
  );
  assert.equal(igmpInfo(relts[0].igmp!), 'V3 Prune');
});

test('eapon1.pcap: two v3 reports among 114 Windows/EAPOL frames, numbered as in the capture', async () => {
  const frames = await dissectFile('fixtures/eapon1.pcap');
  assert.equal(frames.length, 114);
  assert.deepEqual(
    igmpOnly(frames).map((d) => d.frame.number),
    [44, 46],
  );
});

test('every frame of every real capture dissects without a throw', async () => {
  const files = [
    'IGMP_V1.pcap',
    'IGMP_V2.pcap',
    'igmpv3-queries.pcap',
    'mtrace.pcap',
    'mrinfo_query.pcap',
    'PIM-SM_join_prune.pcap',
    'hoobr_pimv1.pcap',
    'relts-0x80000000.pcap',
    'eapon1.pcap',
    'igmp.pcap',
    'igmp-bad-checksum.pcap',
    'home-multicast-short.pcap',
    'multicast-igmp-version-membership-query-and-report.pcap',
    'vxlan-encapsulated-igmp-v2.pcap',
    'scapy-igmp-sample.pcap',
    'igmpv3.pcapng',
  ];
  for (const file of files) {
    const frames = await dissectFile(`fixtures/${file}`);
    assert.ok(frames.length > 0, file);
  }
});
