import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MembershipReplay } from '../src/analysis/membership/replay.js';
import {
  dvmrpProbe,
  dvmrpV3,
  ethernet,
  ipv4,
  igmpFrame,
  igmpV1,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  mrdAdvertisement,
  pcapFile,
  pimV1Query,
  HOST_A,
  HOST_B,
  HOST_C,
  QUERIER,
  type Station,
} from '../src/builder/index.js';
import { dissect } from '../src/dissect.js';
import { membershipTables, stateJson } from '../src/output/membership.js';
import { renderTable, wrap } from '../src/output/membership-table.js';
import { igmpscope } from './cli-helpers.js';
import { frameOf } from './helpers.js';

/**
 * Issue 17: what `membership` answers held against a running snooping switch (the Linux
 * bridge), point by point, on captures built for each.
 */

const G = '239.1.1.1';
const S1 = '10.9.0.1';
const S2 = '10.9.0.2';
const R2: Station = { ip: '192.168.1.2', mac: '00:11:22:33:44:66' };
const R3: Station = { ip: '192.168.1.3', mac: '00:11:22:33:44:77' };

/** [seconds, frame bytes] → a replay run to `at` (default: the last frame). */
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

const v2Report = (h: Station, group = G): Buffer =>
  igmpFrame(h, group, igmpV2({ type: 0x16, group }));
const v1Report = (h: Station): Buffer => igmpFrame(h, G, igmpV1({ type: 0x12, group: G }), false);
const v2Leave = (h: Station): Buffer => igmpFrame(h, '224.0.0.2', igmpV2({ type: 0x17, group: G }));
const v3 = (h: Station, type: number, sources: string[] = [], group = G): Buffer =>
  igmpFrame(h, '224.0.0.22', igmpV3Report({ records: [{ type, group, sources }] }));
const generalQuery = (from: Station = QUERIER, version: 2 | 3 = 2): Buffer =>
  igmpFrame(
    from,
    '224.0.0.1',
    version === 2 ? igmpV2({ type: 0x11, maxResp: 100 }) : igmpV3Query(),
  );
const groupQuery = (from: Station = QUERIER): Buffer =>
  igmpFrame(from, G, igmpV2({ type: 0x11, maxResp: 10, group: G }));

const hostsOf = (r: MembershipReplay, group = G): string[] =>
  [
    ...(r
      .groups()
      .find((g) => g.group === group)
      ?.hosts.keys() ?? []),
  ].sort();

/** Writes a built capture to a temporary file for the CLI. */
function withCapture(frames: [number, Buffer][], run: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
  try {
    const file = join(dir, 'built.pcap');
    const packets = frames.map(([t, data]) => {
      const whole = Math.floor(t);
      return { data, tsSec: 1_700_000_000 + whole, tsFrac: Math.round((t - whole) * 1e6) };
    });
    writeFileSync(file, pcapFile({ packets }));
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('size: hosts are indexed, so a report costs the same in a group of 2,000 hosts; tables and JSON draw 2,000 members at once', () => {
  const hosts: Station[] = Array.from({ length: 2000 }, (_, i) => ({
    ip: `10.1.${i >> 8}.${i & 255}`,
    mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
  }));
  const frames: [number, Buffer][] = [[0, generalQuery()]];
  for (let round = 0; round < 3; round++)
    hosts.forEach((h, i) => frames.push([round * 125 + 0.001 * (i + 1), v2Report(h)]));
  const started = Date.now();
  const r = replay(frames);
  assert.equal(r.groups()[0].hosts.size, 2000);
  const tables = membershipTables(r, 252);
  const json = stateJson(r, 252);
  // The old replay and cli-table3 took 42 s for 150 hosts; this is 6,000 reports of 2,000.
  assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
  assert.equal(tables.split('\n').filter((l) => l.includes(' (02:00:00:00:')).length, 2000);
  const group = JSON.parse(json[0]) as { members: unknown[] };
  assert.equal(group.members.length, 2000);
});

test('the table renderer: linear, full width when piped, within the width given, values never cut', () => {
  const rows = Array.from({ length: 20_000 }, (_, i) => [`10.0.${i >> 8}.${i & 255}`, 'x']);
  const started = Date.now();
  const out = renderTable([{ head: 'host' }, { head: 'note', wrap: true }], rows, Infinity);
  assert.ok(Date.now() - started < 5000);
  assert.equal(out.split('\n').length, 20_000 + 4, 'one line a row, no rules between');
  const list = Array.from({ length: 30 }, (_, i) => `10.0.0.${i}`).join(', ');
  const columns = [{ head: 'link' }, { head: 'group' }, { head: 'sources', wrap: true }];
  const piped = renderTable(columns, [['if0', G, list]], Infinity);
  assert.equal(piped.split('\n').length, 5, 'piped: the list on one line');
  const narrow = renderTable(columns, [['if0', G, list]], 60);
  for (const line of narrow.split('\n')) assert.ok(line.length <= 60, line);
  assert.ok(narrow.split('\n').length > 5, 'the list wraps');
  assert.match(narrow, /│ 10\.0\.0\.0, 10\.0\.0\.1,/, 'broken after commas');
  const tooNarrow = renderTable(columns, [['if0', G, list]], 10);
  assert.match(tooNarrow, /239\.1\.1\.1/, 'an address is never cut: the table overflows');
  assert.deepEqual(wrap('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
});

test('an INCLUDE list emptied by BLOCK, or TO_IN({}), leaves the host no member (RFC 3376 §3.1)', () => {
  const frames: [number, Buffer][] = [
    [0, v3(HOST_A, 1, [S1, S2])], // IS_IN {S1, S2}
    [1, v3(HOST_B, 1, [S1])],
    [2, v3(HOST_C, 2)], // IS_EX {}: any source
    [3, v3(HOST_A, 6, [S1])], // BLOCK S1: INCLUDE {S2}, still a member
    [4, v3(HOST_A, 6, [S2])], // BLOCK S2: INCLUDE {}, receives nothing
    [5, v3(HOST_B, 3)], // TO_IN {}: a leave
  ];
  const r = replay(frames);
  assert.deepEqual(hostsOf(r), [HOST_C.ip]);
  assert.deepEqual(
    r.events.filter((e) => e.kind === 'host-leave').map((e) => [e.frame, e.host]),
    [[5, HOST_A.ip]],
  );
  assert.deepEqual(hostsOf(replay(frames.slice(0, 4))), [HOST_A.ip, HOST_B.ip, HOST_C.ip].sort());
  assert.deepEqual(
    replay(frames.slice(0, 4)).groups()[0].hosts.get(HOST_A.ip)?.sources,
    [S2],
    'its own list after the first BLOCK',
  );
});

test('each host ages out a Group Membership Interval after its last report, whatever the others do (RFC 4541 §2.1.1)', () => {
  const frames: [number, Buffer][] = [
    [0, generalQuery()],
    [1, v2Report(HOST_A)],
    [1.5, v2Report(HOST_B)],
    [125, generalQuery()],
    [126, v2Report(HOST_B)], // HOST_A has stopped reporting
    [250, generalQuery()],
    [251, v2Report(HOST_B)],
    [300, generalQuery()],
  ];
  const r = replay(frames);
  assert.deepEqual(hostsOf(r), [HOST_B.ip], 'the group stays; HOST_A has aged out');
  const aged = r.events.find((e) => e.kind === 'host-expiry');
  assert.deepEqual([aged?.time, aged?.frame, aged?.host], [261, undefined, HOST_A.ip]);
  assert.deepEqual(
    hostsOf(
      replay(
        frames.filter(([t]) => t <= 260),
        260,
      ),
    ),
    [HOST_A.ip, HOST_B.ip].sort(),
    'not before',
  );
  assert.equal(r.groups()[0].hosts.get(HOST_B.ip)?.expires, 511);
});

test('a v2 host that leaves beside a v1 host: the group stays (RFC 3376 §7.3.2), the host is no member', () => {
  const r = replay([
    [0, generalQuery()],
    [1, v1Report(HOST_A)],
    [2, v2Report(HOST_B)],
    [3, v2Leave(HOST_B)], // (a querier in v1 compatibility mode sends no last-member query)
    [10, generalQuery()],
  ]);
  assert.equal(r.groups().length, 1, 'the router ignores the leave');
  assert.deepEqual(hostsOf(r), [HOST_A.ip]);
  assert.deepEqual(
    r.leaves.map((l) => [l.host, l.outcome]),
    [[HOST_B.ip, 'ignored']],
  );
  assert.equal(r.leaveTotals.ignored, 1);
});

test('router ports: the elected querier only, then PIMv1 Query, DVMRP Probe and MRD Advertisement; each ages out; never mrinfo', () => {
  // mrinfo: a host asks a router for its neighbours, unicast.
  const askNeighbors2 = ethernet({
    dst: QUERIER.mac,
    src: HOST_C.mac,
    payload: ipv4({
      src: HOST_C.ip,
      dst: QUERIER.ip,
      payload: dvmrpV3(5, Buffer.alloc(0)),
      routerAlert: false,
    }),
  });
  const frames: [number, Buffer][] = [
    [0, generalQuery(R2)], // R2 is querier first
    [10, generalQuery(R3)], // higher than R2: no querier, no router port
    [20, generalQuery(QUERIER)], // lower: elected, a router port
    [30, igmpFrame(R3, '224.0.0.2', pimV1Query(), false)],
    [40, igmpFrame(HOST_B, '224.0.0.4', dvmrpProbe({ genId: 7 }), false)],
    [50, igmpFrame(HOST_A, '224.0.0.106', mrdAdvertisement(20, 125, 2), false)],
    [60, askNeighbors2], // mrinfo from a host: not a router
    [120, generalQuery(R3)], // still not elected: the port of R3 stays PIM's alone
  ];
  const r = replay(frames);
  const ports = r.routerPorts().map((p) => [p.address, [...p.reasons.keys()]]);
  assert.deepEqual(
    ports.sort(),
    [
      [QUERIER.ip, ['elected querier (IGMPv2)']],
      [R2.ip, ['elected querier (IGMPv2)']],
      [R3.ip, ['PIMv1 Query']],
      [HOST_A.ip, ['MRD Advertisement']],
      [HOST_B.ip, ['DVMRP Probe']],
    ].sort(),
  );
  assert.ok(!r.routerPorts().some((p) => p.address === HOST_C.ip), 'Ask Neighbors 2 is no sign');
  // Each ages out an Other Querier Present Interval (255 s) after its last sign: R2 (0),
  // QUERIER (20, querying again at 300), R3's PIM (30), HOST_B's probe (40).
  const later = replay([...frames, [300, generalQuery(QUERIER)]]);
  assert.deepEqual(
    later
      .routerPorts()
      .map((p) => p.address)
      .sort(),
    [QUERIER.ip, HOST_A.ip].sort(),
    'the querier again from 300; the MRD advertisement (50) ages out at 305',
  );
  const aged = later.events.filter((e) => e.kind === 'router-port-expiry');
  assert.deepEqual(
    aged.map((e) => [e.host, e.time, e.frame]),
    [
      [R2.ip, 255, undefined],
      [QUERIER.ip, 275, undefined],
      [R3.ip, 285, undefined],
      [HOST_B.ip, 295, undefined],
    ],
  );
  assert.equal(later.routerPorts().find((p) => p.address === QUERIER.ip)?.expires, 555);
});

test('leave latency runs from the first leave, not a retransmission (the arkime capture: 2.029 s, not 1.129 s)', () => {
  // As in arkime/igmp.pcap: a v3 host leaves, the querier asks, the host repeats its leave.
  const q = (t: number): [number, Buffer] => [
    t,
    igmpFrame(QUERIER, G, igmpV3Query({ group: G, maxRespCode: 10 })),
  ];
  const r = replay(
    [
      [0, v3(HOST_A, 2)],
      [0.504, v3(HOST_A, 3)],
      q(0.533),
      [1.404, v3(HOST_A, 3)],
      q(1.433),
      q(2.433),
      [30, generalQuery(QUERIER, 3)],
    ],
    30,
  );
  assert.deepEqual(
    r.leaves.map((l) => [
      l.outcome,
      l.leaveAt,
      l.repeats,
      +((l.removedAt ?? 0) - l.leaveAt).toFixed(3),
    ]),
    [['removed', 0.504, 1, 2.029]],
  );
});

test('a leave answered by a re-report within the last-member wait stays in the table as answered', () => {
  const r = replay([
    [0, generalQuery()],
    [1, v2Report(HOST_A)],
    [5, v2Leave(HOST_A)],
    [5.01, groupQuery()],
    [5.5, v2Report(HOST_A)], // the host changed its mind
    [10, generalQuery()],
  ]);
  assert.deepEqual(
    r.leaves.map((l) => [l.host, l.outcome, l.answeredBy, l.answeredAt]),
    [[HOST_A.ip, 'answered', HOST_A.ip, 5.5]],
  );
  assert.deepEqual(hostsOf(r), [HOST_A.ip]);
  assert.match(membershipTables(r, 10), /answered by 192\.168\.1\.10 \(itself\) at 5\.500/);
});

test('report suppression counts v3 reports too, apart from v1/v2 ones', () => {
  const r = replay([
    [0, generalQuery(QUERIER, 3)],
    [1, v3(HOST_A, 2)],
    [2, v3(HOST_B, 2)],
    [3, v2Report(HOST_C)],
    [3.5, v3(HOST_A, 2)], // a v3 host repeats its report: counted, one host
    [20, v3(HOST_B, 2)], // past the Max Resp Time
  ]);
  const [window] = r.suppression;
  const g = window.reports.get(G);
  assert.deepEqual([g?.v3, g?.old], [[HOST_A.ip, HOST_B.ip, HOST_A.ip], [HOST_C.ip]]);
  const line = stateJson(r, 20)
    .map((l) => JSON.parse(l) as { type: string; groups?: unknown[] })
    .find((l) => l.type === 'suppression');
  assert.deepEqual(line?.groups, [
    {
      group: G,
      v1_v2_reports: 1,
      v1_v2_hosts: [HOST_C.ip],
      v3_reports: 3,
      v3_hosts: [HOST_A.ip, HOST_B.ip],
    },
  ]);
  assert.match(membershipTables(r, 20), /IGMPv3 hosts never suppress/);
});

test("the Linux bridge's plain-number QQIC and Max Resp Code: read as its intervals say, and shown", () => {
  // Query interval 200 s, response interval 20 s, written as QQIC 200 and Max Resp Code 200.
  const bridge = igmpFrame(QUERIER, '224.0.0.1', igmpV3Query({ qqic: 200, maxRespCode: 200 }));
  const frames: [number, Buffer][] = [
    [0, bridge],
    [5, v3(HOST_A, 2)],
    [200, bridge],
    [205, v3(HOST_A, 2)], // HOST_A's last report
    [400, bridge],
  ];
  const r = replay(frames, 700);
  // GMI = 2 × 200 + 20 = 420 s: the group ends at 625 s, where the RFC reading said 6,656 s.
  const expiry = r.events.find((e) => e.kind === 'expiry');
  assert.equal(expiry?.time, 625);
  assert.equal(expiry?.frame, undefined);
  const [span] = r.queriers;
  assert.deepEqual(
    span.timers.readings.map((c) => [c.field, c.code, c.reading, c.seconds, c.rfcSeconds]),
    [
      ['qqic', 200, 'plain', 200, 3072],
      ['max_resp_code', 200, 'plain', 20, 307.2],
    ],
  );
  assert.equal(span.timers.queryInterval, 200);
  assert.equal(span.timers.queryResponseInterval, 20);
  // Before the second query nothing tells the readings apart: the RFC's, said so.
  const first = replay(frames.slice(0, 2), 10);
  assert.equal(first.queriers[0].timers.readings[0].reading, 'rfc');
  assert.match(first.queriers[0].timers.readings[0].why, /no two general queries/);
  assert.equal(first.groups()[0].expires, 5 + 2 * 3072 + 307.2);
  const querier = stateJson(r, 700)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.type === 'querier');
  assert.deepEqual(
    (querier?.readings as Record<string, unknown>[]).map((c) => [c.field, c.reading, c.seconds]),
    [
      ['qqic', 'plain', 200],
      ['max_resp_code', 'plain', 20],
    ],
  );
  assert.equal(querier?.query_interval, 200);
  assert.match(membershipTables(r, 700), /QQIC 200 read as a plain number, 200 s/);
});

test('--query-interval given on the command line wins over the QQIC', () => {
  const bridge = igmpFrame(QUERIER, '224.0.0.1', igmpV3Query({ qqic: 60 }));
  const r = new MembershipReplay({ timers: { queryInterval: 100 } });
  r.frame(dissect(frameOf(bridge, { number: 1 }), { detail: false }));
  assert.equal(r.queriers[0].timers.queryInterval, 100);
  assert.deepEqual(r.queriers[0].timers.fixed, ['queryInterval']);
});

test('CLI: --json keys are snake_case, times rounded to the capture, expiries name no frame; --width fits the tables; piped, full width', () => {
  const frames: [number, Buffer][] = [
    [0.1, generalQuery()],
    [0.11, v2Report(HOST_A)],
    [160.01, v2Report(HOST_B)], // 160.00999999046326 in the old float arithmetic
    [160.02, v2Leave(HOST_B)],
    [160.03, groupQuery()],
    [161.03, groupQuery()],
    [170.5, generalQuery()],
  ];
  withCapture(frames, (file) => {
    const run = igmpscope(['membership', '--json', file]);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const join = lines.find((l) => l.kind === 'host-join');
    assert.equal(join?.time, 159.91, 'exactly, to the microsecond');
    assert.ok(run.stdout.indexOf('999999') < 0, 'no float noise anywhere');
    const leave = lines.find((l) => l.type === 'leave');
    // Nobody answered the last-member queries (HOST_A's report was 160 s earlier): removed.
    assert.deepEqual(
      [leave?.leave_at, leave?.outcome, leave?.removed_at, leave?.latency],
      [159.92, 'removed', 161.93, 2.01],
    );
    const expiry = lines.find((l) => l.kind === 'expiry');
    assert.equal(expiry?.time, 161.93);
    assert.ok(!('frame.number' in (expiry ?? {})), 'a timer expiry names no frame');
    assert.equal(lines.find((l) => l.kind === 'leave-seen')?.['frame.number'], 4);
    assert.equal(lines.filter((l) => l.type === 'suppression').length, 2);
    assert.equal(lines[lines.length - 1].type, 'summary');
    const narrow = igmpscope(['membership', '--width', '80', file]).stdout;
    for (const line of narrow.trimEnd().split('\n')) assert.ok(line.length <= 80, line);
    const piped = igmpscope(['membership', file]).stdout;
    assert.ok(
      piped.split('\n').some((line) => line.length > 80),
      'piped: every table at full width',
    );
    assert.match(piped, /Members at 170\.400 s/);
  });
});
