import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The built module (npm test builds first): V8's heap is only seen afresh in a new process. */
const MODULE = fileURLToPath(new URL('../dist/parallel/young-generation.js', import.meta.url));

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

// The cap and the hold act only on the V8 they were measured on (Node 20's): see their comments.
const V8_11 = process.versions.v8.startsWith('11.');
const skip = !V8_11 && `V8 ${process.versions.v8}: the young generations are left to V8`;

test(
  'capYoungGeneration holds the young generation at its cap where V8 would grow it',
  { skip },
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

const POOL = fileURLToPath(new URL('../dist/parallel/pool.js', import.meta.url));
const IN_ORDER = fileURLToPath(new URL('../dist/parallel/in-order.js', import.meta.url));

/**
 * A pool worker that churns until its young generation is at its maximum, then answers with
 * that size. `own` takes its data as a pool's worker does (and so takes part in the hold);
 * `bare` reads it without.
 */
const POOL_WORKER = `
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
const { poolWorkerData } = await import(${JSON.stringify(POOL)});
const { serveInTurn } = await import(${JSON.stringify(IN_ORDER)});
const mode = workerData.data;
if (mode === 'own') poolWorkerData();
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
serveInTurn(parentPort, async (atMax) => {
  const ring = new Array(50_000);
  for (let n = 0; newSpace() < atMax; ) {
    for (let i = 0; i < 5_000; i++, n++) ring[n % ring.length] = { n, list: [n, n + 1] };
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { result: newSpace(), transfer: [] };
});
`;

/**
 * Starts a pool of two workers held as the commands hold theirs, lets them grow to their
 * maximum, then churns here as CHURN does; prints the workers' and this thread's sizes in MiB.
 */
const POOL_MAIN = `
import v8 from 'node:v8';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const { WorkerPool } = await import(${JSON.stringify(POOL)});
const { WORKER_LIMITS, newSpaceAtMaximum } = await import(process.argv[2]);
const [, , , script, mode] = process.argv;
writeFileSync(script, ${JSON.stringify(POOL_WORKER)});
const pool = new WorkerPool(pathToFileURL(script), mode, 2, WORKER_LIMITS);
const atMax = newSpaceAtMaximum(WORKER_LIMITS.maxYoungGenerationSizeMb);
const workers = await Promise.all([pool.submit(atMax), pool.submit(atMax)]);
const ring = new Array(50_000);
let n = 0;
for (let round = 0; round < 200; round++) {
  for (let i = 0; i < 5_000; i++, n++) ring[n % ring.length] = { n, list: [n, n + 1] };
  await new Promise((resolve) => setImmediate(resolve));
}
await pool.close();
const main = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
console.log(JSON.stringify({ workers: workers.map((w) => w / 1048576), main: main / 1048576 }));
`;

function youngGenerationsWithPool(mode: 'own' | 'bare'): { workers: number[]; main: number } {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-young-'));
  try {
    // Files, not -e: a worker inherits --input-type, which node refuses for a file.
    const main = join(dir, 'main.mjs');
    writeFileSync(main, POOL_MAIN);
    const child = spawnSync(process.execPath, [main, MODULE, join(dir, 'worker.mjs'), mode], {
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout) as { workers: number[]; main: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  "a pool's workers, once grown, hold the main thread's young generation where it stands",
  { skip },
  () => {
    const bare = youngGenerationsWithPool('bare');
    const held = youngGenerationsWithPool('own');
    for (const sizes of [bare, held])
      assert.deepEqual(sizes.workers, [8, 8], 'each worker grew to its maximum');
    assert.ok(bare.main > 8, `without the hold this thread grows: ${bare.main} MiB`);
    assert.ok(held.main <= 4, `held where it stood before its churn: ${held.main} MiB`);
  },
);
