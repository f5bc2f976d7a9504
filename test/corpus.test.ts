import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/**
 * Runs the real-capture tests in a child `node --test` with the corpus pointed at a folder that
 * is not there. NODE_TEST_CONTEXT is dropped, or the child would report to this runner instead
 * of printing its own TAP.
 */
function runWithoutCorpus(ci: boolean): { status: number | null; out: string; missing: string } {
  const dir = mkdtempSync(join(tmpdir(), 'igmpscope-corpus-'));
  const missing = join(dir, 'no-captures-here');
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, IGMPSCOPE_CAPTURES: missing };
    delete env.NODE_TEST_CONTEXT;
    delete env.CI;
    if (ci) env.CI = 'true';
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/real-captures.test.ts'],
      { encoding: 'utf8', env },
    );
    return { status: run.status, out: `${run.stdout}${run.stderr}`, missing };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('without the corpus the real-capture tests are skipped, with one line naming the folder and IGMPSCOPE_CAPTURES', () => {
  const { status, out, missing } = runWithoutCorpus(false);
  assert.equal(status, 0, out);
  assert.match(out, /^# fail 0$/m);
  assert.match(out, /^# pass 0$/m);
  const skipped = Number(/^# skipped (\d+)$/m.exec(out)?.[1]);
  assert.ok(skipped >= 10, `${skipped} skipped`);
  const lines = out.split('\n').filter((l) => l.includes(missing));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /# SKIP real-capture tests skipped: no corpus at .*IGMPSCOPE_CAPTURES/);
});

test('under CI=true a missing corpus fails the run, saying where it was looked for', () => {
  const { status, out, missing } = runWithoutCorpus(true);
  assert.equal(status, 1, out);
  assert.match(out, /^# skipped 0$/m);
  assert.ok(out.includes(`no corpus at ${missing}`), out);
  assert.match(out, /CI=true: the real-capture tests must run/);
});
