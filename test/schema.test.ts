import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { igmpscope } from './cli-helpers.js';
import { corpusCaptures, corpusPath, needsCorpus } from './corpus.js';
import { frameSchema } from '../src/output/schema.js';
import { parseStrictJson } from './strict-json.js';

const schema = JSON.parse(readFileSync('schema/dissect-frame.schema.json', 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/**
 * Validates every frame (--all) of `files`, read by one igmpscope run, against the schema;
 * returns how many frames were checked.
 */
function validateAll(files: string[]): number {
  const run = igmpscope(['--json', '--all', ...files]);
  let frames = 0;
  for (const line of run.stdout.split('\n')) {
    if (line === '') continue;
    const frame = parseStrictJson(line) as Record<string, unknown>;
    frames++;
    assert.ok(
      validate(frame),
      `${String(frame.file)} frame ${String(frame['frame.number'])}: ${JSON.stringify(validate.errors)}`,
    );
  }
  return frames;
}

test('--json output of every fixture, every frame (--all), validates against the shipped schema', () => {
  const files = [
    ...readdirSync('fixtures')
      .filter((f) => /\.pcap(ng)?$/.test(f))
      .map((f) => `fixtures/${f}`),
    ...readdirSync('fixtures/built').map((f) => `fixtures/built/${f}`),
  ];
  assert.ok(files.length >= 7);
  const frames = validateAll(files);
  assert.ok(frames >= 70, `${frames} frames checked`);
});

test(
  '--json output of every frame of the real captures validates against the shipped schema',
  needsCorpus,
  () => {
    const frames = validateAll(corpusCaptures().map(corpusPath));
    assert.ok(frames >= 17000, `${frames} frames checked`);
  },
);

test('the checked-in schema is the one the field registry generates (npm run schema)', () => {
  assert.deepEqual(schema, frameSchema());
});

test('the schema rejects what the output must never contain', () => {
  const good = JSON.parse(
    igmpscope(['--json', '-c', '1', 'fixtures/sample.pcap']).stdout,
  ) as Record<string, unknown> & {
    igmp: Record<string, unknown>;
  };
  assert.ok(validate(structuredClone(good)));
  assert.equal(
    validate({ ...good, igmp: { ...good.igmp, 'igmp.type': '0x11' } }),
    false,
    'numbers are numbers',
  );
  assert.equal(
    validate({ ...good, igmp: { ...good.igmp, 'igmp.maddr': null } }),
    false,
    'absent, never null',
  );
  assert.equal(
    validate({ ...good, igmp: { ...good.igmp, 'igmp.saddr': '10.0.0.1' } }),
    false,
    'repeating fields are arrays',
  );
  assert.equal(
    validate({ ...good, 'frame.time_epoch': 1700000000 }),
    false,
    'time_epoch keeps full precision as a string',
  );
});
