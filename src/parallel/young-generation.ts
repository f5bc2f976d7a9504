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
 * they run in one thread (with workers, see holdWhenWorkersGrown). And only on the V8 this was
 * measured on (11, Node 20): V8 writes an error to stderr for a flag it does not know, and
 * another version may grow its young generation differently; there this does nothing, and
 * memory is V8's own affair.
 */
export function capYoungGeneration(mib = MAIN_YOUNG_MIB): void {
  const limit = mib * 1024 * 1024;
  if (!onMeasuredV8()) return;
  whenNewSpaceReaches(limit, () => v8.setFlagsFromString(HOLD_FLAG));
}

/**
 * Caps this thread's young generation when a command runs in it alone (`jobs` 1). With
 * workers it is held by them instead (holdWhenWorkersGrown): a factor set here would stop
 * their growth too.
 */
export function capYoungGenerationAlone(jobs: number): void {
  if (jobs === 1) capYoungGeneration();
}

/**
 * What a pool's workers share to hold the main thread's young generation (see
 * holdWhenWorkersGrown): how many of them have grown their own to its maximum.
 */
export interface YoungGenerationHold {
  grown: Int32Array;
  workers: number;
  /** `new_space` at the workers' maximum, in bytes. */
  newSpaceAtMax: number;
}

/**
 * `new_space`, in bytes, of a young generation at its maximum of `youngMib` MiB. V8 11 makes a
 * young generation of three semi-spaces' worth: the two semi-spaces it reports as `new_space`,
 * and a large-object space of one more.
 */
export function newSpaceAtMaximum(youngMib: number): number {
  return ((youngMib * 2) / 3) * 1024 * 1024;
}

/**
 * Made by a pool of `workers` threads whose young generation is held to `youngMib`
 * (`resourceLimits.maxYoungGenerationSizeMb`), for them to share; undefined where nothing is
 * held (another V8, or no limit).
 */
export function youngGenerationHold(
  workers: number,
  youngMib: number | undefined,
): YoungGenerationHold | undefined {
  if (!onMeasuredV8() || youngMib === undefined) return undefined;
  const grown = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  return { grown, workers, newSpaceAtMax: newSpaceAtMaximum(youngMib) };
}

/**
 * In a pool's worker: once its young generation has reached its maximum, counts it in `hold`,
 * and the last of the pool's workers to get there sets the growth factor to 1, so that the main
 * thread's young generation stays where it stands. With workers, the main thread only plans,
 * hands out and writes; still, the survivors of loading the program add up, and at its first
 * scavenge after start-up (about 1.4 s into a run) V8 doubled its young generation from 4 to
 * 8 MiB, which 200k frames never reached and 2M frames did. Held (4 runs, interleaved): -V on
 * two threads 121–122 → 117–119 MiB on 2M frames, --json 118–120 → 113–117 MiB, as fast;
 * 114–117 and 109–112 MiB on 200k either way. The main thread cannot set the factor itself:
 * V8 puts it back to 2 each time it makes an isolate, so a worker starting later undoes it,
 * and a factor of 1 set before the workers have grown would hold them small. Nor can a worker
 * start at its maximum (`--min-semi-space-size`): then some runs promoted several times as
 * much to their old generation, collected it ten times as often and peaked at 135–145 MiB.
 */
export function holdWhenWorkersGrown(hold: YoungGenerationHold | undefined): void {
  if (!hold) return;
  whenNewSpaceReaches(hold.newSpaceAtMax, () => {
    if (Atomics.add(hold.grown, 0, 1) === hold.workers - 1) v8.setFlagsFromString(HOLD_FLAG);
  });
}

const HOLD_FLAG = '--semi-space-growth-factor=1';

function onMeasuredV8(): boolean {
  return process.versions.v8.startsWith('11.') && newSpaceSize() !== undefined;
}

/** Calls `then` once, after the first garbage collection that leaves new_space at `limit` or more. */
function whenNewSpaceReaches(limit: number, then: () => void): void {
  const observer = new PerformanceObserver(() => {
    if ((newSpaceSize() ?? limit) < limit) return;
    observer.disconnect();
    then();
  });
  observer.observe({ entryTypes: ['gc'] });
}

function newSpaceSize(): number | undefined {
  return v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size;
}
