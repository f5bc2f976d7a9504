/**
 * The replay's timers: each group's router timers (RFC 3376 §6.2–§6.5), each host's and each
 * router port's aging (RFC 4541 §2.1.1), each link's Other Querier Present timer (§6.6.2), in
 * one binary heap on the capture's clock.
 *
 * A report only pushes a timer later, and that costs nothing here: the target keeps its place,
 * comes up at the earlier time, says when it is really due, and is queued again then. Only a
 * timer brought earlier (a group-specific query lowering a group timer) moves in the heap. So a
 * report is O(1) whatever the number of hosts. The heap holds the targets themselves, each at
 * most once and knowing its slot: a host that leaves is taken out at once (O(log n)), not left
 * to sit in the heap — 260 s of leaving hosts held there were old-generation garbage that cost
 * more than the replay itself.
 */

/** What can sit in the queue. */
export interface Timed {
  /** When it comes up; Infinity when it is not queued. */
  queued: number;
  /** Its index in the heap, or -1. */
  slot: number;
  /** Order of queueing: timers due at the same instant fire in the order they were set. */
  seq: number;
}

export class TimerQueue<T extends Timed> {
  private readonly heap: T[] = [];
  private seq = 0;

  /** Makes the target come up no later than `at`. */
  schedule(target: T, at: number): void {
    if (!(at < target.queued)) return;
    target.queued = at;
    target.seq = this.seq++;
    if (target.slot < 0) {
      target.slot = this.heap.length;
      this.heap.push(target);
    }
    this.up(target.slot);
  }

  /** The target has no timer any more (its state was deleted). */
  cancel(target: T): void {
    const slot = target.slot;
    target.queued = Infinity;
    if (slot < 0) return;
    target.slot = -1;
    const last = this.heap.pop() as T;
    if (slot === this.heap.length) return;
    this.heap[slot] = last;
    last.slot = slot;
    this.down(slot);
    this.up(last.slot);
  }

  /** When the next target comes up (Infinity when none). */
  next(): number {
    return this.heap.length > 0 ? this.heap[0].queued : Infinity;
  }

  /**
   * Takes the next target if it comes up by `time`; `takenAt` says when it came up. The
   * target is no longer queued.
   */
  take(time: number): T | undefined {
    const top = this.heap[0];
    if (top === undefined || top.queued > time) return undefined;
    this.takenAt = top.queued;
    this.cancel(top);
    return top;
  }

  /** When the target `take` returned came up. */
  takenAt = 0;

  get size(): number {
    return this.heap.length;
  }

  private up(i: number): void {
    const heap = this.heap;
    const item = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent])) break;
      heap[i] = heap[parent];
      heap[i].slot = i;
      i = parent;
    }
    heap[i] = item;
    item.slot = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const item = heap[i];
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], item)) break;
      heap[i] = heap[child];
      heap[i].slot = i;
      i = child;
    }
    heap[i] = item;
    item.slot = i;
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.queued < b.queued || (a.queued === b.queued && a.seq < b.seq);
}
