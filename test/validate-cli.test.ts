import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  ethernet,
  igmpFrame,
  igmpRaw,
  igmpV2,
  ipv4,
  pcapFile,
  HOST_A,
} from '../src/builder/index.js';
import { assertGolden, igmpscope } from './cli-helpers.js';
import { CORPUS_DIR, corpusPath, needsCorpus } from './corpus.js';

const CLEAN = corpusPath('tcpdump/IGMP_V1.pcap'); // notes only (link-local groups)
const WARNINGS = corpusPath('tcpdump/IGMP_V2.pcap'); // queries without Router Alert: warnings
const ERRORS = 'fixtures/built/defects.pcap';
const CUT = 'fixtures/built/cut-short.pcap';

/** Runs validate with each --fail-on on each file and checks the exit status. */
function assertFailOn(matrix: [string, string, number][]): void {
  for (const [file, failOn, status] of matrix) {
    assert.equal(
      igmpscope(['validate', '--fail-on', failOn, file]).status,
      status,
      `${file} --fail-on ${failOn}`,
    );
  }
}

test('exit status by --fail-on: 1 when a finding at or above the level exists, else 0', () => {
  assertFailOn([
    [ERRORS, 'error', 1],
    [ERRORS, 'warning', 1],
    [ERRORS, 'note', 1],
    [ERRORS, 'never', 0],
  ]);
  assert.equal(igmpscope(['validate', ERRORS]).status, 1, 'default: --fail-on error');
});

test(
  'exit status by --fail-on on real captures with notes only and with warnings',
  needsCorpus,
  () => {
    assertFailOn([
      [CLEAN, 'error', 0],
      [CLEAN, 'warning', 0],
      [CLEAN, 'note', 1],
      [CLEAN, 'never', 0],
      [WARNINGS, 'error', 0],
      [WARNINGS, 'warning', 1],
      [WARNINGS, 'note', 1],
      [WARNINGS, 'never', 0],
    ]);
  },
);

test('exit 2 for input that cannot be read to its end, even with --fail-on never; other files still checked', () => {
  const run = igmpscope(['validate', '--fail-on', 'never', '--format', 'json', CUT, ERRORS]);
  assert.equal(run.status, 2);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const summaries = lines.filter((l) => l.type === 'summary');
  assert.equal(summaries.length, 2);
  assert.equal(summaries[0].file, CUT);
  assert.equal(summaries[0].cut.offset, 1002);
  assert.equal(summaries[0].verdict, 'fail');
  assert.equal(summaries[1].file, ERRORS);
  assert.equal(summaries[1].frames, 11);
});

test(
  'exit 2 for a file that is not there, even beside a real capture with notes only',
  needsCorpus,
  () => {
    assert.equal(igmpscope(['validate', 'fixtures/nope.pcap', CLEAN]).status, 2);
  },
);

test(
  'bad usage exits 2: unknown rule, bad setting, unknown --fail-on, broken config',
  needsCorpus,
  () => {
    assert.equal(igmpscope(['validate', '--rule', 'no.such.rule=off', CLEAN]).status, 2);
    assert.equal(igmpscope(['validate', '--rule', 'encap.ttl=loud', CLEAN]).status, 2);
    assert.equal(igmpscope(['validate', '--fail-on', 'sometimes', CLEAN]).status, 2);
    const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
    try {
      writeFileSync(join(dir, 'bad.json'), '{"rules": ');
      const run = igmpscope(['validate', '--config', join(dir, 'bad.json'), CLEAN]);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /config/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  '--rule and the config file change severities or turn rules off; the config is found in the working directory',
  needsCorpus,
  () => {
    assert.equal(
      igmpscope(['validate', '--fail-on', 'warning', '--rule', 'encap.router_alert=off', WARNINGS])
        .status,
      0,
    );
    assert.equal(igmpscope(['validate', '--rule', 'encap.router_alert=error', WARNINGS]).status, 1);
    const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
    try {
      const file = WARNINGS;
      writeFileSync(
        join(dir, '.igmpscope.json'),
        JSON.stringify({ rules: { 'encap.router_alert': 'error' } }),
      );
      const run = igmpscope(['validate', file], { cwd: dir, env: {} });
      assert.equal(run.status, 1, 'picked up from the working directory');
      writeFileSync(
        join(dir, 'quiet.json'),
        JSON.stringify({ rules: { 'encap.router_alert': 'off' }, failOn: 'warning' }),
      );
      assert.equal(
        igmpscope(['validate', '--config', join(dir, 'quiet.json'), file], { cwd: dir }).status,
        0,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('--format json: NDJSON findings with frame, rule, severity, layer, offset, message; then a summary', () => {
  const run = igmpscope(['validate', '--format', 'json', ERRORS]);
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const findings = lines.filter((l) => l.type === 'finding');
  assert.ok(findings.length >= 12);
  assert.deepEqual(Object.keys(findings[0]), [
    'type',
    'file',
    'frame.number',
    'rule',
    'severity',
    'layer',
    'offset',
    'message',
  ]);
  assert.deepEqual(findings[0], {
    type: 'finding',
    file: ERRORS,
    'frame.number': 1,
    rule: 'igmp.checksum.bad',
    severity: 'error',
    layer: 'igmp',
    offset: 40,
    message: findings[0].message,
  });
  const summary = lines[lines.length - 1];
  assert.deepEqual(summary, {
    type: 'summary',
    file: ERRORS,
    frames: 11,
    igmp_frames: 11,
    unfollowed: { frames: 0, by_key: {} },
    counts: { error: 8, warning: 4, note: 0 },
    verdict: 'fail',
  });
});

test('tunnels: a clean tunnelled capture passes with every frame checked; defects inside tunnels are found, and what could not be followed is counted in the verdict', () => {
  const clean = igmpscope(['validate', 'fixtures/built/tunnels.pcapng']);
  assert.equal(clean.status, 0);
  assert.match(
    clean.stdout,
    /PASS fixtures\/built\/tunnels\.pcapng: 0 errors, 0 warnings, 0 notes \(fail on: error\); 26 IGMP frames checked\n/,
  );
  const defects = igmpscope([
    'validate',
    '--format',
    'json',
    'fixtures/built/tunnel-defects.pcapng',
  ]);
  assert.equal(defects.status, 1);
  const lines = defects.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    lines
      .filter((l) => l.type === 'finding')
      .map((l) => `${String(l['frame.number'])} ${String(l.rule)}`),
    ['1 gre.checksum.bad', '2 udp.checksum.bad', '7 pppoes.length.bad', '9 encap.mac'],
  );
  // The GRE frame cut short is no finding (nothing says it carried IGMP), but it is not
  // followed, and says why.
  assert.deepEqual(lines[lines.length - 1].unfollowed, {
    frames: 4,
    by_key: { 'udp.port 8472': 1, 'ethertype 0x88b5': 1, 'ip.version 5': 1, 'gre.truncated': 1 },
  });
  const text = igmpscope(['validate', 'fixtures/built/tunnel-defects.pcapng']).stdout;
  assert.match(
    text,
    /; 5 IGMP frames checked; 4 frames not followed \(ethertype 0x88b5 ×1, gre\.truncated ×1, ip\.version 5 ×1, udp\.port 8472 ×1\)\n/,
  );
});

test('--format junit: well-formed XML for any bytes, a testcase per rule checked, a failure per rule fired at or above --fail-on', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
  try {
    // A file name and payload full of markup and control characters.
    const nasty = join(dir, 'a<b>&"c\u0001.pcap');
    const payload = igmpRaw(0x5a, Buffer.from('<]]>&\u0000\u001b', 'latin1'));
    writeFileSync(
      nasty,
      pcapFile({
        packets: [{ data: igmpFrame(HOST_A, '224.0.0.1', payload), tsSec: 1, tsFrac: 0 }],
      }),
    );
    const run = igmpscope([
      'validate',
      '--format',
      'junit',
      '--rule',
      'encap.ttl=off',
      nasty,
      ERRORS,
      CUT,
    ]);
    assert.equal(run.status, 2);
    assert.equal(XMLValidator.validate(run.stdout), true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      run.stdout,
    );
    const suites = xml.testsuites.testsuite;
    assert.equal(suites.length, 3);
    assert.equal(suites[0].name, nasty.replace('\u0001', '\\x01'));
    const cases = suites[1].testcase as { name: string; failure?: { type: string } }[];
    assert.ok(!cases.some((c) => c.name === 'encap.ttl'), 'rules turned off are not checked');
    assert.equal(cases.find((c) => c.name === 'igmp.checksum.bad')?.failure?.type, 'error');
    // 8 rules fired errors, 4 warnings: under the default --fail-on error only the 8 fail.
    assert.equal(cases.filter((c) => c.failure).length, 8);
    assert.equal(
      cases.filter((c) => (c as { 'system-out'?: string })['system-out'] !== undefined).length,
      4,
    );
    assert.ok(
      (suites[2].testcase as { name: string; error?: unknown }[]).some(
        (c) => c.name === 'capture.readable' && c.error,
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'text report of the real captures (golden): a table per file and a verdict line',
  needsCorpus,
  () => {
    const files = [
      'tcpdump/IGMP_V1.pcap',
      'tcpdump/IGMP_V2.pcap',
      'tcpdump/igmpv3-queries.pcap',
      'zeek/igmp-bad-checksum.pcap',
      'zeek/home-multicast-short.pcap',
      'tcpdump/relts-0x80000000.pcap',
      'tcpdump/hoobr_pimv1.pcap',
      'packetgen/igmpv3.pcapng',
    ];
    // Run in the corpus, so that the files are labelled by their paths there, wherever it is.
    const run = igmpscope(['validate', '--fail-on', 'never', ...files], { cwd: CORPUS_DIR });
    assert.equal(run.status, 0);
    assertGolden('validate-real.txt', run.stdout);
  },
);

test('text report of the sample (golden)', () => {
  const sample = igmpscope(['validate', 'fixtures/sample.pcap']);
  assert.equal(sample.status, 0);
  assertGolden('validate-sample.txt', sample.stdout);
});

test('stdin and several frames: validate reads - like dissect does', () => {
  const frames = [
    ethernet({
      src: HOST_A.mac,
      payload: ipv4({
        src: HOST_A.ip,
        dst: '239.1.1.1',
        ttl: 3,
        payload: igmpV2({ type: 0x16, group: '239.1.1.1' }),
      }),
    }),
  ];
  const bytes = pcapFile({ packets: frames.map((data, i) => ({ data, tsSec: i, tsFrac: 0 })) });
  const run = igmpscope(['validate', '--format', 'json', '-'], { input: bytes });
  assert.equal(run.status, 1);
  assert.equal(JSON.parse(run.stdout.split('\n')[0]).rule, 'encap.ttl');
});

test('igmpscope rules lists every rule with its default severity', () => {
  const run = igmpscope(['rules', '--json']);
  const rules = run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(rules.length >= 45);
  assert.deepEqual(rules.find((r) => r.id === 'encap.router_alert').severity, 'warning');
  assert.deepEqual(rules.find((r) => r.id === 'igmp.group.link_local').severity, 'note');
  assert.deepEqual(rules.find((r) => r.id === 'ip.checksum.zero').severity, 'warning');
  const table = igmpscope(['rules']);
  assert.match(table.stdout, /encap\.mac/);
  assert.match(table.stdout, /RFC 1112 §6\.4/);
  assert.match(table.stdout, /ip\.checksum\.zero/);
});

test(
  '--jobs 2 (worker threads) gives the same output, in file order, and the same exit status',
  needsCorpus,
  () => {
    const files = [ERRORS, CUT, WARNINGS, CLEAN, corpusPath('packetgen/igmpv3.pcapng')];
    for (const format of ['text', 'json', 'junit']) {
      const one = igmpscope(['validate', '--jobs', '1', '--format', format, ...files]);
      const two = igmpscope(['validate', '--jobs', '2', '--format', format, ...files]);
      assert.equal(two.status, one.status, format);
      assert.equal(two.stdout, one.stdout, format);
      assert.equal(two.stderr, one.stderr, format);
    }
    assert.equal(igmpscope(['validate', '--jobs', '2', ERRORS, CLEAN]).status, 1);
  },
);

/**
 * Checks each file with one thread and in segments of 300 bytes with two (a few records each,
 * so every file is cut into many, checked in both threads and put back together: tallies,
 * first frames, end-of-capture notes, a cut); the same output and status in each format.
 */
function assertSegmentsCheckedAsOne(cases: [string, string[]][]): void {
  const env = { IGMPSCOPE_SEGMENT_BYTES: '300' };
  for (const [file, formats] of cases) {
    for (const format of formats) {
      const one = igmpscope(['validate', '--jobs', '1', '--format', format, file]);
      const two = igmpscope(['validate', '--jobs', '2', '--format', format, file], { env });
      assert.equal(two.status, one.status, `${file} ${format}`);
      assert.equal(two.stdout, one.stdout, `${file} ${format}`);
      assert.equal(two.stderr, one.stderr, `${file} ${format}`);
    }
  }
}

test('--jobs 2 on one file (segments checked in worker threads): the same output and status', () => {
  // Every file in JSON (each finding line in order); the table and JUnit come from the same
  // tallies, so two files are enough for them.
  assertSegmentsCheckedAsOne([
    [ERRORS, ['json', 'text', 'junit']],
    [CUT, ['json', 'text']],
    ['fixtures/sample.pcap', ['json']],
    ['fixtures/fuzz/caplen-300k.pcap', ['json']],
  ]);
});

test(
  '--jobs 2 on one real capture (tcpdump IGMP_V2.pcap, warnings): the same output and status',
  needsCorpus,
  () => {
    assertSegmentsCheckedAsOne([[WARNINGS, ['json']]]);
  },
);

test('--format junit: notes and warnings below --fail-on are no <failure> when the run passes (issue 17)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
  try {
    // A leave sent to its group (a note, RFC 2236 §9) and a v2 report without Router Alert
    // (a warning): nothing at the default --fail-on error.
    const file = join(dir, 'notes.pcap');
    const leave = igmpFrame(HOST_A, '239.1.1.1', igmpV2({ type: 0x17, group: '239.1.1.1' }));
    const noAlert = igmpFrame(
      HOST_A,
      '239.1.1.1',
      igmpV2({ type: 0x16, group: '239.1.1.1' }),
      false,
    );
    writeFileSync(
      file,
      pcapFile({
        packets: [
          { data: noAlert, tsSec: 1, tsFrac: 0 },
          { data: leave, tsSec: 2, tsFrac: 0 },
        ],
      }),
    );
    const parse = (xml: string): { testsuite: Record<string, unknown> & { testcase: unknown[] } } =>
      new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites;
    const pass = igmpscope(['validate', '--format', 'junit', file]);
    assert.equal(pass.status, 0);
    assert.doesNotMatch(pass.stdout, /<failure/);
    const suite = parse(pass.stdout).testsuite;
    assert.equal(suite.failures, '0');
    const fired = suite.testcase.filter(
      (c) => typeof c === 'object' && c !== null && 'system-out' in c,
    ) as { name: string; 'system-out': string }[];
    assert.deepEqual(fired.map((c) => c.name).sort(), [
      'encap.dst.leave_to_group',
      'encap.router_alert',
    ]);
    assert.match(fired[0]['system-out'], /below --fail-on error: not a failure/);
    const strict = igmpscope(['validate', '--format', 'junit', '--fail-on', 'note', file]);
    assert.equal(strict.status, 1);
    assert.equal(parse(strict.stdout).testsuite.failures, '2');
    assert.equal((strict.stdout.match(/<failure type="(note|warning)"/g) ?? []).length, 2);
    const warnings = igmpscope(['validate', '--format', 'junit', '--fail-on', 'warning', file]);
    assert.equal(warnings.status, 1);
    assert.match(warnings.stdout, /<failure type="warning"/);
    assert.doesNotMatch(warnings.stdout, /<failure type="note"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('frames that carry no IGMP (a runt ARP, a runt IPv4 datagram) are no findings: --fail-on warning passes (issue 17)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
  try {
    const file = join(dir, 'runts.pcap');
    const report = igmpFrame(HOST_A, '239.1.1.1', igmpV2({ type: 0x16, group: '239.1.1.1' }));
    const runtArp = ethernet({
      dst: 'ff:ff:ff:ff:ff:ff',
      src: HOST_A.mac,
      etherType: 0x0806,
      payload: Buffer.alloc(6),
      padTo60: false,
    });
    const runtIp = ethernet({
      dst: '00:11:22:33:44:55',
      src: HOST_A.mac,
      payload: Buffer.from([0x45, 0x00, 0x00, 0x40, 0x00]),
      padTo60: false,
    });
    writeFileSync(
      file,
      pcapFile({
        packets: [report, runtArp, runtIp].map((data, i) => ({ data, tsSec: i, tsFrac: 0 })),
      }),
    );
    const run = igmpscope(['validate', '--fail-on', 'warning', '--format', 'json', file]);
    assert.equal(run.status, 0, run.stdout);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.filter((l) => l.type === 'finding'),
      [],
    );
    assert.deepEqual([lines[0].frames, lines[0].igmp_frames], [3, 1]);
    const junit = igmpscope(['validate', '--fail-on', 'warning', '--format', 'junit', file]);
    assert.equal(junit.status, 0);
    assert.doesNotMatch(junit.stdout, /<failure/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
