import type { MessagePort } from 'node:worker_threads';
import type { PoolReply, WorkerPool } from './pool.js';

/** A task handed out and not yet taken back. */
interface Entry<R, M> {
  result: Promise<R>;
  settled: boolean;
  /** What the caller keeps with the task (a segment's end, say). */
  meta: M;
}

/**
 * Tasks done by a pool's workers or, when each worker already has `perWorker` in hand, right
 * here in this thread (unless `here` is left out: then every task goes to a worker); their
 * results are taken back in the order the tasks came, whichever thread finished first. Working
 * here too means the work starts before any worker is up, and needs one V8 heap fewer than a
 * worker per thread would.
 */
export class InOrder<T, R, M> {
  private readonly entries: Entry<R, M>[] = [];

  constructor(
    private readonly pool: WorkerPool<T, R>,
    private readonly workers: number,
    private readonly perWorker: number,
    private readonly here?: (task: T) => R | Promise<R>,
  ) {}

  /** Tasks given and not taken back. */
  get length(): number {
    return this.entries.length;
  }

  /** Whether the oldest task's result can be taken without waiting. */
  get ready(): boolean {
    return this.entries.length > 0 && this.entries[0].settled;
  }

  /** Gives a task to a worker, or does it here (then `transfer` is not needed). */
  async add(task: T, meta: M, transfer: () => ArrayBuffer[] = () => []): Promise<void> {
    if (this.here === undefined || this.pool.pending < this.perWorker * this.workers) {
      const entry: Entry<R, M> = {
        result: this.pool.submit(task, transfer()),
        settled: false,
        meta,
      };
      void entry.result.then(
        () => (entry.settled = true),
        () => undefined,
      );
      this.entries.push(entry);
    } else {
      const result = await this.here(task);
      this.entries.push({ result: Promise.resolve(result), settled: true, meta });
    }
  }

  /** The oldest task's result (waiting for it), or undefined when none is left. */
  async take(): Promise<{ result: R; meta: M } | undefined> {
    const next = this.entries.shift();
    if (!next) return undefined;
    return { result: await next.result, meta: next.meta };
  }

  /** Forgets the tasks not taken (their workers' answers are dropped when they come). */
  clear(): void {
    this.entries.length = 0;
  }
}

/**
 * The message loop of a pool worker: tasks are done one after the other, in the order they
 * came (run side by side, the oldest one's answer, which the main thread waits for, would come
 * only when all were done), each answered with its id.
 */
export function serveInTurn<T, R>(
  port: MessagePort,
  run: (task: T) => Promise<{ result: R; transfer: ArrayBuffer[] }>,
): void {
  let queue = Promise.resolve();
  port.on('message', ({ id, task }: { id: number; task: T }) => {
    queue = queue
      .then(() => run(task))
      .then(({ result, transfer }) => {
        const reply: PoolReply<R> = { id, result };
        port.postMessage(reply, transfer);
      });
  });
}
