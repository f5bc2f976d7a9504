import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MembershipReplay } from '../src/analysis/membership/replay.js';
import {
  ethernet,
  gre,
  igmpFrame,
  ipv4,
  udp,
  vxlan,
  igmpV1,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  pcapFile,
  HOST_A,
  HOST_B,
  QUERIER,
  type Station,
} from '../src/builder/index.js';
import { dissect } from '../src/dissect.js';
import { frameOf } from './helpers.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertGolden, igmpscope } from './cli-helpers.js';
import { corpusPath, needsCorpus } from './corpus.js';

const G = '239.1.1.1';
const H1 = HOST_A;
const H2 = HOST_B;

/** [seconds, frame bytes] → a replay, as `igmpscope membership` runs it. */
function replay(frames: [number, Buffer][], at?: number): MembershipReplay {
  const r = new MembershipReplay();
  frames.forEach(([t, data], i) => {
    const whole = Math.floor(t);
    r.frame(
      dissect(
        frameOf(data, {
          number: i + 1,
          tsSec: 1_700_000_000 + whole,
          tsFrac: Math.round((t - whole) * 1e6),
        }),
        { detail: false },
      ),
    );
  });
  r.advance(at ?? frames[frames.length - 1][0]);
  return r;
}

const report = (h: Station): Buffer => igmpFrame(h, G, igmpV2({ type: 0x16, group: G }));
const leave = (h: Station): Buffer => igmpFrame(h, '224.0.0.2', igmpV2({ type: 0x17, group: G }));
const generalQuery = (from: Station = QUERIER): Buffer =>
  igmpFrame(from, '224.0.0.1', igmpV2({ type: 0x11, maxResp: 100 }));
const groupQuery = (): Buffer =>
  igmpFrame(QUERIER, G, igmpV2({ type: 0x11, maxResp: 10, group: G }));

/** The seed scenario of the issue. */
const SEED: [number, Buffer][] = [
  [0, report(H1)], //           1: H1 joins (unsolicited report)
  [1, report(H1)], //           2: its second unsolicited report
  [2, report(H2)], //           3: H2 joins too
  [10, generalQuery()], //      4: general query, Max Resp Time 10 s
  [13, report(H1)], //          5: H1 answers; H2 hears it and suppresses its own
  [20, leave(H1)], //           6: H1 leaves
  [20.1, groupQuery()], //      7: last-member query (Max Resp Time 1 s)
  [20.5, report(H2)], //        8: H2 answers: the group stays, the querier stops asking (RFC 2236 §7)
  [30, leave(H2)], //           9: H2 leaves
  [30.1, groupQuery()], //     10: last-member query 1
  [31.1, groupQuery()], //     11: last-member query 2, no answer
  [40, generalQuery()], //     12: the next general query reveals the removal
];

test('seed scenario: join, suppression, a leave answered, a leave confirmed (events exactly)', () => {
  const r = replay(SEED);
  const events = r.events.map((e) => [
    e.time.toFixed(1),
    e.frame,
    e.kind,
    e.group ?? '',
    e.host ?? '',
  ]);
  assert.deepEqual(events, [
    ['0.0', 1, 'join', G, H1.ip],
    ['2.0', 3, 'host-join', G, H2.ip],
    ['10.0', 4, 'querier-change', '', QUERIER.ip],
    ['10.0', 4, 'router-port', '', QUERIER.ip],
    ['20.0', 6, 'leave-seen', G, H1.ip],
    ['20.1', 7, 'group-query', G, ''],
    ['20.5', 8, 'leave-answered', G, H2.ip],
    ['30.0', 9, 'leave-seen', G, H2.ip],
    ['30.1', 10, 'group-query', G, ''],
    ['31.1', 11, 'group-query', G, ''],
    // A timer's expiry names no frame: frame 12 only revealed it (issue 17).
    ['32.1', undefined, 'expiry', G, ''],
  ]);
  assert.deepEqual(r.groups(), [], 'the group is gone at the end');
});

test('seed scenario: suppression view shows one report for the group at the general query', () => {
  const r = replay(SEED);
  assert.equal(r.suppression.length, 2);
  assert.deepEqual(
    [...r.suppression[0].reports].map(([group, g]) => [group, g.old, g.v3]),
    [[G, [H1.ip], []]],
  );
  assert.equal(r.suppression[0].frame, 4);
  assert.equal(r.suppression[0].maxResp, 10);
});

test('seed scenario: leave latency — one answered, one removed 2.1 s after the leave', () => {
  const r = replay(SEED);
  assert.deepEqual(
    r.leaves.map((l) => ({
      host: l.host,
      outcome: l.outcome,
      by: l.answeredBy,
      latency: l.removedAt === undefined ? undefined : +(l.removedAt - l.leaveAt).toFixed(3),
    })),
    [
      { host: H1.ip, outcome: 'answered', by: H2.ip, latency: undefined },
      { host: H2.ip, outcome: 'removed', by: undefined, latency: 2.1 },
    ],
  );
});

test('--at: the state in the middle (members and the pending leave)', () => {
  const mid = replay(SEED.slice(0, 7), 20.2);
  const [g] = mid.groups();
  assert.deepEqual([...g.hosts.keys()], [H2.ip], 'H1 has left, H2 is still a member');
  assert.deepEqual([...g.pendingLeaves.keys()], [H1.ip]);
  assert.equal(+g.expires.toFixed(3), 22.1, 'timer lowered to LMQC × Max Resp Time');
  const early = replay(SEED.slice(0, 3), 5);
  assert.deepEqual([...early.groups()[0].hosts.keys()], [H1.ip, H2.ip]);
  assert.equal(
    early.groups()[0].expires,
    262,
    'Group Membership Interval 260 s after the last report',
  );
});

test('querier election with three routers: the lowest wins, a silent querier is replaced, conflicts are reported', () => {
  const R1: Station = { ip: '192.168.1.3', mac: '00:00:00:00:00:03' };
  const R2: Station = { ip: '192.168.1.2', mac: '00:00:00:00:00:02' };
  const R3: Station = { ip: '192.168.1.1', mac: '00:00:00:00:00:01' };
  const r = replay([
    [0, generalQuery(R1)],
    [10, generalQuery(R2)], // lower: R1 loses
    [20, generalQuery(R1)], // R1 keeps querying: conflict
    [100, generalQuery(R3)], // lower still
    [110, generalQuery(R2)],
    [600, generalQuery(R2)], // R3 has been silent for more than 255 s
  ]);
  assert.deepEqual(
    r.queriers.map((q) => [q.router, q.from, q.to, q.why]),
    [
      [R1.ip, 0, 10, `lost election to ${R2.ip}`],
      [R2.ip, 10, 100, `lost election to ${R3.ip}`],
      [R3.ip, 100, 355, 'went silent'],
      [R2.ip, 600, undefined, undefined],
    ],
  );
  assert.deepEqual(
    r.events.filter((e) => e.kind === 'querier-conflict').map((e) => e.host),
    [R1.ip, R2.ip],
  );
  assert.equal(
    replay([[0, generalQuery({ ip: '0.0.0.0', mac: '00:00:00:00:00:09' })]]).queriers.length,
    0,
    'proxy queries take no part',
  );
});

test('compatibility: a v1 host in a v2 network makes leaves ignored; a v2 host in a v3 network is noted', () => {
  const v1Report = igmpFrame(H1, G, igmpV1({ type: 0x12, group: G }), false);
  const r = replay([
    [0, generalQuery()],
    [1, v1Report],
    [2, leave(H2)],
  ]);
  assert.deepEqual(
    r.events.map((e) => e.kind),
    ['querier-change', 'router-port', 'join', 'compat-change', 'leave-ignored'],
  );
  const v3 = replay([
    [0, igmpFrame(QUERIER, '224.0.0.1', igmpV3Query())],
    [1, report(H1)],
  ]);
  assert.deepEqual(
    v3.events.map((e) => e.kind),
    ['querier-change', 'router-port', 'join', 'compat-change'],
  );
  assert.match(v3.events[3].detail, /IGMPv2 compatibility mode/);
});

test('CLI: --json (events then state), --events, --at and the tables (golden)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
  try {
    const file = join(dir, 'seed.pcap');
    const packets = SEED.map(([t, data]) => ({
      data,
      tsSec: 1_700_000_000 + Math.floor(t),
      tsFrac: Math.round((t % 1) * 1e6),
    }));
    writeFileSync(file, pcapFile({ packets }));
    const json = igmpscope(['membership', '--json', file]);
    assert.equal(json.status, 0, json.stderr);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.type === 'event').length, 11);
    assert.deepEqual(
      lines.filter((l) => l.type === 'leave').map((l) => [l.host, l.outcome]),
      [
        [H1.ip, 'answered'],
        [H2.ip, 'removed'],
      ],
    );
    assert.equal(lines.filter((l) => l.type === 'group').length, 0);
    assert.equal(lines.filter((l) => l.type === 'router_port').length, 1);
    assert.equal(lines.filter((l) => l.type === 'querier').length, 1);
    const tables = igmpscope(['membership', file]);
    assertGolden('membership-seed.txt', tables.stdout);
    const events = igmpscope(['membership', '--events', file]);
    assert.equal(events.stdout.trim().split('\n').length, 11);
    assert.match(events.stdout, /timer +if0 +expiry +239\.1\.1\.1 expires/);
    const mid = igmpscope(['membership', '--at', '20.2', file]);
    assert.match(mid.stdout, /Groups at 20\.200 s/);
    assert.match(mid.stdout, new RegExp(`${H2.ip.replace(/\./g, '\\.')} \\(${H2.mac}\\)`));
    assert.match(mid.stdout, /pending/);
    const iso = igmpscope([
      'membership',
      '--at',
      new Date((1_700_000_000 + 20.2) * 1000).toISOString(),
      file,
    ]);
    assert.equal(iso.stdout, mid.stdout, 'an ISO time means the same instant');
    assert.equal(igmpscope(['membership', '--at', 'yesterday', file]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: the tables of tcpdump IGMP_V2.pcap (golden)', needsCorpus, () => {
  const real = igmpscope(['membership', corpusPath('tcpdump/IGMP_V2.pcap')]);
  assert.equal(real.status, 0);
  assertGolden('membership-igmp-v2.txt', real.stdout);
});

test('v3 source-specific membership through the §6.4 tables: ALLOW, BLOCK, Q(G,A), source expiry', () => {
  const SSM = '232.1.1.1';
  const v3 = (records: { type: number; group: string; sources?: string[] }[]): Buffer =>
    igmpFrame(H1, '224.0.0.22', igmpV3Report({ records }));
  const frames: [number, Buffer][] = [
    [0, igmpFrame(QUERIER, '224.0.0.1', igmpV3Query())],
    [1, v3([{ type: 3, group: SSM, sources: ['10.0.0.1'] }])],
    [2, v3([{ type: 5, group: SSM, sources: ['10.0.0.2'] }])],
    [3, v3([{ type: 6, group: SSM, sources: ['10.0.0.1'] }])],
    [
      3.1,
      igmpFrame(QUERIER, SSM, igmpV3Query({ group: SSM, maxRespCode: 10, sources: ['10.0.0.1'] })),
    ],
  ];
  const at10 = replay(frames, 10);
  const [g] = at10.groups();
  assert.equal(g.mode, 'INCLUDE');
  assert.deepEqual(g.sources, ['10.0.0.2'], '10.0.0.1 expired 2 s after the query nobody answered');
  assert.deepEqual(
    at10.events.map((e) => e.kind),
    [
      'querier-change',
      'router-port',
      'join',
      'source-added',
      'source-added',
      'source-blocked',
      'group-query',
    ],
  );
  const h = g.hosts.get(H1.ip);
  assert.deepEqual(
    h && {
      address: h.address,
      mac: h.mac,
      version: h.version,
      firstReport: h.firstReport,
      lastReport: h.lastReport,
      mode: h.mode,
      sources: h.sources,
    },
    {
      address: H1.ip,
      mac: H1.mac,
      version: 3,
      firstReport: 1,
      lastReport: 3,
      mode: 'INCLUDE',
      sources: ['10.0.0.2'],
    },
    "the snooping view keeps each host's own source list",
  );
  const later = replay(frames, 300);
  assert.deepEqual(later.groups(), [], 'the last source timer (GMI after the ALLOW) ran out');
  assert.equal(later.events[later.events.length - 1].kind, 'expiry');
  assert.equal(later.events[later.events.length - 1].time, 262);
});

test('v3 EXCLUDE with a blocked source, then the group timer runs out: EXCLUDE → INCLUDE (§6.5)', () => {
  const G3 = '239.3.3.3';
  const frames: [number, Buffer][] = [
    [
      0,
      igmpFrame(
        H1,
        '224.0.0.22',
        igmpV3Report({ records: [{ type: 4, group: G3, sources: ['10.9.9.9'] }] }),
      ),
    ],
    [
      1,
      igmpFrame(
        H2,
        '224.0.0.22',
        igmpV3Report({ records: [{ type: 5, group: G3, sources: ['10.0.0.5'] }] }),
      ),
    ],
  ];
  const [g] = replay(frames, 5).groups();
  assert.equal(g.mode, 'EXCLUDE');
  assert.deepEqual(g.blocked, ['10.9.9.9']);
  assert.deepEqual(g.sources, ['10.0.0.5']);
  const r = replay(frames, 260.5);
  const [after] = r.groups();
  assert.equal(
    after.mode,
    'INCLUDE',
    'group timer (260 s) expired: INCLUDE with the sources still running',
  );
  assert.deepEqual(after.sources, ['10.0.0.5']);
  assert.ok(r.events.some((e) => e.kind === 'mode-change' && e.time === 260));
  assert.deepEqual(
    replay(frames, 261).groups(),
    [],
    'gone when its last source timer (261 s) runs out',
  );
});

test("timers are learned from the querier's v3 queries: QRV, QQIC and the general query's Max Resp Code", () => {
  const frames: [number, Buffer][] = [
    [0, igmpFrame(QUERIER, '224.0.0.1', igmpV3Query({ qrv: 3, qqic: 60, maxRespCode: 50 }))],
    [1, report(H1)],
  ];
  const [g] = replay(frames, 2).groups();
  assert.equal(g.expires, 1 + 3 * 60 + 5, 'GMI = QRV × QQI + QRI (RFC 3376 §8.4)');
});

test('two overlays never merge: the same host and group in two VXLAN segments, in GRE and on the plain link are four links', () => {
  const inner = ipv4({ src: H1.ip, dst: G, payload: igmpV2({ type: 0x16, group: G }) });
  const overVxlan = (vni: number): Buffer =>
    ethernet({
      src: '00:11:22:33:44:55',
      dst: '66:77:88:99:aa:bb',
      payload: ipv4({
        src: '198.18.0.1',
        dst: '198.18.0.2',
        protocol: 17,
        ttl: 64,
        routerAlert: false,
        payload: udp({
          src: '198.18.0.1',
          dst: '198.18.0.2',
          srcPort: 49152,
          dstPort: 4789,
          payload: vxlan({
            vni,
            payload: ethernet({ src: H1.mac, payload: inner, padTo60: false }),
          }),
        }),
      }),
    });
  const overGre = ethernet({
    src: '00:11:22:33:44:55',
    dst: '66:77:88:99:aa:bb',
    payload: ipv4({
      src: '198.18.0.1',
      dst: '198.18.0.2',
      protocol: 47,
      ttl: 64,
      routerAlert: false,
      payload: gre({ protocol: 0x0800, key: 7, payload: inner }),
    }),
  });
  const r = replay([
    [0, overVxlan(10)],
    [1, overVxlan(20)],
    [2, overGre],
    [3, report(H1)],
  ]);
  const links = r
    .groups()
    .filter((g) => g.group === G)
    .map((g) => g.link)
    .sort();
  assert.deepEqual(links, [
    'if0',
    'if0/198.18.0.1>198.18.0.2/gre-key7',
    'if0/198.18.0.1>198.18.0.2/vxlan10',
    'if0/198.18.0.1>198.18.0.2/vxlan20',
  ]);
});
