import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { TestOptions } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The real captures other projects wrote are kept for us in one shared folder, with their
 * provenance in its MANIFEST.md, and are never copied into this repository (issue 20): this is
 * the one place the tests find it. IGMPSCOPE_CAPTURES names the folder (relative to the working
 * directory); else it is `../shared/captures` beside the repository.
 */
const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS_DIR = process.env.IGMPSCOPE_CAPTURES
  ? resolve(process.env.IGMPSCOPE_CAPTURES)
  : resolve(REPOSITORY, '../shared/captures');

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export const corpusFound = isDirectory(CORPUS_DIR);

/** In CI the real-capture tests must run: a corpus that is missing there fails the run. */
export const corpusRequired = process.env.CI === 'true';

/** The one line that says why the real-capture tests did not run, and how to make them run. */
export const CORPUS_MISSING = `real-capture tests skipped: no corpus at ${CORPUS_DIR}; set IGMPSCOPE_CAPTURES to the folder that holds the shared captures (see fixtures/README.md)`;

/**
 * Options for a test that reads the corpus: skipped without it, except in CI. Its reason is
 * short; the line above, with the folder, is printed once, by the corpus test of
 * real-captures.test.ts.
 */
export const needsCorpus: TestOptions =
  corpusFound || corpusRequired ? {} : { skip: 'no real-capture corpus (IGMPSCOPE_CAPTURES)' };

/** A capture in the corpus, by its path there (`tcpdump/IGMP_V2.pcap`). */
export function corpusPath(path: string): string {
  return join(CORPUS_DIR, path);
}

/**
 * Every capture other projects wrote, by its path in the corpus, sorted. `crafted/` is left
 * out: its one file is ours (fixtures/scapy-igmp-sample.pcap), kept there for the reference notes.
 */
export function corpusCaptures(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(CORPUS_DIR, 'crafted')) walk(path);
      } else if (/\.pcap(ng)?(\.gz)?$/.test(entry.name)) {
        found.push(relative(CORPUS_DIR, path).split(sep).join('/'));
      }
    }
  };
  walk(CORPUS_DIR);
  return found.sort();
}

/**
 * The real captures the tests used first (copied into fixtures/ until issue 20): small, so the
 * tests that read every frame many ways (segments, both pcap readers, the schema) use these.
 */
export const FIRST_CAPTURES: readonly string[] = [
  'packetgen/igmpv3.pcapng',
  'tcpdump/IGMP_V1.pcap',
  'tcpdump/IGMP_V2.pcap',
  'tcpdump/PIM-SM_join_prune.pcap',
  'tcpdump/eapon1.pcap',
  'tcpdump/hoobr_pimv1.pcap',
  'tcpdump/igmpv3-queries.pcap',
  'tcpdump/mrinfo_query.pcap',
  'tcpdump/mtrace.pcap',
  'tcpdump/relts-0x80000000.pcap',
  'zeek/home-multicast-short.pcap',
  'zeek/igmp-bad-checksum.pcap',
  'zeek/igmp.pcap',
  'zeek/multicast-igmp-version-membership-query-and-report.pcap',
  'zeek/vxlan-encapsulated-igmp-v2.pcap',
];
