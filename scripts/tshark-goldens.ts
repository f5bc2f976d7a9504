/**
 * Writes the tshark goldens the field-value tests compare with (test/golden/*.tshark.tsv):
 * `tshark -T fields` over a built capture, every field igmpscope declares that tshark knows,
 * all occurrences, with every checksum check on. Needs tshark (4.0); the tests do not. Check
 * a new or changed golden by hand before committing it.
 *
 *   node --import tsx scripts/tshark-goldens.ts fixtures/built/tunnels.pcapng …
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { tsharkFieldNames } from '../test/tshark-fields.js';

const known = new Set(
  execFileSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .map((line) => line.split('\t')[2])
    .filter(Boolean),
);
const fields = tsharkFieldNames().filter((name) => known.has(name));
const CHECKS = ['ip.check_checksum:TRUE', 'udp.check_checksum:TRUE', 'wlan.check_checksum:TRUE'];

for (const capture of process.argv.slice(2)) {
  const args = ['-n', '-r', capture, '-T', 'fields', '-E', 'header=y', '-E', 'occurrence=a'];
  for (const check of CHECKS) args.push('-o', check);
  for (const field of ['frame.protocols', '_ws.col.Protocol', '_ws.col.Info', ...fields])
    args.push('-e', field);
  const tsv = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const out = `test/golden/${basename(capture).replace(/\.pcap(ng)?$/, '')}.tshark.tsv`;
  writeFileSync(out, tsv);
  console.error(`${out}: ${tsv.split('\n').length - 2} frames, ${fields.length} fields`);
}
