import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

/** Absolute, so that tests may run it from another working directory. */
const BIN = fileURLToPath(new URL('../bin/igmpscope.js', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds first) the way a user's shell would. */
export function igmpscope(args: string[], options: SpawnSyncOptions = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...(options.env ?? {}) },
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Compares with a reviewed golden file; UPDATE_GOLDEN=1 rewrites it. */
export function assertGolden(name: string, actual: string): void {
  const path = `test/golden/${name}`;
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    writeFileSync(path, actual);
    if (process.env.UPDATE_GOLDEN !== '1')
      assert.fail(`golden file ${path} was missing and has been written: review it`);
    return;
  }
  assert.equal(
    actual,
    readFileSync(path, 'utf8'),
    `output differs from ${path} (UPDATE_GOLDEN=1 to accept)`,
  );
}
