import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readCapture } from '../src/capture/open.js';
import type { Frame } from '../src/capture/frame.js';
import { dissect } from '../src/dissect.js';
import { compileFilter, FilterCollector, filterErrorReport } from '../src/filter/index.js';
import { protocolChain } from '../src/layers/registry.js';

/**
 * igmpscope's display filters against tshark 4.0's: for every filter of
 * test/golden/filters.tsv, the frames tshark selected (scripts/filter-goldens.ts made the
 * goldens with tshark, checked by hand); for every bad filter of
 * test/golden/filter-errors.txt, what tshark said and where it pointed.
 */

interface Case {
  capture: string;
  filter: string;
  frames: number[];
}

function cases(): Case[] {
  const [, ...rows] = readFileSync('test/golden/filters.tsv', 'utf8').trimEnd().split('\n');
  return rows.map((row) => {
    const [capture, filter, frames] = row.split('\t');
    return { capture, filter, frames: frames === '' ? [] : frames.split(' ').map(Number) };
  });
}

const frameCache = new Map<string, Frame[]>();

async function framesOf(capture: string): Promise<Frame[]> {
  let frames = frameCache.get(capture);
  if (frames === undefined) {
    frames = [];
    for await (const batch of readCapture(capture)) frames.push(...batch);
    frameCache.set(capture, frames);
  }
  return frames;
}

/**
 * Where igmpscope's layers are not tshark's, on purpose and for now (the field goldens list
 * the same difference): tshark hands DVMRP and PIMv1 to dissectors of their own, so those
 * frames have no `igmp` protocol item and no igmp.* fields there; igmpscope decodes them in
 * `igmp`. A filter that names igmp may select them differently.
 */
function explained(filter: string, chain: string): boolean {
  return /\bigmp\b/.test(filter) && /:igmp:(dvmrp|pim)$/.test(chain);
}

test('every golden filter selects the frames tshark 4.0 selects', async () => {
  const all = cases();
  assert.ok(all.length >= 40, `${all.length} filters`);
  const wrong: string[] = [];
  for (const { capture, filter, frames } of all) {
    const compiled = compileFilter(filter);
    if (!('test' in compiled)) {
      wrong.push(`${filter}: refused: ${compiled.message}`);
      continue;
    }
    const collector = new FilterCollector(compiled);
    const expected = new Set(frames);
    for (const frame of await framesOf(capture)) {
      collector.reset(frame);
      const d = dissect(frame, { out: collector });
      const ours = collector.test();
      if (ours !== expected.has(frame.number) && !explained(filter, protocolChain(d.layers)))
        wrong.push(
          `${capture} ${filter}: frame ${frame.number}: tshark ${!ours}, igmpscope ${ours}`,
        );
    }
  }
  assert.deepEqual(wrong, []);
});

test('every capture of the goldens is filtered, and some filters select nothing', () => {
  const all = cases();
  const captures = new Set(all.map((c) => c.capture));
  for (const capture of [
    'fixtures/sample.pcap',
    'fixtures/built/two-interfaces.pcapng',
    'fixtures/built/defects.pcap',
    'fixtures/built/tunnels.pcapng',
    'fixtures/built/tunnel-defects.pcapng',
  ])
    assert.ok(captures.has(capture), capture);
  assert.ok(all.some((c) => c.frames.length === 0));
});

function errorCases(): { filter: string; lines: string[] }[] {
  const text = readFileSync('test/golden/filter-errors.txt', 'utf8').trimEnd();
  return text
    .split(/^### /m)
    .slice(1)
    .map((block) => {
      const [filter, ...lines] = block.split('\n');
      return { filter, lines: lines.filter((l) => l !== '') };
    });
}

test("bad filters are refused with tshark 4.0's message and caret", () => {
  const wrong: string[] = [];
  const all = errorCases();
  assert.ok(all.length >= 40);
  for (const { filter, lines } of all) {
    const result = compileFilter(filter);
    if ('test' in result) {
      wrong.push(`${filter}: accepted`);
      continue;
    }
    const ours = filterErrorReport('tshark', filter, result);
    if (ours.join('\n') !== lines.join('\n'))
      wrong.push(
        `${filter}:\n  tshark:    ${lines.join('\n             ')}\n  igmpscope: ${ours.join('\n             ')}`,
      );
  }
  assert.deepEqual(wrong, []);
});
