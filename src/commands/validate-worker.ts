import { parentPort, workerData } from 'node:worker_threads';
import { applyDecodeAs } from '../layers/decode-as.js';
import { validateFile } from './validate-file.js';
import type { WorkerJob, WorkerMessage } from './validate-job.js';

/** A worker thread of `validate --jobs`: checks one file and sends its output back in order. */
const job = workerData as WorkerJob;
applyDecodeAs(job.decodeAs);
const send = (message: WorkerMessage): void => parentPort?.postMessage(message);
const report = await validateFile(job.file, job, {
  line: (text) => send({ kind: 'line', text }),
  error: (text) => send({ kind: 'error', text }),
  ready: async () => undefined,
});
send({ kind: 'report', report });
