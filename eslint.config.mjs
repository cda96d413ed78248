// ESLint (pinned in package.json), run by `make lint`: the recommended rules everywhere, with the
// globals of where each file runs.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "output/", ".venv/", "benchmarks/results/"] },
  js.configs.recommended,
  {
    // The site's scripts: classic browser scripts (no modules, strict CSP). The pure ones end
    // with a `module.exports` guard so that Node tests can load them too.
    files: ["theme/static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, module: "readonly" },
    },
  },
  {
    // Node helpers of the tests and benchmarks (CommonJS, run with `node FILE`).
    files: ["tests/**/*.js", "benchmarks/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
  {
    files: ["scripts/**/*.mjs", "tests/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
