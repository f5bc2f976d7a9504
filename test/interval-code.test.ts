import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readIntervalCode } from '../src/analysis/checks.js';
import { CaptureValidator, type Finding } from '../src/analysis/validate.js';
import {
  encodeExpCode,
  igmpFrame,
  igmpV3Query,
  pcapFile,
  QUERIER,
  type Station,
} from '../src/builder/index.js';
import { dissect } from '../src/dissect.js';
import { igmpscope } from './cli-helpers.js';
import { frameOf } from './helpers.js';

/**
 * The Linux bridge (kernel 6.18) with a 200 s query interval and a 20 s response interval
 * writes QQIC 200 and Max Resp Code 200 as plain numbers; RFC 3376 §4.1.7 and §4.1.1 read
 * them as 3072 s and 307.2 s (issue 17).
 */
const bridgeQuery = (from: Station = QUERIER): Buffer =>
  igmpFrame(from, '224.0.0.1', igmpV3Query({ qqic: 200, maxRespCode: 200 }));

/** [seconds, frame] → the validator's findings, as `validate` checks a capture. */
function findings(frames: [number, Buffer][]): Finding[] {
  const out: Finding[] = [];
  const v = new CaptureValidator(new Map(), (f) => out.push(f));
  frames.forEach(([t, data], i) =>
    v.frame(dissect(frameOf(data, { number: i + 1, tsSec: 1_700_000_000 + t }), { detail: false })),
  );
  v.finish();
  return out;
}

test('readIntervalCode: below 128 both readings agree; from 128 on the querier’s intervals decide', () => {
  assert.equal(readIntervalCode('qqic', 125, 125), undefined);
  const first = readIntervalCode('qqic', 200, undefined);
  assert.equal(first?.reading, 'rfc', 'no interval seen yet: the RFC reading');
  assert.equal(first?.seconds, 3072);
  const qqic = readIntervalCode('qqic', 200, 200);
  assert.deepEqual(
    [qqic?.reading, qqic?.seconds, qqic?.rfcSeconds, qqic?.implausible],
    ['plain', 200, 3072, true],
  );
  const mrc = readIntervalCode('max_resp_code', 200, 200);
  assert.deepEqual(
    [mrc?.reading, mrc?.seconds, mrc?.rfcSeconds, mrc?.implausible],
    ['plain', 20, 307.2, true],
  );
  // A QQIC written in floating point as the RFC says: 0x93 = 304 s, queries 304 s apart.
  const float = readIntervalCode('qqic', encodeExpCode(304), 304);
  assert.deepEqual([float?.reading, float?.implausible], ['rfc', false]);
  // Startup queries come at a quarter of the interval (RFC 3376 §8.6): still the RFC reading.
  assert.equal(readIntervalCode('qqic', encodeExpCode(304), 76)?.implausible, false);
  // A Max Resp Code whose RFC reading is shorter than the interval is taken as the RFC says.
  assert.equal(readIntervalCode('max_resp_code', 130, 200)?.reading, 'rfc');
});

test('validate: the bridge’s plain-number QQIC and Max Resp Code are warnings once its intervals are seen', () => {
  const found = findings([
    [0, bridgeQuery()],
    [200, bridgeQuery()],
    [400, bridgeQuery()],
  ]).filter((f) => f.rule === 'igmp.query.interval_code');
  assert.equal(found.length, 6, 'QQIC and Max Resp Code of each of the three queries');
  assert.deepEqual(
    found.map((f) => [f.frame, f.severity, f.offset]),
    [
      [1, 'warning', 47],
      [1, 'warning', 39],
      [2, 'warning', 47],
      [2, 'warning', 39],
      [3, 'warning', 47],
      [3, 'warning', 39],
    ],
  );
  assert.match(
    found[0].message,
    /QQIC 200 reads as 3072 s .* 200 s apart: the plain number, 200 s, fits them/,
  );
  assert.match(found[1].message, /Max Resp Code 200 reads as 307\.2 s/);
});

test('validate: no warning for codes the RFC reading fits, for one query alone, nor across queriers', () => {
  const rfc = igmpFrame(QUERIER, '224.0.0.1', igmpV3Query({ qqic: encodeExpCode(304) }));
  assert.deepEqual(
    findings([
      [0, rfc],
      [304, rfc],
      [608, rfc],
    ]).filter((f) => f.rule === 'igmp.query.interval_code'),
    [],
  );
  assert.deepEqual(findings([[0, bridgeQuery()]]), [], 'one query shows no interval');
  const other: Station = { ip: '192.168.1.2', mac: '00:11:22:33:44:66' };
  assert.deepEqual(
    findings([
      [0, bridgeQuery()],
      [200, bridgeQuery(other)],
    ]),
    [],
    "another querier's queries are not this querier's intervals",
  );
});

test('validate CLI: the same warnings in one thread and in segments checked by two (intervals across segments)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
  try {
    const file = join(dir, 'bridge.pcap');
    const packets = [0, 50, 100, 300, 500, 700].map((t) => ({
      data: bridgeQuery(),
      tsSec: 1_700_000_000 + t,
      tsFrac: 0,
    }));
    writeFileSync(file, pcapFile({ packets }));
    const one = igmpscope(['validate', '--format', 'json', file]);
    assert.equal(one.status, 0, 'warnings pass under the default --fail-on error');
    const lines = one.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; rule?: string });
    assert.equal(lines.filter((l) => l.rule === 'igmp.query.interval_code').length, 12);
    const two = igmpscope(['validate', '--jobs', '2', '--format', 'json', file], {
      env: { IGMPSCOPE_SEGMENT_BYTES: '150' },
    });
    assert.equal(two.stdout, one.stdout);
    assert.equal(igmpscope(['validate', '--fail-on', 'warning', file]).status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
