/**
 * Writes the captures our own builder makes into fixtures/: the bundled sample (every message
 * type the dissector decodes) and the encapsulations and defects the real captures lack.
 * `npm run fixtures` rewrites them; test/fixtures.test.ts fails if they drift from this script.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { builtFixtures } from '../test/built-fixtures.js';

mkdirSync('fixtures/fuzz', { recursive: true });
for (const [path, bytes] of builtFixtures()) {
  writeFileSync(path, bytes);
  console.log(`${path}: ${bytes.length} bytes`);
}
// gzip output depends on the zlib build, so the compressed copy is not compared byte for byte.
const sample = builtFixtures().get('fixtures/sample.pcap') as Buffer;
writeFileSync('fixtures/built/sample.pcap.gz', gzipSync(sample));
