/**
 * Dead-code check (run by `npm test` through test/scripts/dead-code.test.ts, or by hand:
 * `node --import tsx scripts/check-dead-code.ts [--json]`). With the TypeScript compiler API it
 * lists the value exports (functions, classes, constants) of shared/, electron/ and renderer/ that
 * no file imports (sources, tests, scripts; static, dynamic and re-exports are followed) and that
 * their own module does not use either: dead code. Also listed: value exports only tests import.
 * Types are not checked (an exported type documents a public signature).
 * Entry points (main, preload, CLI, workers, renderer entry, scripts) are roots, not checked.
 * Both are refused unless named in `scripts/dead-code-allow.json` with a reason (exit 1).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHECKED = /^(shared|electron|renderer)\//;
/** Files loaded by a runtime, not by imports: their exports are not expected to be imported. */
const ENTRY =
  /^(electron\/(main|preload|serve|launch)\.ts|electron\/cli\/main\.ts|electron\/workers\/[^/]+-worker\.ts|renderer\/main\.ts)$/;

export interface DeadCodeReport {
  /** `file#export` imported by nothing. */
  readonly unused: string[];
  /** `file#export` imported only by tests and unused in its own module (code only tests use). */
  readonly testOnly: string[];
}

export function findDeadCode(root: string = ROOT): DeadCodeReport {
  const cfgPath = join(root, 'tsconfig.json');
  const cfg = ts.parseJsonConfigFileContent(ts.readConfigFile(cfgPath, (p) => ts.sys.readFile(p)).config, ts.sys, root);
  const files = cfg.fileNames.filter((f) => !f.includes('node_modules'));
  const rel = (f: string): string => relative(root, f).split('\\').join('/');
  const exportsOf = new Map<string, Set<string>>();
  const testOnlyCandidates = new Map<string, Set<string>>();
  // file -> export name -> importers (relative paths)
  const used = new Map<string, Map<string, Set<string>>>();
  const mark = (target: string, name: string, by: string): void => {
    let m = used.get(target);
    if (!m) used.set(target, (m = new Map()));
    let s = m.get(name);
    if (!s) m.set(name, (s = new Set()));
    s.add(by);
  };
  const resolveSpec = (from: string, spec: string): string | null => {
    if (!spec.startsWith('.')) return null;
    const p = resolve(dirname(from), spec);
    return existsSync(p) ? rel(p) : null;
  };
  for (const file of files) {
    const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2023, true);
    const me = rel(file);
    const names = new Set<string>();
    const text = src.text;
    const visit = (node: ts.Node): void => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        const target = resolveSpec(file, node.moduleSpecifier.text);
        if (target) {
          if (ts.isImportDeclaration(node)) {
            const c = node.importClause;
            if (!c) mark(target, '*', me);
            else {
              if (c.name) mark(target, 'default', me);
              const b = c.namedBindings;
              if (b && ts.isNamespaceImport(b)) mark(target, '*', me);
              else if (b) for (const el of b.elements) mark(target, (el.propertyName ?? el.name).text, me);
            }
          } else {
            const c = node.exportClause;
            if (!c) mark(target, '*', me);
            else if (ts.isNamedExports(c)) for (const el of c.elements) mark(target, (el.propertyName ?? el.name).text, me);
            else mark(target, '*', me);
          }
        }
      }
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        const target = resolveSpec(file, node.arguments[0].text);
        if (target) mark(target, '*', me);
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
    for (const st of src.statements) {
      const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
      if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      if (ts.isVariableStatement(st))
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) names.add(d.name.text);
        }
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) names.add(st.name.text);
    }
    // re-exported names (`export { x } from`) are checked where they are declared
    const own = new Set([...names].filter((n) => (text.match(new RegExp(`\\b${n}\\b`, 'g')) ?? []).length <= 1));
    exportsOf.set(me, own);
    testOnlyCandidates.set(me, names);
  }
  const unused: string[] = [];
  const testOnly: string[] = [];
  for (const [file, names] of testOnlyCandidates) {
    if (!CHECKED.test(file) || ENTRY.test(file)) continue;
    const m = used.get(file);
    if (m?.has('*')) continue;
    for (const n of names) {
      const by = m?.get(n);
      if (!by || by.size === 0) {
        if (exportsOf.get(file)?.has(n)) unused.push(`${file}#${n}`);
      } else if (exportsOf.get(file)?.has(n) && [...by].every((f) => f.startsWith('test/'))) testOnly.push(`${file}#${n}`);
    }
  }
  for (const file of testOnlyCandidates.keys()) {
    if (CHECKED.test(file) && !ENTRY.test(file) && !file.endsWith('.d.ts') && !used.has(file)) unused.push(`${file} (no file imports it)`);
  }
  return { unused: unused.sort(), testOnly: testOnly.sort() };
}

/** Allowed unused exports: `{ "file#name": "reason" }`. */
export function allowedUnused(root: string = ROOT): Record<string, string> {
  const p = join(root, 'scripts', 'dead-code-allow.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>) : {};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = findDeadCode();
  const allow = allowedUnused();
  const bad = [...r.unused, ...r.testOnly.map((x) => `${x} (only tests use it)`)].filter(
    (x) => !(x.replace(/ \(only tests use it\)$/, '') in allow),
  );
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ...r, notAllowed: bad }, null, 2));
  else {
    for (const x of bad) console.log(`unused export: ${x}`);
    console.log(`${r.unused.length} unused exports (${r.unused.length - bad.length} allowed), ${r.testOnly.length} used only by tests`);
  }
  process.exit(bad.length ? 1 : 0);
}
