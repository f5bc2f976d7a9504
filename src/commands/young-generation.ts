import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/**
 * Young generation of this (the main) thread, in MiB, as the two semi-spaces V8 reports as
 * `new_space`. V8 starts it at 1 MiB and doubles it each time as much as it holds has
 * survived scavenges since the last doubling, up to 32 MiB on 64-bit Node 20. Survivors add
 * up on any long run, so the young generation reached 32 MiB on 2M frames and not yet on
 * 200k: peak RSS of the summary grew from 76 to 92 MiB with the capture. At 8 MiB (what
 * `node --max-semi-space-size=4` gives) the summary peaks at 70 MiB on both, as fast, and so
 * do `--jobs 1 --json` and `validate` (90 → 70 MiB on 1M frames). `membership` gets
 * MEMBERSHIP_YOUNG_MIB.
 */
export const MAIN_YOUNG_MIB = 8;

/**
 * `membership`'s young generation: its tables live as long as the replay, and at 8 MiB more of
 * what it allocates around them was promoted (1M frames: 3.02–3.13 s against 2.55–2.95 s
 * grown to 32 MiB). At 16 MiB it is as fast (2.73–2.88 s against 2.70–2.97 s) and peaks at
 * 88–93 MiB instead of 94–114 MiB.
 */
export const MEMBERSHIP_YOUNG_MIB = 16;

/**
 * Young generation of every worker thread, in MiB (`resourceLimits.maxYoungGenerationSizeMb`,
 * fixed when the worker starts). Under -V a formatting worker's would grow to 32 MiB too.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 12 } as const;

/**
 * Stops the main thread's young generation growing once it has reached `mib` MiB (see
 * MAIN_YOUNG_MIB). Its maximum is fixed when the isolate is made, from node's command line
 * (a worker's comes from `resourceLimits`), and an executable run as `node bin/igmpscope.js`
 * or through npm's shims on every platform cannot carry V8 flags. The factor it grows by is
 * read at each growth, though: after every garbage collection this looks at the size, and at
 * `mib` or more sets the factor to 1 and stops looking. Growth is slow (several scavenges'
 * worth of survivors at each size), so the look after a collection comes well before the next.
 * The factor is the process's: once set, a worker's young generation stops growing too, where
 * it stands (its maximum comes from `resourceLimits`), so the commands call this only when
 * they run in one thread. And only on the V8 this was measured on (11, Node 20): V8 writes an
 * error to stderr for a flag it does not know, and another version may grow its young
 * generation differently; there this does nothing, and memory is V8's own affair.
 */
export function capYoungGeneration(mib = MAIN_YOUNG_MIB): void {
  const limit = mib * 1024 * 1024;
  if (!process.versions.v8.startsWith('11.') || newSpaceSize() === undefined) return;
  const observer = new PerformanceObserver(() => {
    if ((newSpaceSize() ?? limit) < limit) return;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}

function newSpaceSize(): number | undefined {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size;
}
