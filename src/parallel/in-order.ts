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
 * Tasks done by a pool's workers, their results taken back in the order the tasks came,
 * whichever worker finished first. The caller bounds the tasks in flight (taking the oldest
 * before it adds more), so memory stays flat.
 */
export class InOrder<T, R, M> {
  private readonly entries: Entry<R, M>[] = [];

  constructor(private readonly pool: WorkerPool<T, R>) {}

  /** Tasks given and not taken back. */
  get length(): number {
    return this.entries.length;
  }

  /** Whether the oldest task's result can be taken without waiting. */
  get ready(): boolean {
    return this.entries.length > 0 && this.entries[0].settled;
  }

  /** Gives a task to a worker, with the arrays to transfer to it (no longer usable here). */
  add(task: T, meta: M, transfer: ArrayBuffer[] = []): void {
    const entry: Entry<R, M> = { result: this.pool.submit(task, transfer), settled: false, meta };
    void entry.result.then(
      () => (entry.settled = true),
      () => undefined,
    );
    this.entries.push(entry);
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
