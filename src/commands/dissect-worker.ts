import { parentPort } from 'node:worker_threads';
import type { FormatOptions } from '../output/frame-format.js';
import { serveInTurn } from '../parallel/in-order.js';
import { applyDecodeAs } from '../layers/decode-as.js';
import { poolWorkerData } from '../parallel/pool.js';
import { TaskFormatter, type DissectResult, type DissectTask } from './dissect-tasks.js';

/** A worker thread of `dissect --jobs`: formats what it is given, one task after the other. */
const options = poolWorkerData<FormatOptions>();
applyDecodeAs(options.decodeAs);
const formatter = new TaskFormatter(options);
if (parentPort) {
  serveInTurn<DissectTask, DissectResult>(parentPort, async (task) => formatter.run(task));
}
