import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { sampleFrames } from '../src/builder/index.js';
import { CaptureError, type Frame } from '../src/capture/frame.js';
import { readCapture } from '../src/capture/open.js';
import { corpusCaptures, corpusPath } from './corpus.js';
import { frameOf } from './helpers.js';

/** Every capture in fixtures/: those our builder made, the scapy sample and the fuzz corpus. */
export function fixtureCaptures(): string[] {
  return [
    ...readdirSync('fixtures')
      .filter((f) => /\.(pcap|pcapng|gz)$/.test(f))
      .map((f) => `fixtures/${f}`),
    ...readdirSync('fixtures/built').map((f) => `fixtures/built/${f}`),
    ...readdirSync('fixtures/fuzz')
      .filter((f) => !f.endsWith('.md'))
      .map((f) => `fixtures/fuzz/${f}`),
  ];
}

/**
 * Runs `check` on every frame of `files` (a damaged capture's frames up to the damage), naming
 * each; asserts that at least `minFrames` were seen, so that the check means something.
 */
export async function eachCaptureFrame(
  files: readonly string[],
  minFrames: number,
  check: (frame: Frame, where: string) => void,
): Promise<void> {
  let frames = 0;
  for (const file of files) {
    try {
      for await (const batch of readCapture(file)) {
        for (const frame of batch) {
          check(frame, `${file} frame ${frame.number}`);
          frames++;
        }
      }
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
    }
  }
  assert.ok(frames >= minFrames, `checked ${frames} frames`);
}

/** Every frame of every fixture capture. */
export function eachFixtureFrame(check: (frame: Frame, where: string) => void): Promise<void> {
  return eachCaptureFrame(fixtureCaptures(), 80, check);
}

/** Every frame of every capture of the shared corpus (test/corpus.ts), some 17,000. */
export function eachCorpusFrame(check: (frame: Frame, where: string) => void): Promise<void> {
  return eachCaptureFrame(corpusCaptures().map(corpusPath), 17000, check);
}

/**
 * Runs `check` on `runs` frames of the packet builder's samples with up to 6 bytes changed
 * and cut at any length (fast-check, so a failure comes back shrunk and with its seed).
 */
export function eachMutatedFrame(check: (frame: Frame, where: string) => void, runs: number): void {
  const valid = sampleFrames().map((f) => f.data);
  fc.assert(
    fc.property(
      fc.nat(valid.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }),
      fc.nat(),
      (index, flips, cut) => {
        const data = Buffer.from(valid[index]);
        for (const [at, value] of flips) data[at % data.length] = value;
        const cutAt = cut % (data.length + 1);
        check(frameOf(data.subarray(0, cutAt)), `frame ${index} cut at ${cutAt}`);
      },
    ),
    { numRuns: runs },
  );
}
