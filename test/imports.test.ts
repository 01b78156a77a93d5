/**
 * No import circles in lib/: every relative import, export-from and require() between lib/ files (type-only imports
 * included: a circle of types is still two rooms that each need the other) forms a graph, and its strongly connected
 * components must all be single files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative specifiers of `source`: import/export ... from '...', import('...'), require('...'), import '...'. */
function relativeSpecifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  const patterns = [/\bfrom\s+['"](\.[^'"]*)['"]/g, /\b(?:require|import)\s*\(\s*['"](\.[^'"]*)['"]\s*\)/g, /\bimport\s+['"](\.[^'"]*)['"]/g];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(c) && fs.statSync(c).isFile() && c.endsWith('.ts')) return c;
  return null;
}

/** The graph's strongly connected components of more than one file, or with a self-import (Tarjan). */
function importCircles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('the circle finder finds a two-file circle and a self-import, and passes a chain', () => {
  const g = new Map([['a', ['b']], ['b', ['a', 'c']], ['c', []], ['d', ['d']]]);
  assert.deepEqual(importCircles(g), [['a', 'b'], ['d']]);
  assert.deepEqual(importCircles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
  assert.deepEqual(relativeSpecifiers("import type { X } from './x';\n// import './no'\nconst y = require('../y');\nexport * from './z';"), ['./x', './z', '../y']);
});

test('lib/ has no import circle', () => {
  const graph = new Map<string, string[]>();
  for (const f of tsFiles(LIB)) {
    const deps = relativeSpecifiers(fs.readFileSync(f, 'utf8')).map((s) => resolve(f, s)).filter((d): d is string => d !== null && d.startsWith(LIB));
    graph.set(path.relative(LIB, f), [...new Set(deps.map((d) => path.relative(LIB, d)))]);
  }
  assert.ok(graph.size > 50, `only ${graph.size} files found under lib/`);
  const circles = importCircles(graph);
  assert.deepEqual(circles, [], `import circles in lib/:\n${circles.map((c) => `  ${c.join(' <-> ')}`).join('\n')}`);
});
