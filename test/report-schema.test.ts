import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { runMembership } from '../src/commands/membership.js';
import { igmpscope } from './cli-helpers.js';
import { corpusCaptures, corpusPath, needsCorpus } from './corpus.js';
import { parseStrictJson } from './strict-json.js';

/**
 * The NDJSON of `membership --json` and `validate --format json` against the JSON Schemas
 * shipped in schema/ (issue 17), as test/schema.test.ts holds the dissector's: every line of
 * real output, parsed strictly (no repeated key), with one key style — snake_case, but for
 * `frame.number`, Wireshark's own name for a frame — and times rounded to the capture's
 * precision.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true });
const membershipSchema = ajv.compile(
  JSON.parse(readFileSync('schema/membership.schema.json', 'utf8')),
);
const validateSchema = ajv.compile(JSON.parse(readFileSync('schema/validate.schema.json', 'utf8')));

const FIXTURES = [
  ...readdirSync('fixtures')
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .map((f) => `fixtures/${f}`),
  ...readdirSync('fixtures/built').map((f) => `fixtures/built/${f}`),
];

/** Every key of a parsed line, at any depth (but not the keys of `by_key`, which are data). */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      if (k !== 'by_key') keysOf(v, out);
    }
  }
  return out;
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

function checkLine(
  line: string,
  validate: typeof membershipSchema,
  where: string,
): Record<string, unknown> {
  const parsed = parseStrictJson(line) as Record<string, unknown>;
  assert.ok(validate(parsed), `${where}: ${JSON.stringify(validate.errors)}\n${line}`);
  for (const key of keysOf(parsed))
    assert.ok(SNAKE.test(key) || key === 'frame.number', `${where}: key ${key} is not snake_case`);
  return parsed;
}

/** `membership --json` of one capture, as the command writes it (in this process: quicker). */
async function membershipJson(file: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const errors = new Writable({ write: (_c, _e, done) => done() });
  await runMembership({ files: [file], json: true }, sink, errors);
  return Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
}

/** Times carry no float noise: at most the capture's digits (9 for a nanosecond capture). */
function assertRounded(parsed: Record<string, unknown>, where: string): void {
  const visit = (value: unknown, key: string): void => {
    if (
      typeof value === 'number' &&
      /(^|_)(at|time|seen|report|join|expires|from|to|latency|average|max|interval)$|^(time|from|to)$/.test(
        key,
      )
    ) {
      const decimals = (String(value).split('.')[1] ?? '').length;
      assert.ok(decimals <= 9, `${where}: ${key} = ${value} carries float noise`);
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(parsed, '');
}

async function checkMembership(files: string[]): Promise<Map<string, number>> {
  const types = new Map<string, number>();
  for (const file of files) {
    for (const line of await membershipJson(file)) {
      const parsed = checkLine(line, membershipSchema, file);
      assertRounded(parsed, file);
      types.set(String(parsed.type), (types.get(String(parsed.type)) ?? 0) + 1);
    }
  }
  return types;
}

test('membership --json of every fixture validates against schema/membership.schema.json', async () => {
  const types = await checkMembership(FIXTURES);
  for (const type of [
    'event',
    'group',
    'router_port',
    'querier',
    'leave',
    'suppression',
    'summary',
  ])
    assert.ok((types.get(type) ?? 0) > 0, `some ${type} line was checked`);
});

test(
  'membership --json of every real capture validates against the schema',
  needsCorpus,
  async () => {
    const types = await checkMembership(corpusCaptures().map(corpusPath));
    assert.ok((types.get('event') ?? 0) > 300, `${types.get('event')} events checked`);
  },
);

test('validate --format json of every fixture and real capture validates against schema/validate.schema.json', () => {
  const files = [...FIXTURES, ...(needsCorpus.skip ? [] : corpusCaptures().map(corpusPath))];
  const run = igmpscope(['validate', '--fail-on', 'never', '--format', 'json', ...files]);
  let findings = 0;
  let summaries = 0;
  for (const line of run.stdout.split('\n').filter(Boolean)) {
    const parsed = checkLine(line, validateSchema, 'validate');
    if (parsed.type === 'finding') findings++;
    else summaries++;
  }
  assert.equal(summaries, files.length);
  assert.ok(findings > 20, `${findings} findings checked`);
});

test('the schemas reject what the output must never hold', () => {
  const event = {
    type: 'event',
    time: 1.5,
    'frame.number': 3,
    link: 'if0',
    kind: 'join',
    group: '239.1.1.1',
    host: '10.0.0.1',
    detail: 'x',
  };
  assert.ok(membershipSchema(event));
  assert.equal(membershipSchema({ ...event, leaveAt: 1 }), false, 'no camelCase key');
  assert.equal(membershipSchema({ ...event, 'frame.number': null }), false, 'absent, never null');
  assert.equal(membershipSchema({ ...event, kind: 'joined' }), false, 'kinds are listed');
  const leave = {
    type: 'leave',
    link: 'if0',
    group: '239.1.1.1',
    host: '10.0.0.1',
    leave_at: 0.5,
    leave_frame: 3,
    repeats: 1,
    outcome: 'removed',
    removed_at: 2.5,
    latency: 2,
  };
  assert.ok(membershipSchema(leave));
  assert.equal(membershipSchema({ ...leave, answeredBy: '10.0.0.2' }), false);
  assert.equal(membershipSchema({ ...leave, outcome: 'gone' }), false);
  const finding = {
    type: 'finding',
    file: 'a.pcap',
    'frame.number': 1,
    rule: 'igmp.checksum.bad',
    severity: 'error',
    layer: 'igmp',
    offset: 40,
    message: 'x',
  };
  assert.ok(validateSchema(finding));
  assert.equal(validateSchema({ ...finding, severity: 'fatal' }), false);
  assert.equal(validateSchema({ ...finding, frame: 1 }), false);
});
