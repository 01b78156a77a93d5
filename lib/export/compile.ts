/**
 * Builds the page's ES modules from TypeScript with TypeScript's own transpiler (no bundler): starting from an
 * entry file, every relative import is followed, transpiled with `ts.transpileModule` to ES2020 modules and written
 * under `outDir` at its path relative to `lib/`, with `.js` added to relative specifiers. So the browser runs the
 * very geometry code Node aligns with (lib/data/align/geometry.ts), not a copy.
 * Bare imports must be in `bare` (resolved in the browser by the page's import map); anything else (fs, canvas,
 * a package) fails the build naming the importing file.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { writeFileAtomic } from '../util/fs';

const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g;

function resolveTs(fromFile: string, spec: string): string {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  throw new Error(`${fromFile}: cannot resolve import '${spec}'`);
}

/**
 * Transpiles `entry` and everything it imports relatively. Returns the written files, relative to `outDir`
 * (e.g. 'export/page/main.js', 'data/align/geometry.js').
 */
export function compileBrowserModules(entry: string, opts: { libRoot: string; outDir: string; bare: readonly string[] }): string[] {
  const libRoot = path.resolve(opts.libRoot);
  const done = new Map<string, string>();
  const queue = [path.resolve(entry)];
  while (queue.length) {
    const file = queue.shift()!;
    if (done.has(file)) continue;
    const rel = path.relative(libRoot, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${file}: browser modules must live under ${libRoot}`);
    const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ES2020, target: ts.ScriptTarget.ES2020, isolatedModules: true, sourceMap: false, removeComments: true },
    });
    const diag = out.diagnostics?.[0];
    if (diag) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(diag.messageText, '\n')}`);
    const js = out.outputText.replace(SPECIFIER, (all, head: string, q: string, spec: string) => {
      if (spec.startsWith('.')) {
        queue.push(resolveTs(file, spec));
        return `${head}${q}${spec}.js${q}`;
      }
      if (opts.bare.includes(spec)) return all;
      throw new Error(`${file}: imports '${spec}', which the browser page cannot load (allowed bare imports: ${opts.bare.join(', ')})`);
    });
    const target = rel.replace(/\.ts$/, '.js');
    writeFileAtomic(path.join(opts.outDir, target), js);
    done.set(file, target);
  }
  return [...done.values()];
}
