import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALLOW,
  applyRecord,
  BLOCK,
  blocked,
  forwarded,
  IS_EX,
  IS_IN,
  lowerForQuery,
  newRouterGroup,
  runTimers,
  TO_EX,
  TO_IN,
  type RouterGroup,
} from '../src/analysis/membership/router-v3.js';

const GMI = 260;
const NOW = 1000;

/** INCLUDE(A) with every source timer at `t`. */
function include(a: string[], t = NOW + 100): RouterGroup {
  const g = newRouterGroup();
  for (const s of a) g.sources.set(s, t);
  return g;
}

/** EXCLUDE(X, Y): X timers at `t`, Y blocked, group timer `gt`. */
function exclude(x: string[], y: string[], t = NOW + 100, gt = NOW + 200): RouterGroup {
  const g: RouterGroup = { mode: 'EXCLUDE', groupTimer: gt, sources: new Map() };
  for (const s of x) g.sources.set(s, t);
  for (const s of y) g.sources.set(s, 0);
  return g;
}

/** The state as the tables write it, with each source's timer. */
function state(g: RouterGroup): {
  mode: string;
  X: Record<string, number>;
  Y: string[];
  groupTimer?: number;
} {
  const X = Object.fromEntries(forwarded(g, NOW).map((s) => [s, g.sources.get(s) as number]));
  return g.mode === 'EXCLUDE'
    ? { mode: g.mode, X, Y: blocked(g).sort(), groupTimer: g.groupTimer }
    : { mode: g.mode, X, Y: [] };
}

const apply = (g: RouterGroup, type: number, b: string[]): RouterGroup => (
  applyRecord(g, type, b, NOW, GMI),
  g
);

// RFC 3376 §6.4.1 (current-state records) and §6.4.2 (state-change records), one test per row.
// Sources: a, b in the router state; b, c in the record (so A*B = {b}, B−A = {c}, A−B = {a}).

test('§6.4.1 INCLUDE(A) + IS_IN(B) → INCLUDE(A+B); (B)=GMI', () => {
  assert.deepEqual(state(apply(include(['a', 'b']), IS_IN, ['b', 'c'])), {
    mode: 'INCLUDE',
    X: { a: NOW + 100, b: NOW + GMI, c: NOW + GMI },
    Y: [],
  });
});

test('§6.4.1 INCLUDE(A) + IS_EX(B) → EXCLUDE(A*B, B−A); (B−A)=0; delete (A−B); group timer=GMI', () => {
  assert.deepEqual(state(apply(include(['a', 'b']), IS_EX, ['b', 'c'])), {
    mode: 'EXCLUDE',
    X: { b: NOW + 100 },
    Y: ['c'],
    groupTimer: NOW + GMI,
  });
});

test('§6.4.1 EXCLUDE(X,Y) + IS_IN(A) → EXCLUDE(X+A, Y−A); (A)=GMI', () => {
  // X = {x, b}, Y = {y, c}; record A = {b, c}
  assert.deepEqual(state(apply(exclude(['x', 'b'], ['y', 'c']), IS_IN, ['b', 'c'])), {
    mode: 'EXCLUDE',
    X: { x: NOW + 100, b: NOW + GMI, c: NOW + GMI },
    Y: ['y'],
    groupTimer: NOW + 200,
  });
});

test('§6.4.1 EXCLUDE(X,Y) + IS_EX(A) → EXCLUDE(A−Y, Y*A); (A−X−Y)=GMI; delete (X−A), (Y−A); group timer=GMI', () => {
  // X = {x, b}, Y = {y, c}; A = {b, c, n}: A−Y = {b, n}, Y*A = {c}, A−X−Y = {n}
  assert.deepEqual(state(apply(exclude(['x', 'b'], ['y', 'c']), IS_EX, ['b', 'c', 'n'])), {
    mode: 'EXCLUDE',
    X: { b: NOW + 100, n: NOW + GMI },
    Y: ['c'],
    groupTimer: NOW + GMI,
  });
});

test('§6.4.2 INCLUDE(A) + ALLOW(B) → INCLUDE(A+B); (B)=GMI', () => {
  assert.deepEqual(state(apply(include(['a', 'b']), ALLOW, ['b', 'c'])), {
    mode: 'INCLUDE',
    X: { a: NOW + 100, b: NOW + GMI, c: NOW + GMI },
    Y: [],
  });
});

test('§6.4.2 INCLUDE(A) + BLOCK(B) → INCLUDE(A) (the querier asks Q(G, A*B))', () => {
  assert.deepEqual(state(apply(include(['a', 'b']), BLOCK, ['b', 'c'])), {
    mode: 'INCLUDE',
    X: { a: NOW + 100, b: NOW + 100 },
    Y: [],
  });
});

test('§6.4.2 INCLUDE(A) + TO_EX(B) → EXCLUDE(A*B, B−A); (B−A)=0; delete (A−B); group timer=GMI', () => {
  assert.deepEqual(state(apply(include(['a', 'b']), TO_EX, ['b', 'c'])), {
    mode: 'EXCLUDE',
    X: { b: NOW + 100 },
    Y: ['c'],
    groupTimer: NOW + GMI,
  });
});

test('§6.4.2 INCLUDE(A) + TO_IN(B) → INCLUDE(A+B); (B)=GMI', () => {
  assert.deepEqual(state(apply(include(['a', 'b']), TO_IN, ['b', 'c'])), {
    mode: 'INCLUDE',
    X: { a: NOW + 100, b: NOW + GMI, c: NOW + GMI },
    Y: [],
  });
});

test('§6.4.2 EXCLUDE(X,Y) + ALLOW(A) → EXCLUDE(X+A, Y−A); (A)=GMI', () => {
  assert.deepEqual(state(apply(exclude(['x', 'b'], ['y', 'c']), ALLOW, ['b', 'c'])), {
    mode: 'EXCLUDE',
    X: { x: NOW + 100, b: NOW + GMI, c: NOW + GMI },
    Y: ['y'],
    groupTimer: NOW + 200,
  });
});

test('§6.4.2 EXCLUDE(X,Y) + BLOCK(A) → EXCLUDE(X+(A−Y), Y); (A−X−Y)=group timer', () => {
  // A = {b, c, n}: A−Y = {b, n}; n gets the group timer, b keeps its own, c stays blocked
  assert.deepEqual(state(apply(exclude(['x', 'b'], ['y', 'c']), BLOCK, ['b', 'c', 'n'])), {
    mode: 'EXCLUDE',
    X: { x: NOW + 100, b: NOW + 100, n: NOW + 200 },
    Y: ['c', 'y'],
    groupTimer: NOW + 200,
  });
});

test('§6.4.2 EXCLUDE(X,Y) + TO_EX(A) → EXCLUDE(A−Y, Y*A); (A−X−Y)=group timer; delete (X−A), (Y−A); group timer=GMI', () => {
  assert.deepEqual(state(apply(exclude(['x', 'b'], ['y', 'c']), TO_EX, ['b', 'c', 'n'])), {
    mode: 'EXCLUDE',
    X: { b: NOW + 100, n: NOW + 200 },
    Y: ['c'],
    groupTimer: NOW + GMI,
  });
});

test('§6.4.2 EXCLUDE(X,Y) + TO_IN(A) → EXCLUDE(X+A, Y−A); (A)=GMI', () => {
  assert.deepEqual(state(apply(exclude(['x', 'b'], ['y', 'c']), TO_IN, ['b', 'c'])), {
    mode: 'EXCLUDE',
    X: { x: NOW + 100, b: NOW + GMI, c: NOW + GMI },
    Y: ['y'],
    groupTimer: NOW + 200,
  });
});

test('§6.6.1/§6.6.3 queries lower timers: Q(G) the group timer, Q(G,A) the source timers, never raise', () => {
  const g = exclude(['x', 'b'], ['y'], NOW + 100, NOW + 200);
  lowerForQuery(g, [], NOW, 2);
  assert.equal(g.groupTimer, NOW + 2);
  lowerForQuery(g, ['x'], NOW, 2);
  assert.equal(g.sources.get('x'), NOW + 2);
  assert.equal(g.sources.get('b'), NOW + 100);
  lowerForQuery(g, ['x'], NOW, 50);
  assert.equal(g.sources.get('x'), NOW + 2, 'a query never raises a timer');
});

test('§6.3/§6.5 timers: INCLUDE drops expired sources; EXCLUDE moves them to Y, then switches to INCLUDE', () => {
  const inc = include(['a'], NOW + 10);
  inc.sources.set('b', NOW + 20);
  assert.equal(runTimers(inc, NOW + 10), true);
  assert.deepEqual([...inc.sources.keys()], ['b']);
  assert.equal(runTimers(inc, NOW + 20), false, 'no source left: the group record goes');

  const exc = exclude(['x'], ['y'], NOW + 50, NOW + 30);
  exc.sources.set('z', NOW + 10);
  runTimers(exc, NOW + 10);
  assert.deepEqual(blocked(exc).sort(), ['y', 'z'], 'an expired source in EXCLUDE mode is blocked');
  assert.equal(runTimers(exc, NOW + 30), true);
  assert.equal(exc.mode, 'INCLUDE', 'group timer expiry switches to INCLUDE');
  assert.deepEqual([...exc.sources.keys()], ['x'], 'running sources stay, blocked ones go');
  assert.equal(runTimers(exc, NOW + 50), false);
});
