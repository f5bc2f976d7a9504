import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROBLEM_ALIASES, RULES } from '../src/analysis/rules.js';
import { CaptureValidator, type Finding } from '../src/analysis/validate.js';
import {
  ethernet,
  igmpFrame,
  igmpV1,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  ipv4,
  mtrace,
  HOST_A,
  QUERIER,
  type Station,
} from '../src/builder/index.js';
import { dissect } from '../src/dissect.js';
import { PROBLEM_DEFS } from '../src/problems.js';
import { defectFrames } from './built-fixtures.js';
import { frameOf } from './helpers.js';

/** Runs the validator over built frames, numbered from 1, as `validate` does. */
function findings(frames: Buffer[]): Finding[] {
  const out: Finding[] = [];
  const v = new CaptureValidator(new Map(), (f) => out.push(f));
  frames.forEach((data, i) =>
    v.frame(dissect(frameOf(data, { number: i + 1 }), { detail: false })),
  );
  v.finish();
  return out;
}
const rulesOf = (frames: Buffer[]): string[] =>
  [...new Set(findings(frames).map((f) => f.rule))].sort();

/** An IGMP frame with everything about its IP and Ethernet headers under the test's control. */
function frame(o: {
  from?: Station;
  dst: string;
  igmp: Buffer;
  ttl?: number;
  routerAlert?: boolean;
  mac?: string;
  mf?: boolean;
  fragOffset?: number;
}): Buffer {
  const from = o.from ?? HOST_A;
  return ethernet({
    dst: o.mac,
    src: from.mac,
    payload: ipv4({
      src: from.ip,
      dst: o.dst,
      payload: o.igmp,
      ttl: o.ttl,
      routerAlert: o.routerAlert,
      mf: o.mf,
      fragOffset: o.fragOffset,
    }),
  });
}

const report = (group: string): Buffer => igmpV2({ type: 0x16, group });
const ZERO: Station = { ip: '0.0.0.0', mac: '00:aa:bb:cc:dd:09' };

/** [rule, frames that break it, frames that keep it]. */
const CASES: [string, Buffer[], Buffer[]][] = [
  [
    'encap.ttl',
    [frame({ dst: '239.1.1.1', igmp: report('239.1.1.1'), ttl: 64 })],
    [
      frame({ dst: '239.1.1.1', igmp: report('239.1.1.1') }),
      frame({
        dst: '224.0.0.2',
        ttl: 64,
        igmp: mtrace({
          group: '239.1.1.1',
          source: '10.0.0.1',
          receiver: '10.0.0.2',
          responseAddress: '10.0.0.3',
          queryId: 1,
        }),
      }),
    ],
  ],
  [
    'encap.router_alert',
    [frame({ dst: '239.1.1.1', igmp: report('239.1.1.1'), routerAlert: false })],
    [
      frame({
        dst: '239.2.2.2',
        igmp: igmpV1({ type: 0x12, group: '239.2.2.2' }),
        routerAlert: false,
      }),
    ],
  ],
  [
    'encap.dst',
    [
      frame({
        dst: '224.0.0.1',
        igmp: igmpV3Report({ records: [{ type: 4, group: '239.1.1.1' }] }),
      }),
      frame({ dst: '224.0.0.1', igmp: igmpV2({ type: 0x17, group: '239.1.1.1' }) }),
      frame({
        from: QUERIER,
        dst: '239.9.9.9',
        igmp: igmpV2({ type: 0x11, maxResp: 10, group: '239.1.1.1' }),
      }),
      frame({ dst: '239.9.9.9', igmp: report('239.1.1.1') }),
    ],
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 4, group: '239.1.1.1' }] }),
      }),
      frame({ dst: '224.0.0.2', igmp: igmpV2({ type: 0x17, group: '239.1.1.1' }) }),
      frame({ dst: '239.1.1.1', igmp: igmpV2({ type: 0x17, group: '239.1.1.1' }) }),
      frame({
        from: QUERIER,
        dst: '239.1.1.1',
        igmp: igmpV3Query({ group: '239.1.1.1', sources: ['10.0.0.1'] }),
      }),
    ],
  ],
  [
    'encap.dst.leave_to_group',
    [frame({ dst: '239.1.1.1', igmp: igmpV2({ type: 0x17, group: '239.1.1.1' }) })],
    [frame({ dst: '224.0.0.2', igmp: igmpV2({ type: 0x17, group: '239.1.1.1' }) })],
  ],
  [
    'encap.mac',
    [
      frame({ dst: '239.1.1.1', igmp: report('239.1.1.1'), mac: '00:11:22:33:44:55' }),
      frame({ dst: '239.1.1.1', igmp: report('239.1.1.1'), mac: '01:00:5e:01:01:02' }),
    ],
    [frame({ dst: '239.129.1.1', igmp: report('239.129.1.1') })],
  ],
  [
    'encap.fragment',
    [
      frame({ dst: '239.1.1.1', igmp: report('239.1.1.1'), mf: true }),
      frame({ dst: '239.1.1.1', igmp: report('239.1.1.1'), fragOffset: 2 }),
    ],
    [frame({ dst: '239.1.1.1', igmp: report('239.1.1.1') })],
  ],
  [
    'igmp.group.not_multicast',
    [
      frame({ dst: '10.1.1.1', mac: '00:11:22:33:44:55', igmp: report('10.1.1.1') }),
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 4, group: '10.1.1.1' }] }),
      }),
    ],
    [frame({ dst: '239.1.1.1', igmp: report('239.1.1.1') })],
  ],
  [
    'igmp.query.general_group',
    [
      frame({
        from: QUERIER,
        dst: '224.0.0.1',
        igmp: igmpV2({ type: 0x11, maxResp: 100, group: '239.1.1.1' }),
      }),
    ],
    [frame({ from: QUERIER, dst: '224.0.0.1', igmp: igmpV2({ type: 0x11, maxResp: 100 }) })],
  ],
  [
    'igmp.report.all_systems',
    [frame({ dst: '224.0.0.1', igmp: report('224.0.0.1') })],
    [frame({ dst: '239.1.1.1', igmp: report('239.1.1.1') })],
  ],
  [
    'igmp.group.link_local',
    [
      frame({ dst: '224.0.0.251', igmp: report('224.0.0.251') }),
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 2, group: '224.0.0.252' }] }),
      }),
    ],
    [frame({ dst: '224.0.1.1', igmp: report('224.0.1.1') })],
  ],
  [
    'igmp.query.unspecified_source',
    [frame({ from: ZERO, dst: '224.0.0.1', igmp: igmpV2({ type: 0x11, maxResp: 100 }) })],
    [frame({ from: QUERIER, dst: '224.0.0.1', igmp: igmpV2({ type: 0x11, maxResp: 100 }) })],
  ],
  [
    'igmp.report.unspecified_source',
    [
      frame({
        from: ZERO,
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 4, group: '239.1.1.1' }] }),
      }),
    ],
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 4, group: '239.1.1.1' }] }),
      }),
    ],
  ],
  [
    'igmp.v3.duplicate_source',
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({
          records: [{ type: 1, group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.2', '10.0.0.1'] }],
        }),
      }),
      frame({
        from: QUERIER,
        dst: '232.1.1.1',
        igmp: igmpV3Query({ group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.1'] }),
      }),
    ],
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({
          records: [{ type: 1, group: '232.1.1.1', sources: ['10.0.0.1', '10.0.0.2'] }],
        }),
      }),
    ],
  ],
  [
    'igmp.v3.duplicate_record',
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({
          records: [
            { type: 4, group: '239.1.1.1' },
            { type: 4, group: '239.1.1.1' },
          ],
        }),
      }),
    ],
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({
          records: [
            { type: 5, group: '232.1.1.1', sources: ['10.0.0.1'] },
            { type: 6, group: '232.1.1.1', sources: ['10.0.0.2'] },
          ],
        }),
      }),
    ],
  ],
  [
    'igmp.v3.aux_data',
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({
          records: [{ type: 4, group: '239.1.1.1', auxData: Buffer.alloc(8) }],
        }),
      }),
    ],
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 4, group: '239.1.1.1' }] }),
      }),
    ],
  ],
  [
    'igmp.v3.empty_source_change',
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 5, group: '232.1.1.1' }] }),
      }),
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 6, group: '232.1.1.1' }] }),
      }),
    ],
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 3, group: '239.1.1.1' }] }),
      }),
    ],
  ],
  [
    'igmp.query.s_flag_general',
    [frame({ from: QUERIER, dst: '224.0.0.1', igmp: igmpV3Query({ sFlag: true }) })],
    [
      frame({
        from: QUERIER,
        dst: '239.1.1.1',
        igmp: igmpV3Query({ group: '239.1.1.1', sFlag: true }),
      }),
    ],
  ],
  [
    'igmp.query.qrv_zero',
    [frame({ from: QUERIER, dst: '224.0.0.1', igmp: igmpV3Query({ qrv: 0 }) })],
    [frame({ from: QUERIER, dst: '224.0.0.1', igmp: igmpV3Query({ qrv: 2 }) })],
  ],
  [
    'igmp.query.max_resp_exceeds_qqi',
    [
      frame({
        from: QUERIER,
        dst: '224.0.0.1',
        igmp: igmpV3Query({ maxRespCode: 0xfe, qqic: 125 }),
      }),
    ],
    [
      frame({ from: QUERIER, dst: '224.0.0.1', igmp: igmpV3Query({ maxRespCode: 0xfe, qqic: 0 }) }),
      frame({
        from: QUERIER,
        dst: '224.0.0.1',
        igmp: igmpV3Query({ maxRespCode: 100, qqic: 125 }),
      }),
    ],
  ],
  [
    'igmp.ssm.exclude',
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 4, group: '232.1.1.1' }] }),
      }),
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 2, group: '232.1.1.1', sources: ['10.0.0.1'] }] }),
      }),
    ],
    [
      frame({
        dst: '224.0.0.22',
        igmp: igmpV3Report({ records: [{ type: 3, group: '232.1.1.1', sources: ['10.0.0.1'] }] }),
      }),
    ],
  ],
  [
    'igmp.ssm.old_report',
    [
      frame({ dst: '232.1.1.1', igmp: report('232.1.1.1') }),
      frame({
        dst: '232.1.1.1',
        igmp: igmpV1({ type: 0x12, group: '232.1.1.1' }),
        routerAlert: false,
      }),
    ],
    [frame({ dst: '239.1.1.1', igmp: report('239.1.1.1') })],
  ],
];

for (const [rule, breaking, keeping] of CASES) {
  test(`${rule}: fires on frames that break it, silent on frames that keep it`, () => {
    assert.ok(RULES.has(rule), `${rule} is a registered rule`);
    for (const [i, f] of breaking.entries()) {
      const found = findings([f]).filter((x) => x.rule === rule);
      assert.equal(found.length, 1, `breaking frame ${i}: ${JSON.stringify(findings([f]))}`);
      assert.equal(found[0].severity, RULES.get(rule)?.severity);
    }
    for (const [i, f] of keeping.entries())
      assert.ok(!rulesOf([f]).includes(rule), `keeping frame ${i}: ${rulesOf([f])}`);
  });
}

test('igmp.query.v1_among_newer: a v1 query (v2 with Max Resp Time 0) only counts among v2/v3 queriers', () => {
  const v1Query = igmpFrame(QUERIER, '224.0.0.1', igmpV1({ type: 0x11 }), false);
  const v2Query = igmpFrame(QUERIER, '224.0.0.1', igmpV2({ type: 0x11, maxResp: 100 }));
  const v3Query = igmpFrame(QUERIER, '224.0.0.1', igmpV3Query());
  const found = findings([v1Query, v2Query, v1Query]).filter(
    (f) => f.rule === 'igmp.query.v1_among_newer',
  );
  assert.deepEqual(
    found.map((f) => f.frame),
    [1, 3],
  );
  assert.equal(
    findings([v1Query, v3Query]).filter((f) => f.rule === 'igmp.query.v1_among_newer').length,
    1,
  );
  assert.ok(!rulesOf([v1Query, v1Query]).includes('igmp.query.v1_among_newer'));
});

test('decoder problems are findings with their registered severities', () => {
  const all = findings(defectFrames().map((f) => f.data));
  const rules = new Set(all.map((f) => f.rule));
  for (const id of [
    'igmp.checksum.bad',
    'ip.checksum.bad',
    'igmp.num_src.overflow',
    'igmp.num_grp_recs.overflow',
    'igmp.aux_data_len.overflow',
    'igmp.record_type.unknown',
    'igmp.query.bad_length',
    'igmp.too_short',
    'igmp.type.unknown',
    'igmp.truncated',
    'igmp.reserved.nonzero',
  ]) {
    assert.ok(rules.has(id), id);
  }
  for (const f of all) assert.equal(f.severity, RULES.get(f.rule)?.severity, f.rule);
});

test('ip.checksum.zero: a rule of its own (not an alias of ip.checksum.bad), a warning that can be turned off', () => {
  const offloaded = ethernet({
    src: HOST_A.mac,
    payload: ipv4({
      src: HOST_A.ip,
      dst: '239.1.1.1',
      headerChecksum: 0,
      payload: report('239.1.1.1'),
    }),
  });
  assert.equal(PROBLEM_ALIASES.has('ip.checksum.zero'), false);
  assert.equal(RULES.get('ip.checksum.zero')?.severity, 'warning');
  assert.deepEqual(
    findings([offloaded]).map((f) => [f.rule, f.severity]),
    [['ip.checksum.zero', 'warning']],
  );
  const out: Finding[] = [];
  const quiet = new CaptureValidator(new Map([['ip.checksum.zero', 'off']]), (f) => out.push(f));
  quiet.frame(dissect(frameOf(offloaded), { detail: false }));
  quiet.finish();
  assert.deepEqual(out, []);
});

test('a well-formed conversation raises nothing', () => {
  const clean = [
    igmpFrame(QUERIER, '224.0.0.1', igmpV3Query()),
    frame({
      dst: '224.0.0.22',
      igmp: igmpV3Report({
        records: [
          { type: 4, group: '239.1.1.1' },
          { type: 3, group: '232.1.1.1', sources: ['10.0.0.1'] },
        ],
      }),
    }),
    frame({ dst: '239.1.1.1', igmp: report('239.1.1.1') }),
    frame({ dst: '224.0.0.2', igmp: igmpV2({ type: 0x17, group: '239.1.1.1' }) }),
    igmpFrame(QUERIER, '239.1.1.1', igmpV2({ type: 0x11, maxResp: 10, group: '239.1.1.1' })),
  ];
  assert.deepEqual(findings(clean), []);
});

test('every rule of our own has a case here (decoder problems are tested with the decoders)', () => {
  // igmp.query.interval_code needs a querier's intervals: test/interval-code.test.ts has it.
  const tested = new Set([
    ...CASES.map(([rule]) => rule),
    'igmp.query.v1_among_newer',
    'igmp.query.interval_code',
  ]);
  for (const rule of RULES.keys()) {
    if (!PROBLEM_DEFS.has(rule)) assert.ok(tested.has(rule), `${rule} needs a case here`);
  }
});

test('a capture checked in parts and absorbed in order tallies and finishes as one check', () => {
  const v1Query = igmpFrame(QUERIER, '224.0.0.1', igmpV1({ type: 0x11 }), false);
  const v2Query = igmpFrame(QUERIER, '224.0.0.1', igmpV2({ type: 0x11, maxResp: 100 }));
  const noAlert = igmpFrame(HOST_A, '239.1.1.1', igmpV2({ type: 0x16, group: '239.1.1.1' }), false);
  // v1 queries before the only v2 query, and a rule that fires more often than the tallies keep.
  const frames = [v1Query, noAlert, noAlert, v1Query, ...Array(12).fill(noAlert), v2Query, noAlert];
  const check = (v: CaptureValidator, from: number, to: number): void => {
    for (let i = from; i < to; i++)
      v.frame(dissect(frameOf(frames[i], { number: i + 1 }), { detail: false }));
  };
  const oneFindings: Finding[] = [];
  const one = new CaptureValidator(new Map(), (f) => oneFindings.push(f));
  check(one, 0, frames.length);
  one.finish();
  for (const cuts of [[1], [3, 4, 9], [5, 16, 17]]) {
    const wholeFindings: Finding[] = [];
    const whole = new CaptureValidator(new Map(), (f) => wholeFindings.push(f));
    const bounds = [0, ...cuts, frames.length];
    for (let i = 1; i < bounds.length; i++) {
      const partFindings: Finding[] = [];
      const part = new CaptureValidator(new Map(), (f) => partFindings.push(f));
      check(part, bounds[i - 1], bounds[i]);
      wholeFindings.push(...partFindings);
      whole.absorb(part.part());
    }
    whole.finish();
    assert.deepEqual(wholeFindings, oneFindings, `cut at ${cuts}`);
    assert.deepEqual(whole.tallies, one.tallies, `cut at ${cuts}`);
    assert.deepEqual(whole.counts, one.counts);
    assert.equal(whole.frames, one.frames);
  }
  assert.equal(one.tallies.get('encap.router_alert')?.frames.length, 10);
  assert.equal(oneFindings.filter((f) => f.rule === 'igmp.query.v1_among_newer').length, 2);
});
