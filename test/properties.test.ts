import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  ethernet,
  igmpFrame,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  ipv4,
  sampleFrames,
  HOST_A,
  QUERIER,
} from '../src/builder/index.js';
import { dissect } from '../src/dissect.js';
import { frameJson } from '../src/output/json.js';
import { PLAIN } from '../src/output/palette.js';
import { summaryLine } from '../src/output/summary.js';
import { RelativeClock } from '../src/output/time.js';
import { frameTree } from '../src/output/tree-out.js';
import { frameOf } from './helpers.js';

const LINK_TYPES = [0, 1, 12, 14, 101, 113, 147, 228, 276];

/**
 * A fixed seed keeps CI repeatable (FC_SEED=… explores others; `npm run fuzz` runs long random
 * campaigns). fast-check prints the seed and path of any counterexample it finds.
 */
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261125) });

/** Every output of a frame, in both dissection modes: none may throw, JSON must parse. */
function everyOutput(data: Buffer, linkType: number, origLen = data.length): void {
  const frame = frameOf(data, { linkType, origLen: Math.max(origLen, data.length) });
  const clock = new RelativeClock();
  const fast = dissect(frame, { detail: false });
  summaryLine(fast, clock, PLAIN);
  const full = dissect(frame);
  frameTree(full, clock, PLAIN);
  JSON.parse(frameJson(full, clock));
  for (const p of full.problems) {
    assert.ok(
      p.offset >= 0 && p.offset <= Math.max(data.length, origLen),
      `${p.id} offset ${p.offset} of ${data.length}`,
    );
  }
  assert.deepEqual(
    fast.problems.map((p) => p.id),
    full.problems.map((p) => p.id),
    'the fast path finds the same problems as the full tree',
  );
}

const address = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((b) => b.join('.'));
const group = fc
  .tuple(fc.integer({ min: 224, max: 239 }), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((b) => b.join('.'));

test('arbitrary bytes on every link type: no throw, problems inside the frame, same problems fast and full', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom(...LINK_TYPES),
      (bytes, linkType) => {
        everyOutput(Buffer.from(bytes), linkType);
      },
    ),
    { numRuns: 2000 },
  );
});

test('arbitrary bytes after valid Ethernet and IPv4 headers (IGMP payloads of any shape)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 120 }),
      fc.integer({ min: 0, max: 200 }),
      (payload, claimed) => {
        const frame = ethernet({
          src: HOST_A.mac,
          payload: ipv4({
            src: HOST_A.ip,
            dst: '224.0.0.22',
            payload: Buffer.from(payload),
            totalLength: 24 + claimed,
          }),
        });
        everyOutput(frame, 1, frame.length + (claimed % 7));
      },
    ),
    { numRuns: 2000 },
  );
});

test('round trip: v2 messages the builder makes decode back to what was built', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(0x11, 0x16, 0x17) as fc.Arbitrary<0x11 | 0x16 | 0x17>,
      fc.integer({ min: 1, max: 255 }),
      group,
      (type, maxResp, g) => {
        const d = dissect(
          frameOf(
            igmpFrame(HOST_A, type === 0x17 ? '224.0.0.2' : g, igmpV2({ type, maxResp, group: g })),
          ),
        );
        assert.equal(d.igmp?.version, 2);
        assert.equal(d.igmp?.type, type);
        assert.equal(d.igmp?.group, g);
        assert.equal(d.igmp?.maxRespTenths, maxResp);
        assert.equal(d.igmp?.checksumStatus, 'good');
        assert.deepEqual(d.problems, []);
      },
    ),
    { numRuns: 500 },
  );
});

test('round trip: v3 queries (codes, QRV, QQIC, S, sources) and reports (records, sources, aux data)', () => {
  fc.assert(
    fc.property(
      fc.record({
        code: fc.nat(255),
        qrv: fc.nat(7),
        qqic: fc.nat(255),
        s: fc.boolean(),
        g: group,
        sources: fc.array(address, { maxLength: 20 }),
      }),
      ({ code, qrv, qqic, s, g, sources }) => {
        const d = dissect(
          frameOf(
            igmpFrame(
              QUERIER,
              g,
              igmpV3Query({ maxRespCode: code, qrv, qqic, sFlag: s, group: g, sources }),
            ),
          ),
        );
        const m = d.igmp;
        assert.equal(m?.version, 3);
        assert.equal(m?.qrv, qrv);
        assert.equal(m?.qqic, qqic);
        assert.equal(m?.sFlag, s);
        assert.deepEqual(m?.sources, sources);
        assert.equal(m?.queryKind, sources.length ? 'group-and-source-specific' : 'group-specific');
        assert.equal(m?.checksumStatus, 'good');
        assert.deepEqual(d.problems, []);
      },
    ),
    { numRuns: 500 },
  );
  const record = fc.record({
    type: fc.integer({ min: 1, max: 6 }),
    group,
    sources: fc.array(address, { maxLength: 8 }),
    aux: fc.nat(3),
  });
  fc.assert(
    fc.property(fc.array(record, { maxLength: 10 }), (records) => {
      const built = records.map((r) => ({
        type: r.type,
        group: r.group,
        sources: r.sources,
        auxData: Buffer.alloc(4 * r.aux, 0xab),
      }));
      const d = dissect(frameOf(igmpFrame(HOST_A, '224.0.0.22', igmpV3Report({ records: built }))));
      assert.deepEqual(
        d.igmp?.records?.map((r) => ({
          type: r.type,
          group: r.group,
          sources: r.sources,
          aux: r.auxWords,
        })),
        records.map((r) => ({ type: r.type, group: r.group, sources: r.sources, aux: r.aux })),
      );
      assert.equal(d.igmp?.checksumStatus, 'good');
      assert.equal(d.igmp?.numRecords, records.length);
    }),
    { numRuns: 500 },
  );
});

test('mutated valid frames (bit flips, cuts, raised counts) give problems, never exceptions', () => {
  const valid = sampleFrames().map((f) => f.data);
  fc.assert(
    fc.property(
      fc.constantFrom(...valid),
      fc.array(fc.tuple(fc.nat(), fc.nat(7)), { maxLength: 6 }),
      fc.nat(),
      (frame, flips, cut) => {
        const mutated = Buffer.from(frame);
        for (const [at, bit] of flips) mutated[at % mutated.length] ^= 1 << bit;
        everyOutput(mutated, 1);
        everyOutput(
          Buffer.from(mutated.subarray(0, cut % (mutated.length + 1))),
          1,
          mutated.length,
        );
      },
    ),
    { numRuns: 3000 },
  );
});

test('every count field raised to its maximum: the overflow is reported, nothing else breaks', () => {
  const report = igmpFrame(
    HOST_A,
    '224.0.0.22',
    igmpV3Report({
      records: [{ type: 1, group: '232.1.1.1', sources: ['10.0.0.1'], auxData: Buffer.alloc(4) }],
    }),
  );
  const query = igmpFrame(
    QUERIER,
    '232.1.1.1',
    igmpV3Query({ group: '232.1.1.1', sources: ['10.0.0.1'] }),
  );
  const igmpAt = 14 + 24;
  const cases: [Buffer, number, number, string][] = [
    [report, igmpAt + 6, 2, 'igmp.num_grp_recs.overflow'],
    [report, igmpAt + 8 + 2, 2, 'igmp.num_src.overflow'],
    [report, igmpAt + 8 + 1, 1, 'igmp.aux_data_len.overflow'],
    [query, igmpAt + 10, 2, 'igmp.num_src.overflow'],
  ];
  for (const [frame, at, width, id] of cases) {
    const lying = Buffer.from(frame);
    lying.fill(0xff, at, at + width);
    const d = dissect(frameOf(lying));
    assert.ok(
      d.problems.some((p) => p.id === id),
      `${id}: ${d.problems.map((p) => p.id)}`,
    );
    everyOutput(lying, 1);
  }
});
