/**
 * npm run bench: generates a capture of BENCH_FRAMES (default 1M) IGMP frames with the
 * project's builder, then times every output mode and a bare read of the file, and — where
 * tcpdump and tshark are installed — the anchors on the same file in the same run.
 * Peak RSS comes from GNU time (/usr/bin/time) when it is installed.
 *
 *   BENCH_FRAMES=2000000 npm run bench     a bigger file
 *   BENCH_SKIP_TREE=1 npm run bench        skip -V (the slowest mode)
 *   BENCH_RSS_CURVE=1 npm run bench        also summary/--json at 200k and 2M frames (flat memory)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import Table from 'cli-table3';
import { benchPackets, writePcapStream } from '../src/builder/index.js';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 1_000_000);
const TSHARK_FRAMES = Number(process.env.BENCH_TSHARK_FRAMES ?? 100_000);
const OUT = 'bench-out';
const GNU_TIME = '/usr/bin/time';

interface Measure {
  label: string;
  frames: number;
  seconds: number;
  rssKiB: number | undefined;
}

function makeCapture(frames: number): string {
  mkdirSync(OUT, { recursive: true });
  const path = `${OUT}/bench-${frames}.pcap`;
  if (!existsSync(path)) {
    const started = Date.now();
    writePcapStream(path, benchPackets(frames));
    console.error(`generated ${path} (${statSync(path).size} bytes) in ${Date.now() - started} ms`);
  }
  return path;
}

function have(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Runs a command with stdout to /dev/null; wall time and peak RSS. */
function run(label: string, frames: number, command: string[]): Measure {
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
  return { label, frames, seconds, rssKiB: rss ? Number(rss[1]) : undefined };
}

const BARE_READ = `
import { readCapture } from './dist/capture/open.js';
let frames = 0;
for await (const batch of readCapture(process.argv[1])) frames += batch.length;
if (frames !== Number(process.argv[2])) throw new Error('read ' + frames + ' frames');
`;

function ours(file: string, frames: number, skipTree: boolean): Measure[] {
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
    run('igmpscope (summary)', frames, [...cli, file]),
    run('igmpscope --json', frames, [...cli, '--json', file]),
    run('igmpscope validate', frames, [...cli, 'validate', file]),
    run('igmpscope membership', frames, [...cli, 'membership', file]),
  ];
  if (!skipTree) results.push(run('igmpscope -V', frames, [...cli, '-V', file]));
  return results;
}

function anchors(file: string, frames: number): Measure[] {
  const results: Measure[] = [];
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
  const all = [
    ...ours(file, FRAMES, process.env.BENCH_SKIP_TREE === '1'),
    ...anchors(file, FRAMES),
  ];
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
    head: ['ratio', 'measured', 'target (issue 2)'],
    style: { head: [], border: [] },
  });
  ratios.push(
    ['summary / tcpdump -n', ratio(all, 'igmpscope (summary)', 'tcpdump -n'), '≥ 1.0×'],
    ['--json / tcpdump -n -v', ratio(all, 'igmpscope --json', 'tcpdump -n -v'), '≥ 0.9×'],
    ['--json / tshark -T json', ratio(all, 'igmpscope --json', 'tshark -T json'), '≥ 20×'],
    ['summary / tshark', ratio(all, 'igmpscope (summary)', 'tshark ('.slice(0, 6)), '—'],
    ['-V / tshark -V', ratio(all, 'igmpscope -V', 'tshark -V'), '—'],
    ['summary / bare read', ratio(all, 'igmpscope (summary)', 'bare read'), '—'],
    ['validate / bare read', ratio(all, 'igmpscope validate', 'bare read'), '≥ 0.7× (issue 3)'],
  );
  console.log(ratios.toString());
  if (process.env.BENCH_RSS_CURVE === '1') {
    const curve = new Table({
      head: ['frames', 'summary RSS (MiB)', '--json RSS (MiB)'],
      style: { head: [], border: [] },
    });
    for (const n of [200_000, 2_000_000]) {
      const f = makeCapture(n);
      const s = run('summary', n, ['node', 'bin/igmpscope.js', f]);
      const j = run('json', n, ['node', 'bin/igmpscope.js', '--json', f]);
      curve.push([
        fmt(n),
        ((s.rssKiB ?? 0) / 1024).toFixed(0),
        ((j.rssKiB ?? 0) / 1024).toFixed(0),
      ]);
    }
    console.log(curve.toString());
  }
}

main();
