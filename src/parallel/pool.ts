import { Worker, workerData, type ResourceLimits } from 'node:worker_threads';

interface Waiting<R> {
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
  /** Index of the worker that has the task. */
  worker: number;
}

/** What a pool worker posts back: the answer to one task, by its id. */
export interface PoolReply<R> {
  id: number;
  result: R;
}

/**
 * Young generation of every worker thread, in MiB (`resourceLimits.maxYoungGenerationSizeMb`,
 * a documented limit fixed when the worker starts): left to V8, a worker formatting -V grows
 * its own to 32 MiB, for no gain in speed.
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 12 } as const;

/** In a pool's worker script: the data the pool was made with. */
export function poolWorkerData<D>(): D {
  return workerData as D;
}

/**
 * Worker threads that take tasks, each to the least busy. Each task's promise resolves with its worker's reply,
 * so a caller that awaits the promises in the order it submitted them writes results in input
 * order whatever the order the workers finish in. A worker that fails fails every task it holds.
 * The worker script takes its data with poolWorkerData.
 */
export class WorkerPool<T, R> {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting<R>>();
  /** Tasks each worker has in hand. */
  private readonly busy: number[] = [];
  private nextId = 0;
  private failure: unknown;
  private closing = false;

  constructor(script: URL, data: unknown, size: number, resourceLimits?: ResourceLimits) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData: data, resourceLimits });
      worker.on('message', (reply: PoolReply<R>) => {
        const w = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if (w) {
          this.busy[w.worker]--;
          w.resolve(reply.result);
        }
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing)
          this.fail(new Error(`worker thread exited with status ${code}`));
      });
      this.workers.push(worker);
      this.busy.push(0);
    }
  }

  submit(task: T, transfer: ArrayBuffer[] = []): Promise<R> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.leastBusy();
    this.busy[worker]++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker });
      this.workers[worker].postMessage({ id, task }, transfer);
    });
  }

  /**
   * The worker with the fewest tasks in hand (the first of them): one that runs faster (fewer
   * threads share its core) gets more, instead of idling while a slower one works through a
   * queue dealt out in turn.
   */
  private leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.busy.length; i++) if (this.busy[i] < this.busy[best]) best = i;
    return best;
  }

  /** Stops the workers: tasks still held are dropped, their promises never settle. */
  async close(): Promise<void> {
    this.closing = true;
    this.waiting.clear();
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }
}
