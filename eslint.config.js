import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

// ESLint's own defineConfig replaces the deprecated tseslint.config() helper.
export default defineConfig(
  // Flat config does not read .gitignore, so generated output is listed here too.
  { ignores: ["node_modules/", "dist/", ".mailroom/", "bench/results/", "tmp/", "coverage/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Only the plain .js files (bin/, this config) need these; TypeScript checks globals in .ts.
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
      ],
    },
  },
  {
    // Tool config files are loaded through their default export.
    files: ["*.config.js"],
    rules: { "no-restricted-syntax": "off" },
  },
);
