import { Worker } from 'node:worker_threads';

interface Waiting<R> {
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/** What a pool worker posts back: the answer to one task, by its id. */
export interface PoolReply<R> {
  id: number;
  result: R;
}

/**
 * Worker threads that take tasks in turn. Each task's promise resolves with its worker's reply,
 * so a caller that awaits the promises in the order it submitted them writes results in input
 * order whatever the order the workers finish in. A worker that fails fails every task it holds.
 */
export class WorkerPool<T, R> {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting<R>>();
  private nextId = 0;
  private failure: unknown;
  private closing = false;

  constructor(script: URL, workerData: unknown, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData });
      worker.on('message', (reply: PoolReply<R>) => {
        const w = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        w?.resolve(reply.result);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.closing)
          this.fail(new Error(`worker thread exited with status ${code}`));
      });
      this.workers.push(worker);
    }
  }

  submit(task: T, transfer: ArrayBuffer[] = []): Promise<R> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage({ id, task }, transfer);
    });
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
