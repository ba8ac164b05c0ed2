import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", ".testenv/", "coverage/", "charts/", "deploy/", "test/testenv/controlplane/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      complexity: ["error", 12],
      "max-depth": ["error", 3],
      "max-params": ["error", 4],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/explicit-module-boundary-types": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Only src/config.ts and entry points read process.env." }],
    },
  },
  {
    files: ["src/config.ts", "src/cli.ts", "src/main.ts", "demo/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts", "**/*.test.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "**/*.test.ts"],
    rules: { complexity: "off", "max-depth": "off", "@typescript-eslint/explicit-module-boundary-types": "off" },
  },
);
