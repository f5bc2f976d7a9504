import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCapture } from '../src/capture/open.js';
import { dissect, type Dissection } from '../src/dissect.js';
import { igmpInfo } from '../src/layers/igmp/info.js';
import { protocolChain } from '../src/layers/registry.js';
import { jsonOf } from './helpers.js';
import {
  CORPUS_MISSING,
  corpusCaptures,
  corpusFound,
  corpusPath,
  corpusRequired,
  needsCorpus,
} from './corpus.js';

/**
 * The real captures of the shared corpus (test/corpus.ts; provenance in its MANIFEST.md), by
 * their path there. Expected values come from reading the bytes, cross-checked with tshark
 * 4.0.17 and tcpdump 4.99.3 (by hand, not here).
 */
async function dissectFile(path: string): Promise<Dissection[]> {
  const out: Dissection[] = [];
  for await (const batch of readCapture(corpusPath(path)))
    for (const frame of batch) out.push(dissect(frame));
  return out;
}

const igmpOnly = (all: Dissection[]): Dissection[] => all.filter((d) => d.isIgmp);

test(
  'tcpdump IGMP_V1.pcap: 3 v1 queries and 24 v1 reports, Router Alert, padding not summed',
  needsCorpus,
  async () => {
    const frames = await dissectFile('tcpdump/IGMP_V1.pcap');
    assert.equal(frames.length, 27);
    const queries = frames.filter((d) => d.igmp?.type === 0x11);
    assert.equal(queries.length, 3);
    assert.ok(queries.every((d) => d.igmp?.version === 1 && d.igmp.group === '0.0.0.0'));
    assert.ok(frames.every((d) => d.igmp?.checksumStatus === 'good' && d.ip?.routerAlert === true));
    assert.equal(frames[1].igmp?.group, '224.0.0.252');
    assert.ok(frames.every((d) => d.problems.length === 0));
  },
);

test(
  'tcpdump IGMP_V2.pcap: queries, reports and leaves as tshark reads them',
  needsCorpus,
  async () => {
    const frames = await dissectFile('tcpdump/IGMP_V2.pcap');
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
  },
);

test(
  'tcpdump igmpv3-queries.pcap: exponential Max Resp Code 0xFE = 3072 s',
  needsCorpus,
  async () => {
    const frames = await dissectFile('tcpdump/igmpv3-queries.pcap');
    assert.deepEqual(
      frames.map((d) => d.igmp?.maxRespTenths),
      [100, 30720, 30720, 10, 10, 10],
    );
    assert.ok(
      frames.every(
        (d) => d.igmp?.qrv === 2 && d.igmp.qqic === 125 && d.igmp.queryKind === 'general',
      ),
    );
    assert.ok(frames.every((d) => d.igmp?.checksumStatus === 'good'));
  },
);

test('zeek igmp-bad-checksum.pcap: frame 5 is bad and should be 0x0904', needsCorpus, async () => {
  const frames = await dissectFile('zeek/igmp-bad-checksum.pcap');
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

test(
  'zeek home-multicast-short.pcap: zero bytes inside the IP length are trailing, checksum still good',
  needsCorpus,
  async () => {
    const frames = igmpOnly(await dissectFile('zeek/home-multicast-short.pcap'));
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
  },
);

test(
  'packetgen igmpv3.pcapng: the only real group-and-source-specific query, S=1, QRV=7',
  needsCorpus,
  async () => {
    const frames = await dissectFile('packetgen/igmpv3.pcapng');
    const query = frames[0].igmp!;
    assert.equal(query.queryKind, 'group-and-source-specific');
    assert.equal(query.sFlag, true);
    assert.equal(query.qrv, 7);
    assert.equal(query.qqic, 0);
    assert.deepEqual(query.sources, ['192.168.20.222']);
    assert.deepEqual(frames[1].igmp?.records, [
      { offset: 46, type: 1, auxWords: 0, group: '224.0.0.9', sources: ['192.168.20.222'] },
    ]);
  },
);

test(
  'mtrace, DVMRP and PIMv1 over IGMP: labelled by protocol, checksums good',
  needsCorpus,
  async () => {
    const mtrace = await dissectFile('tcpdump/mtrace.pcap');
    assert.deepEqual(
      mtrace.map((d) => igmpInfo(d.igmp!)),
      ['Traceroute Query', 'Traceroute Request'],
    );
    assert.ok(
      mtrace.every((d) => d.igmp?.checksumStatus === 'good' && d.igmp.version === undefined),
    );
    const dvmrp = await dissectFile('tcpdump/mrinfo_query.pcap');
    assert.deepEqual(
      dvmrp.map((d) => igmpInfo(d.igmp!)),
      ['V3 Ask Neighbors 2', 'V3 Neighbors 2'],
    );
    const pim = igmpOnly(await dissectFile('tcpdump/PIM-SM_join_prune.pcap'));
    assert.equal(pim.length, 4);
    assert.ok(pim.every((d) => d.igmp?.label === 'PIMv1' && igmpInfo(d.igmp) === 'RP-Reachable'));
  },
);

test(
  'fuzzed tcpdump files: truncated and lying frames give problems, the capture is read to its end',
  needsCorpus,
  async () => {
    const hoobr = await dissectFile('tcpdump/hoobr_pimv1.pcap');
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
    const relts = await dissectFile('tcpdump/relts-0x80000000.pcap');
    assert.deepEqual(
      relts[0].problems.map((p) => p.id),
      ['ip.checksum.bad', 'dvmrp.truncated'],
    );
    assert.equal(igmpInfo(relts[0].igmp!), 'V3 Prune');
  },
);

test(
  'eapon1.pcap: two v3 reports among 114 Windows/EAPOL frames, numbered as in the capture',
  needsCorpus,
  async () => {
    const frames = await dissectFile('tcpdump/eapon1.pcap');
    assert.equal(frames.length, 114);
    assert.deepEqual(
      igmpOnly(frames).map((d) => d.frame.number),
      [44, 46],
    );
  },
);

/**
 * Every capture of the corpus: its frames and the frames igmpscope shows by default (IPv4
 * protocol 2 straight on the link), both counted by hand with tshark 4.0.17
 * (`capinfos -c`, `-Y ip.proto==2`). Where they differ from tshark's IGMP count, the IGMP sits
 * in a tunnel igmpscope does not decode yet (VXLAN, CAPWAP), and MLD is never shown yet (issues
 * 15 and 21): those captures show 0 here.
 */
const CORPUS_FRAMES: Record<string, [frames: number, shown: number]> = {
  'PcapPlusPlus/IgmpPackets.pcap': [81, 6],
  'PcapPlusPlus/igmp.pcapng': [4, 4],
  'PcapPlusPlus/igmpv3_query2.pcap': [1, 1],
  'PcapPlusPlus/igmpv3_report2.pcap': [1, 1],
  'Pktgen-DPDK/test1.pcap': [28, 1],
  'arkime/gtp-iphone.pcap': [106, 0],
  'arkime/igmp.pcap': [29, 29],
  'mercury/emix.pcap': [7133, 39],
  'mercury/pppoe_double_vlan_tagging.pcap': [432, 0],
  'nDPI/anyconnect-vpn.pcap': [589, 8],
  'nDPI/capwap.pcap': [422, 0],
  'packetgen/igmpv3.pcapng': [2, 2],
  'packetgen/mldv2.pcapng': [2, 0],
  'pcap-parser/wireshark_samples-test.pcapng': [5898, 84],
  'peafowl/igmp.pcap': [4, 4],
  'suricata-verify/output-eve-ftp-data_input.pcap': [1350, 60],
  'suricata-verify/wireshark-wiki-IGMP-dataset.pcap': [147, 147],
  'tcpdump/IGMP_V1.pcap': [27, 27],
  'tcpdump/IGMP_V2.pcap': [18, 18],
  'tcpdump/PIM-SM_join_prune.pcap': [47, 4],
  'tcpdump/babel.pcap': [25, 0],
  'tcpdump/eapon1.pcap': [114, 2],
  'tcpdump/hoobr_pimv1.pcap': [9, 1],
  'tcpdump/icmpv6.pcap': [5, 0],
  'tcpdump/igmpv3-queries.pcap': [6, 6],
  'tcpdump/mrinfo_query.pcap': [2, 2],
  'tcpdump/mtrace.pcap': [2, 2],
  'tcpdump/relts-0x80000000.pcap': [1, 1],
  'zeek/ayiya3.pcap': [35, 0],
  'zeek/home-multicast-short.pcap': [6, 3],
  'zeek/icmp6-mld-query.pcap': [1, 0],
  'zeek/icmp6-mldv1.pcap': [4, 0],
  'zeek/icmp6-mldv2.pcap': [5, 0],
  'zeek/igmp-bad-checksum.pcap': [12, 12],
  'zeek/igmp-many-groups.pcap': [450, 450],
  'zeek/igmp-many-sources.pcap': [150, 150],
  'zeek/igmp.pcap': [12, 12],
  'zeek/mdns.pcap': [24, 3],
  'zeek/multicast-igmp-version-membership-query-and-report.pcap': [16, 16],
  'zeek/pppoe.pcap': [65, 0],
  'zeek/vxlan-encapsulated-igmp-v2.pcap': [3, 3],
};

test(
  'the real-capture corpus is there (or this line says where it was looked for)',
  corpusFound || corpusRequired ? {} : { skip: CORPUS_MISSING },
  () => {
    assert.ok(corpusFound, `${CORPUS_MISSING}; CI=true: the real-capture tests must run`);
  },
);

test(
  'every capture of the corpus: frames read to the end, none throws, the IGMP frames shown',
  needsCorpus,
  async () => {
    const files = corpusCaptures();
    assert.deepEqual(
      files,
      Object.keys(CORPUS_FRAMES),
      'a capture added to the corpus needs its line here',
    );
    assert.equal(files.length, 41);
    for (const file of files) {
      const frames = await dissectFile(file);
      assert.deepEqual([frames.length, igmpOnly(frames).length], CORPUS_FRAMES[file], file);
    }
  },
);

test(
  'zeek vxlan-encapsulated-igmp-v2.pcap: three v2 reports inside VXLAN (VNI 4242), as tshark reads them',
  needsCorpus,
  async () => {
    const frames = await dissectFile('zeek/vxlan-encapsulated-igmp-v2.pcap');
    assert.equal(frames.length, 3);
    for (const d of frames) {
      assert.equal(
        protocolChain(d.layers),
        'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:igmp:igmp',
      );
      assert.deepEqual(
        [d.igmp?.type, d.igmp?.group, d.igmp?.checksumStatus, d.ip?.routerAlert],
        [0x16, '224.0.0.251', 'good', true],
      );
      assert.equal(d.src, d.ip?.src, 'the summary shows the inner addresses');
      // Captured on the sending host: its NIC was left to complete the UDP checksum (tshark,
      // with UDP checks on, calls it bad too).
      assert.deepEqual(
        d.problems.map((p) => p.id),
        ['udp.checksum.offload'],
      );
    }
    const json = jsonOf(frames[0]) as unknown as {
      ip: Record<string, unknown>[];
      udp: Record<string, unknown>;
      vxlan: Record<string, unknown>;
    };
    assert.deepEqual(
      json.ip.map((ip) => [ip['ip.src'], ip['ip.dst'], ip['ip.proto']]).slice(0, 1),
      [['172.30.0.1', '172.30.0.2', 17]],
    );
    assert.equal(json.udp['udp.dstport'], 4789);
    assert.equal(json.vxlan['vxlan.vni'], 4242);
  },
);
