import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { test } from 'node:test';
import { builtFixtures } from './built-fixtures.js';

test('the committed built fixtures are what the builder makes (npm run fixtures rewrites them)', () => {
  for (const [path, bytes] of builtFixtures()) {
    assert.ok(readFileSync(path).equals(bytes), `${path} drifted from scripts/make-fixtures.ts`);
  }
  const gz = gunzipSync(readFileSync('fixtures/built/sample.pcap.gz'));
  assert.ok(gz.equals(readFileSync('fixtures/sample.pcap')));
});
