import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

/** Every module of src/ and the src/ modules it imports (type-only imports too). */
function importGraph(): Map<string, string[]> {
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('src', f));
  const graph = new Map<string, string[]>();
  const pattern =
    /(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g;
  for (const file of files) {
    const deps: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
      const spec = m[1] ?? m[2] ?? m[3];
      deps.push(relative('.', resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** The import cycles: every strongly connected group of more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1) found.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * The floors of the pipeline, lowest first: a module may import its own floor and those below
 * (capture → layers → dissect → analysis / output → parallel → commands). The field registry
 * and its helpers are the ground floor.
 */
const FLOORS: [string, RegExp][] = [
  ['ground', /^src\/(fields|problems|read|addr|checksum|field-out)\.ts$/],
  ['capture', /^src\/capture\//],
  ['layers', /^src\/layers\//],
  ['dissect', /^src\/dissect\.ts$/],
  ['filter', /^src\/filter\//],
  ['analysis', /^src\/analysis\//],
  ['output', /^src\/output\//],
  ['parallel', /^src\/parallel\//],
  ['commands', /^src\/(commands\/|cli\.ts$|index\.ts$)/],
];

function floorOf(file: string): number {
  const i = FLOORS.findIndex(([, pattern]) => pattern.test(file));
  return i;
}

test('src/ has no import cycle', () => {
  assert.deepEqual(cycles(importGraph()), []);
});

test('imports point down the pipeline: no floor imports one above it', () => {
  const upward: string[] = [];
  for (const [file, deps] of importGraph()) {
    const floor = floorOf(file);
    if (floor < 0) continue; // src/builder: the packet builder, for tests, fixtures and the bench
    for (const dep of deps) {
      const depFloor = floorOf(dep);
      if (depFloor > floor) upward.push(`${file} → ${dep}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('the cycle finder finds a cycle', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(cycles(graph), [['a', 'b', 'c']]);
});
