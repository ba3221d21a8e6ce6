// Chinese string literals outside views modules, per file (issue 17: a feature's words live in its
// views module). The ratchet test (test/copy-ratchet.test.ts) compares the count with the committed
// baseline, test/copy-baseline.json, which may only go down. After moving words into views:
//   npx tsx scripts/copy-literals.ts --write
// Counted: string literals and template literals (once per template) that contain a Han character,
// in src/handlers and src/services, outside views modules (views.ts, *-views.ts, views/); comments
// and regular expressions are not literals and are not counted.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCANNED = ['src/handlers', 'src/services'];
export const BASELINE = join(ROOT, 'test/copy-baseline.json');

const HAN = /\p{Script=Han}/u;

/** A views module: its words are where they belong. */
export function isViewsModule(path: string): boolean {
  return /(^|[/-])views\.ts$/.test(path) || /(^|\/)views\//.test(path);
}

/** How many literals of this source text contain Chinese. */
export function countChineseLiterals(source: string, fileName = 'file.ts'): number {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let count = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      // Module specifiers are paths, not copy.
      if (!ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent) && HAN.test(node.text))
        count++;
      return;
    }
    if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
      if (parts.some((part) => HAN.test(part))) count++;
      for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return count;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/** Per file (path from the repository root), the count where it is above zero, sorted by path. */
export function scanCopy(root = ROOT): Record<string, number> {
  const counts: [string, number][] = [];
  for (const dir of SCANNED) {
    for (const path of sourceFiles(join(root, dir))) {
      const rel = relative(root, path).split('\\').join('/');
      if (isViewsModule(rel)) continue;
      const n = countChineseLiterals(readFileSync(path, 'utf8'), rel);
      if (n > 0) counts.push([rel, n]);
    }
  }
  return Object.fromEntries(counts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const counts = scanCopy();
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  if (process.argv.includes('--write')) {
    writeFileSync(BASELINE, `${JSON.stringify(counts, null, 2)}\n`);
    console.log(`test/copy-baseline.json: ${total} literals in ${Object.keys(counts).length} files`);
  } else {
    for (const [path, n] of Object.entries(counts)) console.log(`${String(n).padStart(5)}  ${path}`);
    console.log(`${String(total).padStart(5)}  total`);
  }
}
