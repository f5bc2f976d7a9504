import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '../src/capture/frame.js';
import { readCapture } from '../src/capture/open.js';
import { test } from 'node:test';
import { assertGolden, igmpscope } from './cli-helpers.js';
import { corpusPath, needsCorpus } from './corpus.js';

const IGMP_V2 = corpusPath('tcpdump/IGMP_V2.pcap');

test('default summary of the bundled sample: every message type, exit 0 (golden)', () => {
  const run = igmpscope(['fixtures/sample.pcap']);
  assert.equal(run.status, 0);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout.trim().split('\n').length, 13);
  assertGolden('sample.summary.txt', run.stdout);
});

test('-V field trees and --json of the sample (golden)', () => {
  const tree = igmpscope(['-V', 'fixtures/sample.pcap']);
  assert.equal(tree.status, 0);
  assertGolden('sample.tree.txt', tree.stdout);
  const json = igmpscope(['--json', 'fixtures/sample.pcap']);
  assert.equal(json.status, 0);
  assertGolden('sample.ndjson', json.stdout);
});

test('defects are marked on their lines, and still exit 0 (malformed packets are findings)', () => {
  const run = igmpscope(['fixtures/built/defects.pcap']);
  assert.equal(run.status, 0);
  assertGolden('defects.summary.txt', run.stdout);
  const tree = igmpscope(['-V', 'fixtures/built/defects.pcap']);
  assertGolden('defects.tree.txt', tree.stdout);
});

test(
  'dissect FILE, -r FILE and FILE are the same; - and a pipe read standard input',
  needsCorpus,
  () => {
    const plain = igmpscope([IGMP_V2]).stdout;
    assert.equal(igmpscope(['dissect', IGMP_V2]).stdout, plain);
    assert.equal(igmpscope(['-r', IGMP_V2]).stdout, plain);
    const bytes = readFileSync(IGMP_V2);
    assert.equal(igmpscope(['-'], { input: bytes }).stdout, plain);
    assert.equal(igmpscope([], { input: bytes }).stdout, plain);
    const gz = readFileSync('fixtures/built/sample.pcap.gz');
    assert.equal(
      igmpscope(['-'], { input: gz }).stdout,
      igmpscope(['fixtures/sample.pcap']).stdout,
    );
  },
);

test('formats by magic number: pcapng with two interfaces, nanosecond big-endian pcap, gzip', () => {
  const ng = igmpscope(['--json', 'fixtures/built/two-interfaces.pcapng']);
  assert.equal(ng.status, 0);
  const frames = ng.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    frames.map((f) => f['frame.interface_id']),
    [0, 1, 0],
  );
  assert.deepEqual(
    frames.map((f) => f['frame.encap']),
    [1, 276, 1],
  );
  assert.deepEqual(
    frames.map((f) => f['frame.time_epoch']),
    ['1700000000.123456789', '1700000001.500000000', '1700000002.000000000'],
  );
  assert.equal(frames[1].sll['sll.ifindex'], 3);
  assert.equal(frames[2].vlan['vlan.id'], 42, 'one tag: an object, as tshark writes it');
  const ns = igmpscope(['--json', '-c', '1', 'fixtures/built/sample-ns-be.pcap']);
  assert.equal(JSON.parse(ns.stdout)['frame.time_epoch'], '1700000000.000000005');
  assert.equal(
    igmpscope(['fixtures/built/sample.pcap.gz']).stdout,
    igmpscope(['fixtures/sample.pcap']).stdout,
  );
});

test('-c N stops after N printed frames', () => {
  assert.equal(igmpscope(['-c', '2', 'fixtures/sample.pcap']).stdout.trim().split('\n').length, 2);
});

test('--all shows non-IGMP frames too (tcpdump eapon1.pcap)', needsCorpus, () => {
  const EAPON1 = corpusPath('tcpdump/eapon1.pcap');
  const eapon = igmpscope([EAPON1]);
  assert.deepEqual(
    eapon.stdout
      .trim()
      .split('\n')
      .map((l) => Number(l.trim().split(/\s+/)[0])),
    [44, 46],
  );
  const all = igmpscope(['--all', EAPON1]);
  assert.equal(all.stdout.trim().split('\n').length, 114);
  const allJson = igmpscope(['--all', '--json', '-c', '1', EAPON1]);
  assert.equal(JSON.parse(allJson.stdout)['frame.number'], 1);
});

test('a capture cut short: frames before it printed, one stderr line naming file and offset, exit 2', () => {
  const run = igmpscope(['fixtures/built/cut-short.pcap']);
  assert.equal(run.status, 2);
  assert.equal(run.stdout.trim().split('\n').length, 12);
  assert.match(
    run.stderr,
    /^igmpscope: "fixtures\/built\/cut-short\.pcap": .*cut short in the middle of a packet.*1002/,
  );
  assert.equal(run.stderr.trim().split('\n').length, 1);
});

test(
  'several files: each read, a bad one does not stop the others, exit status is the worst',
  needsCorpus,
  () => {
    const MTRACE = corpusPath('tcpdump/mtrace.pcap');
    const run = igmpscope(['--json', 'fixtures/built/cut-short.pcap', MTRACE]);
    assert.equal(run.status, 2);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 14);
    assert.equal(lines[12].file, MTRACE);
    assert.equal(lines[12]['frame.number'], 1);
    assert.equal(
      lines[12]['frame.time_relative'],
      0,
      "times count from each file's own first frame",
    );
  },
);

test(
  '--jobs 2 (worker threads): the same bytes, status and error lines as one thread, in every mode',
  needsCorpus,
  () => {
    // pcap files are cut into segments the workers read (of 300 bytes here, so into many);
    // the pcapng file is read here and handed over in batches.
    const files = [
      'fixtures/sample.pcap',
      'fixtures/built/two-interfaces.pcapng',
      'fixtures/built/cut-short.pcap',
      'fixtures/built/sample-ns-be.pcap',
      IGMP_V2,
    ];
    for (const mode of [[], ['--json'], ['-V'], ['--all'], ['--json', '--all']]) {
      const one = igmpscope(['--jobs', '1', ...mode, ...files]);
      const two = igmpscope(['--jobs', '2', ...mode, ...files], {
        env: { IGMPSCOPE_SEGMENT_BYTES: '300' },
      });
      assert.equal(two.stdout, one.stdout, `stdout of ${mode.join(' ')}`);
      assert.equal(two.stderr, one.stderr, `stderr of ${mode.join(' ')}`);
      assert.equal(two.status, 2, 'the cut file makes the run exit 2');
      assert.equal(one.status, 2);
    }
    assert.ok(igmpscope(['--jobs', '2', 'fixtures/sample.pcap']).stdout.length > 0);
    assert.equal(igmpscope(['--jobs', '0', 'fixtures/sample.pcap']).status, 2);
  },
);

test('bad usage and unreadable input exit 2 with a message', () => {
  const usage = igmpscope(['--no-such-option', 'fixtures/sample.pcap']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /Unknown argument/);
  const missing = igmpscope(['fixtures/does-not-exist.pcap']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /does-not-exist\.pcap/);
  const notCapture = igmpscope(['package.json']);
  assert.equal(notCapture.status, 2);
  assert.match(notCapture.stderr, /not a pcap or pcapng/);
  assert.equal(igmpscope(['-c', '0', 'fixtures/sample.pcap']).status, 2);
});

test('colour: never when piped or with NO_COLOR, on with --color or FORCE_COLOR, never in JSON', () => {
  const ESC = '\u001b[';
  assert.ok(!igmpscope(['fixtures/built/defects.pcap']).stdout.includes(ESC));
  assert.ok(igmpscope(['--color', 'fixtures/built/defects.pcap']).stdout.includes(ESC));
  assert.ok(
    igmpscope(['fixtures/built/defects.pcap'], { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC),
  );
  assert.ok(
    !igmpscope(['fixtures/built/defects.pcap'], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    }).stdout.includes(ESC),
  );
  assert.ok(
    !igmpscope(['--no-color', 'fixtures/built/defects.pcap'], {
      env: { FORCE_COLOR: '1' },
    }).stdout.includes(ESC),
  );
  assert.ok(!igmpscope(['--json', '--color', 'fixtures/built/defects.pcap']).stdout.includes(ESC));
});

/** No control byte but the newline in what every output mode prints for `files`. */
function assertNoControlBytes(files: string[]): void {
  for (const args of [['-V', '--all'], ['--all'], ['--json']]) {
    const run = igmpscope([...args, ...files]);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, args.join(' '));
  }
}

test(
  'terminal safety of a fuzzed real capture (tcpdump hoobr_pimv1.pcap, all bytes 0x30)',
  needsCorpus,
  () => {
    assertNoControlBytes([corpusPath('tcpdump/hoobr_pimv1.pcap')]);
  },
);

test('terminal safety: no control byte from a packet or a file name reaches the terminal', () => {
  assertNoControlBytes(['fixtures/built/defects.pcap']);
  const hostile = igmpscope(['fixtures/\u001b[31mred\u0007.pcap']);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(hostile.stderr, /[\u0000-\u0009\u000b-\u001f]/);
  assert.match(hostile.stderr, /\\x1b\[31mred\\x07/);
});

test('a reader that goes away (| head -1) ends the process quietly with status 0', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { writePcapStream, benchPackets } = await import('../src/builder/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-'));
  try {
    const file = join(dir, 'big.pcap');
    writePcapStream(file, benchPackets(60000));
    for (const mode of ['--json', '-V', '', '--jobs 2 --json', '--jobs 2']) {
      const run = spawnSync(
        'bash',
        [
          '-c',
          `node bin/igmpscope.js ${mode} ${file} | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(run.stdout.trim(), '0', `${mode}: ${run.stderr}`);
      assert.equal(run.stderr, '', mode);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Each file read from standard input gives what reading it by name gives. */
function assertStdinSameAsFile(files: string[]): void {
  for (const file of files) {
    const direct = igmpscope(['--json', file]);
    const piped = igmpscope(['--json', '-'], { input: readFileSync(file) });
    assert.equal(piped.status, 0, file);
    assert.equal(piped.stdout, direct.stdout, file);
  }
}

test('standard input works for every format: pcap, ns big-endian pcap, pcapng, gzip', () => {
  assertStdinSameAsFile([
    'fixtures/built/sample-ns-be.pcap',
    'fixtures/built/two-interfaces.pcapng',
    'fixtures/built/sample.pcap.gz',
  ]);
});

test('standard input works for a real pcapng file (packetgen igmpv3.pcapng)', needsCorpus, () => {
  assertStdinSameAsFile([corpusPath('packetgen/igmpv3.pcapng')]);
});

test('--decode-as (tshark -d) adds a table entry, in this thread and in workers; a bad one is one usage line', () => {
  const file = 'fixtures/built/tunnel-defects.pcapng';
  const plain = igmpscope(['-a', file]).stdout.split('\n')[3];
  assert.match(plain, /UDP +96 49152 → 8472 Len=54$/);
  for (const jobs of ['1', '2']) {
    const run = igmpscope(['--json', '--jobs', jobs, '-d', 'udp.port==8472,vxlan', file]);
    const frame = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((f) => f['frame.number'] === 4);
    assert.equal(
      frame?.['frame.protocols'],
      'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:igmp:igmp',
    );
  }
  const validate = igmpscope(['validate', '-d', 'udp.port==8470-8480,vxlan', file]);
  assert.match(validate.stdout, /6 IGMP frames checked; 3 frames not followed/);
  const bad = igmpscope(['-d', 'udp.port==8472,vxlanx', file]);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr.split('\n').filter(Boolean).length, 1);
  assert.match(
    bad.stderr,
    /^igmpscope: --decode-as "udp\.port==8472,vxlanx": no protocol "vxlanx" \(protocols: .*vxlan.*\) \(try `igmpscope --help`\)\n$/,
  );
  assert.match(igmpscope(['-d', 'tcp.port==80,vxlan', file]).stderr, /no table "tcp\.port"/);
  assert.match(igmpscope(['-d', 'udp.port==9-1,vxlan', file]).stderr, /not a key or range/);
});

test('tshark habits: -x dumps as tshark does (golden from tshark -x), -P -x and -V -x add it after, -t formats, -q prints no frame, -n is accepted', () => {
  assert.equal(
    igmpscope(['-x', '-n', 'fixtures/sample.pcap']).stdout,
    readFileSync('test/golden/sample.tshark-x.txt', 'utf8'),
  );
  const withSummary = igmpscope(['-P', '-x', '-c', '1', 'fixtures/sample.pcap']).stdout.split('\n');
  assert.match(withSummary[0], /^ {4}1 +0\.000000 +192\.168\.1\.1 → 224\.0\.0\.1 /);
  assert.equal(withSummary[1], '');
  assert.match(withSummary[2], /^0000 {2}01 00 5e 00 00 01 /);
  const tree = igmpscope(['-V', '-x', '-c', '1', 'fixtures/sample.pcap']).stdout;
  assert.match(tree, /Multicast Address: 0\.0\.0\.0\n.*\n\n0000 {2}01 00 5e/s);
  const times = (format: string): string[] =>
    igmpscope(['-t', format, 'fixtures/built/tunnel-defects.pcapng'])
      .stdout.trimEnd()
      .split('\n')
      .map((line) => {
        const m = /^ *(\d+) +(.*?) +\d+\.\d+\.\d+\.\d+ → /.exec(line);
        return m ? `${m[1]} ${m[2]}` : line;
      });
  // tshark -t d / -t dd -Y igmp on the same capture: frames 4–6 and 8 are not shown here.
  assert.deepEqual(times('d'), [
    '1 0.000000',
    '2 1.000000',
    '3 1.000000',
    '7 1.000000',
    '9 1.000000',
  ]);
  assert.deepEqual(times('dd'), [
    '1 0.000000',
    '2 1.000000',
    '3 1.000000',
    '7 4.000000',
    '9 2.000000',
  ]);
  assert.deepEqual(times('e').slice(0, 2), ['1 1700000000.000000', '2 1700000001.000000']);
  assert.deepEqual(times('ud').slice(0, 1), ['1 2023-11-14 22:13:20.000000']);
  assert.deepEqual(times('udoy').slice(0, 1), ['1 2023/318 22:13:20.000000']);
  assert.deepEqual(times('u').slice(0, 1), ['1 22:13:20.000000']);
  const quiet = igmpscope(['-q', 'fixtures/sample.pcap']);
  assert.equal(quiet.status, 0);
  assert.equal(quiet.stdout, '');
  assert.match(
    igmpscope(['-t', 'x', 'fixtures/sample.pcap']).stderr,
    /^igmpscope: Invalid values: Argument: t, Given: "x", Choices: .* \(try `igmpscope --help`\)\n$/,
  );
});

test('-w writes the frames shown to pcapng (interfaces and timestamps kept) or, with -F pcap, to pcap; nothing printed unless -P', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-w-'));
  try {
    const readAll = async (path: string): Promise<Frame[]> => {
      const frames: Frame[] = [];
      for await (const batch of readCapture(path)) frames.push(...batch);
      return frames;
    };
    const source = 'fixtures/built/two-interfaces.pcapng';
    const original = await readAll(source);
    const ng = join(dir, 'out.pcapng');
    const run = igmpscope(['-w', ng, source]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, '');
    const written = await readAll(ng);
    assert.deepEqual(
      written.map((f) => [
        f.linkType,
        f.tsSec,
        f.tsFrac,
        f.tsDigits,
        f.origLen,
        f.data.toString('hex'),
      ]),
      original.map((f) => [
        f.linkType,
        f.tsSec,
        f.tsFrac,
        f.tsDigits,
        f.origLen,
        f.data.toString('hex'),
      ]),
    );
    // Only the IGMP frames of a mixed capture, unless --all; -P prints them as well.
    const mixed = 'fixtures/built/tunnel-defects.pcapng';
    const pcap = join(dir, 'igmp.pcap');
    const printed = igmpscope(['-w', pcap, '-F', 'pcap', '-P', mixed]);
    assert.equal(printed.stdout.trimEnd().split('\n').length, 5);
    const igmp = await readAll(pcap);
    assert.deepEqual(
      igmp.map((f) => f.number),
      [1, 2, 3, 4, 5],
      'renumbered in the new file',
    );
    const all = await readAll(mixed);
    assert.deepEqual(
      igmp.map((f) => f.data.toString('hex')),
      [0, 1, 2, 6, 8].map((i) => all[i].data.toString('hex')),
    );
    assert.equal(
      igmpscope([
        '-w',
        join(dir, 'mixed.pcap'),
        '-F',
        'pcap',
        '--all',
        'fixtures/built/tunnels.pcapng',
      ]).status,
      2,
      'classic pcap holds one link type: the 802.11 frames are refused',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage: a tshark option igmpscope lacks is named as such, an unknown one in one line; completion scripts for bash and zsh', () => {
  const live = igmpscope(['-i', 'eth0']);
  assert.equal(live.status, 2);
  assert.equal(live.stdout, '');
  assert.match(
    live.stderr,
    /^igmpscope: -i is a tshark option igmpscope does not have: it captures live; .* \(try `igmpscope --help`\)\n$/,
  );
  assert.match(igmpscope(['-R', 'igmp', 'x.pcap']).stderr, /-R is a tshark option .*use -Y/);
  const unknown = igmpscope(['--frobnicate', 'fixtures/sample.pcap']);
  assert.equal(unknown.status, 2);
  assert.equal(
    unknown.stderr,
    'igmpscope: Unknown argument: frobnicate (try `igmpscope --help`)\n',
  );
  const bash = igmpscope(['completion']);
  assert.equal(bash.status, 0);
  assert.match(bash.stdout, /igmpscope --get-yargs-completions/);
  assert.match(
    bash.stdout,
    /complete -o bashdefault -o default -F _igmpscope_yargs_completions igmpscope/,
  );
  const zsh = igmpscope(['completion'], { env: { ...process.env, SHELL: '/bin/zsh' } });
  assert.match(zsh.stdout, /compdef _igmpscope_yargs_completions igmpscope/);
  const words = igmpscope(['--get-yargs-completions', 'igmpscope', 'val']).stdout.split('\n');
  assert.ok(words.includes('validate') && words.includes('membership'));
});
