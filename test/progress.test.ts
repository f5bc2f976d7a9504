import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Progress } from '../src/output/progress.js';

function fakeTerminal(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const stream = { isTTY, text: '', write: (s: string) => ((stream.text += s), true) };
  return stream as unknown as NodeJS.WriteStream & { text: string };
}

test('progress is drawn only when stderr is a terminal, stdout is not, and --quiet is off', () => {
  assert.equal(Progress.enabled(fakeTerminal(true), fakeTerminal(false), undefined), true);
  assert.equal(Progress.enabled(fakeTerminal(true), fakeTerminal(false), true), false);
  assert.equal(Progress.enabled(fakeTerminal(false), fakeTerminal(false), undefined), false);
  assert.equal(Progress.enabled(fakeTerminal(true), fakeTerminal(true), undefined), false);
});

test('the line shows bytes of the total and frames, is throttled, escapes the name and is cleared', () => {
  const err = fakeTerminal(true);
  const progress = new Progress(err, 'big\u001b]0;x\u0007.pcap', 10 * 1048576);
  progress.update(5 * 1048576, 1000);
  progress.update(6 * 1048576, 2000); // within the interval: not drawn
  assert.match(err.text, /5\.0 MiB of 10\.0 MiB \(50%\), 1,000 frames/);
  assert.doesNotMatch(err.text, /6\.0 MiB/);
  assert.ok(!err.text.includes('\u0007'), 'the file name is escaped');
  progress.done();
  assert.ok(err.text.endsWith('\r\u001b[K'));
});
