import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The built module (npm test builds first): V8's heap is only seen afresh in a new process. */
const MODULE = fileURLToPath(new URL('../dist/commands/young-generation.js', import.meta.url));

/**
 * Allocates 1M small objects that each live through 50k allocations after them (so some
 * survive every scavenge, as frames in flight do), yielding now and then as the commands do
 * between chunks, and prints the young generation's size in MiB.
 */
const CHURN = `
import v8 from 'node:v8';
const { capYoungGeneration, MAIN_YOUNG_MIB } = await import(process.argv[1]);
if (process.argv[2] === 'cap') capYoungGeneration();
const ring = new Array(50_000);
let n = 0;
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 5_000; i++, n++) ring[n % ring.length] = { n, list: [n, n + 1] };
  await new Promise((resolve) => setImmediate(resolve));
}
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log(JSON.stringify({ mib: space.space_size / 1048576, cap: MAIN_YOUNG_MIB }));
`;

function youngGenerationAfterChurn(mode: 'cap' | 'grow'): { mib: number; cap: number } {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHURN, MODULE, mode], {
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { mib: number; cap: number };
}

// capYoungGeneration acts only on the V8 it was measured on (Node 20's): see its comment.
const V8_11 = process.versions.v8.startsWith('11.');

test(
  'capYoungGeneration holds the young generation at its cap where V8 would grow it',
  {
    skip: !V8_11 && `V8 ${process.versions.v8}: the cap is left to V8`,
  },
  () => {
    const grown = youngGenerationAfterChurn('grow');
    const capped = youngGenerationAfterChurn('cap');
    assert.ok(
      grown.mib > grown.cap,
      `without the cap it grows past ${grown.cap} MiB: ${grown.mib}`,
    );
    assert.ok(capped.mib <= capped.cap, `held at ${capped.cap} MiB: ${capped.mib}`);
    // It is held, not kept from growing at all: a 1 MiB young generation scavenges too often.
    assert.ok(capped.mib > 1, `grown past its first size: ${capped.mib}`);
  },
);
